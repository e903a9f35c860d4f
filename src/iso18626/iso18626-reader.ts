/**
 * Reads ISO 18626 messages leniently and safely. Safe: saxes never expands entities, a DOCTYPE is
 * refused, the size and depth are limited (see xml-tree.ts). Lenient, as peers write in practice:
 * a message element as root instead of ISO18626Message, any namespace prefix or none, timestamps with
 * `+0000` offsets or none, a missing multipleItemRequestId, unknown extra elements, empty elements
 * for absent values, closed values in the wrong case, `scheme` with or without its prefix,
 * bibliographicItemId's children in either revision's order, v1.2 and 2021 element names alike.
 *
 * Three outcomes:
 * - not readable (not XML, too large, no ISO 18626 message element): `ok: false` — HTTP 400 (413);
 * - readable, but a value Jala needs is missing or outside the standard's lists: `problems`, each with
 *   the confirmation errorType it calls for, and no `message`;
 * - readable and usable: `message`, with `warnings` about what was overlooked.
 */
import {
  ALL_ACTIONS, ALL_STATUSES, ERROR_TYPES, MESSAGE_KINDS, MESSAGE_STATUSES, PREFERRED_EDITIONS, REASONS_FOR_MESSAGE,
  REQUEST_SUB_TYPES, REQUEST_TYPES, SERVICE_TYPES, closedValue, type Action, type ErrorType, type IsoVersion, type MessageKind,
  type ReasonForMessage, type YesNo,
} from './iso18626-codes.ts';
import { formatDateTime, parseDateTime } from './iso18626-datetime.ts';
import type {
  Address, AgencyId, BibliographicInfo, BillingInfo, Code, ConfirmationHeader, Costs, DeliveryInfo, ErrorData, Iso18626Message, MessageHeader,
  PatronInfo, PhysicalAddress, PublicationInfo, RequestMessage, RequestedDeliveryInfo, RequestingAgencyInfo, RetryInfo, ReturnInfo, ServiceInfo,
  ShippingInfo, SupplierInfo,
} from './iso18626-model.ts';
import { child, childText, children, readXmlTree, type XmlElement } from './xml-tree.ts';

/** A value Jala cannot act on, with the confirmation errorType it calls for. */
export interface ReadProblem {
  errorType: ErrorType;
  /** the element, as a path (`statusInfo/status`) */
  element: string;
  /** what the errorValue says: element, value and why */
  errorValue: string;
}

/** What a confirmation echoes back, read even from a message that has problems. */
export interface EchoFields {
  supplyingAgencyId?: AgencyId;
  requestingAgencyId?: AgencyId;
  requestingAgencyRequestId?: string;
  multipleItemRequestId?: string;
  /** the message's own timestamp, when it could be read */
  timestamp?: string;
  reasonForMessage?: ReasonForMessage;
  action?: Action;
  /** header/requestingAgencyAuthentication, for checking the sender (never echoed) */
  authentication?: { accountId?: string; securityCode?: string };
}

export type ReadResult =
  | {
      ok: true;
      kind: MessageKind;
      /** the schema the sender named (ISO18626Message/@version): 2021 for "2021…" or "1.3…", else 1.2 */
      declaredVersion: IsoVersion;
      /** false when the message element itself was the root */
      wrapped: boolean;
      echo: EchoFields;
      problems: ReadProblem[];
      warnings: string[];
      /** present exactly when there are no problems */
      message?: Iso18626Message;
    }
  | { ok: false; code: 'iso18626/too-large' | 'iso18626/unreadable' | 'iso18626/not-iso18626'; reason: string; guessedKind?: MessageKind };

export interface ReadOptions {
  /** bytes read at most (default 1 MB; ISO 18626 messages are a few kilobytes) */
  maxBytes?: number;
  /** stands in for an unreadable timestamp, so the message can still be confirmed */
  now?: () => Date;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 1_000_000;

const KIND_SET = new Set<string>(MESSAGE_KINDS);

export function readIso18626(input: string | Uint8Array, opts: ReadOptions = {}): ReadResult {
  const tree = readXmlTree(input, { maxBytes: opts.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES });
  if (!tree.ok) {
    const guessedKind = guessKind(input);
    return {
      ok: false,
      code: tree.code === 'xml/too-large' ? 'iso18626/too-large' : 'iso18626/unreadable',
      reason: tree.reason,
      ...(guessedKind ? { guessedKind } : {}),
    };
  }
  let root = tree.root;
  let wrapped = false;
  let declared = '';
  if (root.name === 'ISO18626Message') {
    wrapped = true;
    declared = root.attributes['version'] ?? '';
    const inner = root.children.find((c) => KIND_SET.has(c.name));
    if (!inner) return { ok: false, code: 'iso18626/not-iso18626', reason: 'ISO18626Message holds none of the six message elements' };
    root = inner;
  } else if (!KIND_SET.has(root.name)) {
    return { ok: false, code: 'iso18626/not-iso18626', reason: `the root element <${root.name}> is not an ISO 18626 message` };
  }
  const kind = root.name as MessageKind;
  const r = new MessageReader(opts.now ?? (() => new Date()));
  const message = r.read(kind, root);
  return {
    ok: true,
    kind,
    declaredVersion: /^\s*(2021|1\.3)/.test(declared) ? '2021' : '1.2',
    wrapped,
    echo: r.echo,
    problems: r.problems,
    warnings: r.warnings,
    ...(r.problems.length === 0 ? { message } : {}),
  };
}

/** The message element named in unreadable input, so that a 400 can still carry the right confirmation. */
function guessKind(input: string | Uint8Array): MessageKind | undefined {
  const head = typeof input === 'string' ? input.slice(0, 4000) : new TextDecoder('latin1').decode(input.subarray(0, 4000));
  let best: { kind: MessageKind; at: number } | undefined;
  for (const kind of MESSAGE_KINDS) {
    const m = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${kind}[\\s/>]`).exec(head);
    if (m && (best === undefined || m.index < best.at)) best = { kind, at: m.index };
  }
  return best?.kind;
}

class MessageReader {
  readonly problems: ReadProblem[] = [];
  readonly warnings: string[] = [];
  readonly echo: EchoFields = {};

  constructor(private readonly now: () => Date) {}

  read(kind: MessageKind, node: XmlElement): Iso18626Message {
    switch (kind) {
      case 'request':
        return this.request(node);
      case 'supplyingAgencyMessage':
        return this.supplyingAgencyMessage(node);
      case 'requestingAgencyMessage':
        return this.requestingAgencyMessage(node);
      case 'requestConfirmation':
        return { kind, header: this.confirmationHeader(node), ...this.errorsOf(node) };
      case 'supplyingAgencyMessageConfirmation': {
        const reason = this.closed(node, 'reasonForMessage', REASONS_FOR_MESSAGE, 'UnsupportedReasonForMessageType');
        return { kind, header: this.confirmationHeader(node), ...(reason ? { reasonForMessage: reason } : {}), ...this.errorsOf(node) };
      }
      case 'requestingAgencyMessageConfirmation': {
        const action = this.closed(node, 'action', ALL_ACTIONS, 'UnsupportedActionType');
        return { kind, header: this.confirmationHeader(node), ...(action ? { action } : {}), ...this.errorsOf(node) };
      }
    }
  }

  // ——— problems and small values ———

  private problem(errorType: ErrorType, element: string, errorValue: string): void {
    this.problems.push({ errorType, element, errorValue });
  }

  private closed<T extends string>(node: XmlElement | undefined, name: string, list: readonly T[], errorType: ErrorType, path = name): T | undefined {
    const raw = childText(node, name);
    if (raw === undefined) return undefined;
    const value = closedValue(list, raw);
    if (value === undefined) this.problem(errorType, path, `${path}: "${raw.slice(0, 100)}" is not a value of the standard`);
    else if (value !== raw) this.warnings.push(`${path} "${raw}" read as ${value}`);
    return value;
  }

  /** A closed value that does not matter enough to refuse the message: an unknown one is dropped with a warning. */
  private closedSoft<T extends string>(node: XmlElement | undefined, name: string, list: readonly T[], path = name): T | undefined {
    const raw = childText(node, name);
    if (raw === undefined) return undefined;
    const value = closedValue(list, raw);
    if (value === undefined) this.warnings.push(`${path} "${raw.slice(0, 100)}" is not a value of the standard; ignored`);
    return value;
  }

  private yesNo(node: XmlElement | undefined, name: string, path = name): YesNo | undefined {
    const raw = childText(node, name);
    if (raw === undefined) return undefined;
    if (/^(y|yes|true|1)$/i.test(raw)) return 'Y';
    if (/^(n|no|false|0)$/i.test(raw)) return 'N';
    this.problem('UnrecognisedDataValue', path, `${path}: "${raw.slice(0, 100)}" is neither Y nor N`);
    return undefined;
  }

  private date(node: XmlElement | undefined, name: string, path = name): string | undefined {
    const raw = childText(node, name);
    if (raw === undefined) return undefined;
    const d = parseDateTime(raw);
    if (d === undefined) this.warnings.push(`${path} "${raw.slice(0, 100)}" is not a date; ignored`);
    return d;
  }

  private text(node: XmlElement | undefined, name: string): string | undefined {
    return childText(node, name);
  }

  private texts(node: XmlElement | undefined, name: string): string[] | undefined {
    const list = children(node, name).map((c) => c.text.trim()).filter((t) => t !== '');
    return list.length > 0 ? list : undefined;
  }

  private integer(node: XmlElement | undefined, name: string, path = name): number | undefined {
    const raw = childText(node, name);
    if (raw === undefined) return undefined;
    if (!/^[+-]?\d{1,15}$/.test(raw)) {
      this.warnings.push(`${path} "${raw.slice(0, 100)}" is not an integer; ignored`);
      return undefined;
    }
    return Number(raw);
  }

  private boolean(node: XmlElement | undefined, name: string, path = name): boolean | undefined {
    const raw = childText(node, name);
    if (raw === undefined) return undefined;
    if (/^(true|1|y|yes)$/i.test(raw)) return true;
    if (/^(false|0|n|no)$/i.test(raw)) return false;
    this.warnings.push(`${path} "${raw.slice(0, 100)}" is not a boolean; ignored`);
    return undefined;
  }

  private codeOf(el: XmlElement | undefined): Code | undefined {
    const value = el?.text.trim();
    if (el === undefined || value === undefined || value === '') return undefined;
    const scheme = el.attributes['scheme']?.trim();
    return scheme ? { value, scheme } : { value };
  }

  private code(node: XmlElement | undefined, name: string): Code | undefined {
    return this.codeOf(child(node, name));
  }

  private codes(node: XmlElement | undefined, name: string): Code[] | undefined {
    const list = children(node, name).map((c) => this.codeOf(c)).filter((c): c is Code => c !== undefined);
    return list.length > 0 ? list : undefined;
  }

  private agency(node: XmlElement | undefined, name: string): AgencyId | undefined {
    const a = child(node, name);
    const type = this.code(a, 'agencyIdType');
    const value = childText(a, 'agencyIdValue');
    if (type === undefined || value === undefined) return undefined;
    return { type, value };
  }

  private costs(node: XmlElement | undefined, name: string, path = name): Costs | undefined {
    return this.costsOf(child(node, name), path);
  }

  private costsOf(c: XmlElement | undefined, path: string): Costs | undefined {
    if (c === undefined) return undefined;
    const currencyCode = this.code(c, 'currencyCode');
    const value = childText(c, 'monetaryValue');
    if (currencyCode === undefined && value === undefined) return undefined;
    if (currencyCode === undefined || value === undefined || !/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value)) {
      this.warnings.push(`${path} is incomplete or not a decimal; ignored`);
      return undefined;
    }
    return { currencyCode, monetaryValue: value };
  }

  private physical(p: XmlElement | undefined): PhysicalAddress | undefined {
    if (p === undefined) return undefined;
    const out: PhysicalAddress = {};
    for (const f of ['line1', 'line2', 'locality', 'postalCode', 'region'] as const) {
      const v = this.text(p, f);
      if (v !== undefined) out[f] = v;
    }
    const country = this.code(p, 'country');
    if (country) out.country = country;
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private addressOf(a: XmlElement): Address | undefined {
    const e = child(a, 'electronicAddress');
    if (e) {
      const type = this.code(e, 'electronicAddressType');
      const data = this.text(e, 'electronicAddressData');
      if (type && data !== undefined) return { electronic: { type, data } };
    }
    const physical = this.physical(child(a, 'physicalAddress'));
    return physical ? { physical } : undefined;
  }

  private addresses(node: XmlElement | undefined): Address[] | undefined {
    const list = children(node, 'address').map((a) => this.addressOf(a)).filter((a): a is Address => a !== undefined);
    return list.length > 0 ? list : undefined;
  }

  // ——— headers ———

  private header(node: XmlElement): MessageHeader {
    const h = child(node, 'header');
    if (h === undefined) this.problem('BadlyFormedMessage', 'header', 'header: missing');
    const requestingAgencyId = this.agency(h, 'requestingAgencyId');
    const supplyingAgencyId = this.agency(h, 'supplyingAgencyId');
    const id = childText(h, 'requestingAgencyRequestId');
    const multiple = child(h, 'multipleItemRequestId')?.text.trim();
    const rawTimestamp = childText(h, 'timestamp');
    const timestamp = parseDateTime(rawTimestamp);
    Object.assign(this.echo, {
      ...(supplyingAgencyId ? { supplyingAgencyId } : {}),
      ...(requestingAgencyId ? { requestingAgencyId } : {}),
      ...(id !== undefined ? { requestingAgencyRequestId: id } : {}),
      ...(multiple !== undefined && multiple !== '' ? { multipleItemRequestId: multiple } : {}),
      ...(timestamp ? { timestamp } : {}),
    });
    if (h !== undefined) {
      if (requestingAgencyId === undefined) this.problem('UnrecognisedDataValue', 'header/requestingAgencyId', 'requestingAgencyId: missing or empty');
      if (id === undefined) this.problem('UnrecognisedDataValue', 'header/requestingAgencyRequestId', 'requestingAgencyRequestId: cannot be empty');
    }
    if (timestamp === undefined) this.warnings.push(rawTimestamp === undefined ? 'header/timestamp missing' : `header/timestamp "${rawTimestamp.slice(0, 100)}" is not a date`);
    const auth = child(h, 'requestingAgencyAuthentication');
    const accountId = childText(auth, 'accountId');
    const securityCode = childText(auth, 'securityCode');
    if (auth) this.echo.authentication = { ...(accountId !== undefined ? { accountId } : {}), ...(securityCode !== undefined ? { securityCode } : {}) };
    const consortialId = this.agency(h, 'consortialId');
    const supplyingAgencyRequestId = childText(h, 'supplyingAgencyRequestId');
    return {
      ...(supplyingAgencyId ? { supplyingAgencyId } : {}),
      requestingAgencyId: requestingAgencyId ?? { type: { value: '' }, value: '' },
      ...(consortialId ? { consortialId } : {}),
      ...(multiple !== undefined && multiple !== '' ? { multipleItemRequestId: multiple } : {}),
      timestamp: timestamp ?? formatDateTime(this.now()),
      requestingAgencyRequestId: id ?? '',
      ...(supplyingAgencyRequestId !== undefined ? { supplyingAgencyRequestId } : {}),
      ...(auth ? { requestingAgencyAuthentication: { ...(accountId !== undefined ? { accountId } : {}), ...(securityCode !== undefined ? { securityCode } : {}) } } : {}),
    };
  }

  private confirmationHeader(node: XmlElement): ConfirmationHeader {
    const h = child(node, 'confirmationHeader');
    if (h === undefined) this.problem('BadlyFormedMessage', 'confirmationHeader', 'confirmationHeader: missing');
    const supplyingAgencyId = this.agency(h, 'supplyingAgencyId');
    const requestingAgencyId = this.agency(h, 'requestingAgencyId');
    const id = childText(h, 'requestingAgencyRequestId');
    const multiple = childText(h, 'multipleItemRequestId');
    const timestamp = parseDateTime(childText(h, 'timestamp'));
    const received = parseDateTime(childText(h, 'timestampReceived'));
    const rawStatus = childText(h, 'messageStatus');
    const status = rawStatus === undefined ? undefined : closedValue(MESSAGE_STATUSES, rawStatus);
    if (status === undefined) this.problem('UnrecognisedDataValue', 'confirmationHeader/messageStatus', `messageStatus: "${rawStatus ?? ''}" is neither OK nor ERROR`);
    Object.assign(this.echo, {
      ...(supplyingAgencyId ? { supplyingAgencyId } : {}),
      ...(requestingAgencyId ? { requestingAgencyId } : {}),
      ...(id !== undefined ? { requestingAgencyRequestId: id } : {}),
      ...(timestamp ? { timestamp } : {}),
    });
    const now = formatDateTime(this.now());
    return {
      ...(supplyingAgencyId ? { supplyingAgencyId } : {}),
      ...(requestingAgencyId ? { requestingAgencyId } : {}),
      timestamp: timestamp ?? now,
      ...(id !== undefined ? { requestingAgencyRequestId: id } : {}),
      ...(multiple !== undefined ? { multipleItemRequestId: multiple } : {}),
      timestampReceived: received ?? timestamp ?? now,
      messageStatus: status ?? 'ERROR',
    };
  }

  private errorsOf(node: XmlElement): { errors?: ErrorData[] } {
    const list: ErrorData[] = [];
    for (const e of children(node, 'errorData')) {
      const raw = childText(e, 'errorType');
      const errorType = raw === undefined ? undefined : closedValue(ERROR_TYPES, raw);
      const errorValue = childText(e, 'errorValue');
      if (errorType === undefined) {
        this.warnings.push(`errorData/errorType "${raw ?? ''}" is not a value of the standard`);
        continue;
      }
      list.push({ errorType, ...(errorValue !== undefined ? { errorValue } : {}) });
    }
    return list.length > 0 ? { errors: list } : {};
  }

  // ——— request ———

  private request(node: XmlElement): RequestMessage {
    const header = this.header(node);
    const bib = child(node, 'bibliographicInfo');
    if (bib === undefined) this.problem('BadlyFormedMessage', 'bibliographicInfo', 'bibliographicInfo: missing');
    const serviceInfo = this.serviceInfo(child(node, 'serviceInfo'));
    const supplierInfo = children(node, 'supplierInfo').map((s) => this.supplierInfo(s));
    const requestedDeliveryInfo = children(node, 'requestedDeliveryInfo').map((d) => this.requestedDeliveryInfo(d));
    const publicationInfo = this.publicationInfo(child(node, 'publicationInfo'));
    const requestingAgencyInfo = this.requestingAgencyInfo(child(node, 'requestingAgencyInfo'));
    const patronInfo = this.patronInfo(child(node, 'patronInfo'));
    const billingInfo = this.billingInfo(child(node, 'billingInfo'));
    return {
      kind: 'request',
      header,
      bibliographicInfo: this.bibliographicInfo(bib),
      ...(publicationInfo ? { publicationInfo } : {}),
      ...(serviceInfo ? { serviceInfo } : {}),
      ...(supplierInfo.length > 0 ? { supplierInfo } : {}),
      ...(requestedDeliveryInfo.length > 0 ? { requestedDeliveryInfo } : {}),
      ...(requestingAgencyInfo ? { requestingAgencyInfo } : {}),
      ...(patronInfo ? { patronInfo } : {}),
      ...(billingInfo ? { billingInfo } : {}),
    };
  }

  private bibliographicInfo(b: XmlElement | undefined): BibliographicInfo {
    const out: BibliographicInfo = {};
    const fields = [
      'supplierUniqueRecordId', 'title', 'author', 'authorId', 'subtitle', 'seriesTitle', 'edition', 'titleOfComponent', 'authorOfComponent',
      'issue', 'pagesRequested', 'estimatedNoPages', 'sponsor', 'informationSource',
    ] as const;
    for (const f of fields) {
      const v = this.text(b, f);
      if (v !== undefined) out[f] = v;
    }
    const volumes = this.texts(b, 'volume');
    if (volumes) out.volumes = volumes;
    const itemIds = children(b, 'bibliographicItemId')
      .map((i) => {
        // v1.2 writes identifier then code, 2021 code then identifier: read by name, either order
        const identifier = childText(i, 'bibliographicItemIdentifier');
        const code = this.code(i, 'bibliographicItemIdentifierCode');
        return identifier !== undefined && code !== undefined ? { identifier, code } : undefined;
      })
      .filter((i): i is NonNullable<typeof i> => i !== undefined);
    if (itemIds.length > 0) out.itemIds = itemIds;
    const recordIds = children(b, 'bibliographicRecordId')
      .map((r) => {
        const identifier = childText(r, 'bibliographicRecordIdentifier');
        const code = this.code(r, 'bibliographicRecordIdentifierCode');
        return identifier !== undefined && code !== undefined ? { identifier, code } : undefined;
      })
      .filter((r): r is NonNullable<typeof r> => r !== undefined);
    if (recordIds.length > 0) out.recordIds = recordIds;
    return out;
  }

  private publicationInfo(p: XmlElement | undefined): PublicationInfo | undefined {
    if (p === undefined) return undefined;
    const out: PublicationInfo = {};
    for (const f of ['publisher', 'publisherId', 'publicationDate', 'placeOfPublication'] as const) {
      const v = this.text(p, f);
      if (v !== undefined) out[f] = v;
    }
    const type = this.code(p, 'publicationType');
    if (type) out.publicationType = type;
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private serviceInfo(s: XmlElement | undefined): ServiceInfo | undefined {
    if (s === undefined) return undefined;
    const requestType = this.closed(s, 'requestType', REQUEST_TYPES, 'UnrecognisedDataValue', 'serviceInfo/requestType');
    const subTypes = children(s, 'requestSubType')
      .map((c) => c.text.trim())
      .filter((t) => t !== '')
      .map((t) => {
        const v = closedValue(REQUEST_SUB_TYPES, t);
        if (v === undefined) this.warnings.push(`serviceInfo/requestSubType "${t.slice(0, 100)}" is not a value of the standard; ignored`);
        return v;
      })
      .filter((v): v is NonNullable<typeof v> => v !== undefined);
    let serviceType = this.closed(s, 'serviceType', SERVICE_TYPES, 'UnrecognisedDataValue', 'serviceInfo/serviceType');
    if (serviceType === undefined && childText(s, 'serviceType') === undefined) {
      this.warnings.push('serviceInfo/serviceType missing; read as Loan');
      serviceType = 'Loan';
    }
    const out: ServiceInfo = { serviceType: serviceType ?? 'Loan' };
    if (requestType) out.requestType = requestType;
    if (subTypes.length > 0) out.requestSubTypes = subTypes;
    const prev = this.text(s, 'requestingAgencyPreviousRequestId');
    if (prev !== undefined) out.requestingAgencyPreviousRequestId = prev;
    const level = this.code(s, 'serviceLevel');
    if (level) out.serviceLevel = level;
    const format = this.code(s, 'preferredFormat') ?? this.code(s, 'itemFormat');
    if (format) out.preferredFormat = format;
    for (const f of ['needBeforeDate', 'startDate', 'endDate'] as const) {
      const d = this.date(s, f, `serviceInfo/${f}`);
      if (d !== undefined) out[f] = d;
    }
    const copyright = this.code(s, 'copyrightCompliance');
    if (copyright) out.copyrightCompliance = copyright;
    const anyEdition = this.yesNoSoft(s, 'anyEdition');
    if (anyEdition) out.anyEdition = anyEdition;
    const preferredEdition = this.closedSoft(s, 'preferredEdition', PREFERRED_EDITIONS, 'serviceInfo/preferredEdition');
    if (preferredEdition) out.preferredEdition = preferredEdition;
    const conditions = this.codes(s, 'loanCondition');
    if (conditions) out.loanConditions = conditions;
    const note = this.text(s, 'note');
    if (note !== undefined) out.note = note;
    return out;
  }

  private yesNoSoft(node: XmlElement | undefined, name: string): YesNo | undefined {
    const raw = childText(node, name);
    if (raw === undefined) return undefined;
    if (/^(y|yes|true|1)$/i.test(raw)) return 'Y';
    if (/^(n|no|false|0)$/i.test(raw)) return 'N';
    this.warnings.push(`${name} "${raw.slice(0, 100)}" is neither Y nor N; ignored`);
    return undefined;
  }

  private supplierInfo(s: XmlElement): SupplierInfo {
    const out: SupplierInfo = {};
    const sortOrder = this.integer(s, 'sortOrder', 'supplierInfo/sortOrder');
    if (sortOrder !== undefined) out.sortOrder = sortOrder;
    const code = this.agency(s, 'supplierCode');
    if (code) out.supplierCode = code;
    for (const f of ['supplierDescription', 'callNumber', 'summaryHoldings', 'availabilityNote'] as const) {
      const v = this.text(s, f);
      if (v !== undefined) out[f] = v;
    }
    const rec = child(s, 'bibliographicRecordId');
    const identifier = childText(rec, 'bibliographicRecordIdentifier');
    const recCode = this.code(rec, 'bibliographicRecordIdentifierCode');
    if (identifier !== undefined && recCode !== undefined) out.recordId = { code: recCode, identifier };
    return out;
  }

  private requestedDeliveryInfo(d: XmlElement): RequestedDeliveryInfo {
    const out: RequestedDeliveryInfo = {};
    const sortOrder = this.integer(d, 'sortOrder', 'requestedDeliveryInfo/sortOrder');
    if (sortOrder !== undefined) out.sortOrder = sortOrder;
    const a = child(d, 'address');
    const address = a ? this.addressOf(a) : undefined;
    if (address) out.address = address;
    const method = this.code(d, 'deliveryMethod');
    if (method) out.deliveryMethod = method;
    const courier = this.code(d, 'courierName');
    if (courier) out.courierName = courier;
    return out;
  }

  private requestingAgencyInfo(r: XmlElement | undefined): RequestingAgencyInfo | undefined {
    if (r === undefined) return undefined;
    const out: RequestingAgencyInfo = {};
    const name = this.text(r, 'name');
    if (name !== undefined) out.name = name;
    const contact = this.text(r, 'contactName');
    if (contact !== undefined) out.contactName = contact;
    const addresses = this.addresses(r);
    if (addresses) out.addresses = addresses;
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private patronInfo(p: XmlElement | undefined): PatronInfo | undefined {
    if (p === undefined) return undefined;
    const out: PatronInfo = {};
    for (const f of ['patronId', 'surname', 'givenName'] as const) {
      const v = this.text(p, f);
      if (v !== undefined) out[f] = v;
    }
    const type = this.code(p, 'patronType');
    if (type) out.patronType = type;
    const send = this.yesNoSoft(p, 'sendToPatron');
    if (send) out.sendToPatron = send;
    const addresses = this.addresses(p);
    if (addresses) out.addresses = addresses;
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private billingInfo(b: XmlElement | undefined): BillingInfo | undefined {
    if (b === undefined) return undefined;
    const out: BillingInfo = {};
    const pm = this.code(b, 'paymentMethod');
    if (pm) out.paymentMethod = pm;
    const max = this.costs(b, 'maximumCosts', 'billingInfo/maximumCosts');
    if (max) out.maximumCosts = max;
    const bm = this.code(b, 'billingMethod');
    if (bm) out.billingMethod = bm;
    const name = this.text(b, 'billingName');
    if (name !== undefined) out.billingName = name;
    const a = child(b, 'address');
    const address = a ? this.addressOf(a) : undefined;
    if (address) out.address = address;
    return Object.keys(out).length > 0 ? out : undefined;
  }

  // ——— supplyingAgencyMessage ———

  private supplyingAgencyMessage(node: XmlElement): Iso18626Message {
    const header = this.header(node);
    const mi = child(node, 'messageInfo');
    const si = child(node, 'statusInfo');
    if (mi === undefined) this.problem('BadlyFormedMessage', 'messageInfo', 'messageInfo: missing');
    const reasonRaw = childText(mi, 'reasonForMessage');
    const reason = this.closed(mi, 'reasonForMessage', REASONS_FOR_MESSAGE, 'UnsupportedReasonForMessageType', 'messageInfo/reasonForMessage');
    if (mi !== undefined && reasonRaw === undefined) this.problem('UnsupportedReasonForMessageType', 'messageInfo/reasonForMessage', 'reasonForMessage: missing');
    if (reason) this.echo.reasonForMessage = reason;
    const statusRaw = childText(si, 'status');
    const status = this.closed(si, 'status', ALL_STATUSES, 'UnrecognisedDataValue', 'statusInfo/status');
    const answer = this.yesNo(mi, 'answerYesNo', 'messageInfo/answerYesNo');
    // a Notification may leave the status out (Alma does), and so may a Cancel or Renew answer that says
    // Y or N (ReShare's cancel reply has no statusInfo); everything else says what happened with it
    const statusOptional = reason === 'Notification' || ((reason === 'CancelResponse' || reason === 'RenewResponse') && answer !== undefined);
    if (statusRaw === undefined && reason !== undefined && !statusOptional) {
      this.problem(si === undefined ? 'BadlyFormedMessage' : 'UnrecognisedDataValue', 'statusInfo/status', `statusInfo/status: missing in a ${reason}`);
    }
    const retry = child(node, 'retryInfo');
    const note = this.text(mi, 'note');
    const reasonUnfilled = this.code(mi, 'reasonUnfilled');
    const reasonRetry = this.code(mi, 'reasonRetry');
    // v1.2 has offeredCosts and the retry dates in messageInfo; 2021 in retryInfo: read both
    const offeredCosts = this.costs(mi, 'offeredCosts', 'messageInfo/offeredCosts') ?? this.costs(retry, 'offeredCosts', 'retryInfo/offeredCosts');
    const retryAfter = this.date(mi, 'retryAfter', 'messageInfo/retryAfter') ?? this.date(retry, 'retryAfter', 'retryInfo/retryAfter');
    const retryBefore = this.date(mi, 'retryBefore', 'messageInfo/retryBefore') ?? this.date(retry, 'retryBefore', 'retryInfo/retryBefore');
    const expectedDeliveryDate = this.date(si, 'expectedDeliveryDate', 'statusInfo/expectedDeliveryDate');
    const dueDate = this.date(si, 'dueDate', 'statusInfo/dueDate');
    const lastChange = this.date(si, 'lastChange', 'statusInfo/lastChange');
    const retryInfo = this.retryInfo(retry);
    const deliveryInfo = this.deliveryInfo(child(node, 'deliveryInfo'));
    const shippingInfo = this.shippingInfo(child(node, 'shippingInfo'));
    const returnInfo = this.returnInfo(child(node, 'returnInfo'));
    return {
      kind: 'supplyingAgencyMessage',
      header,
      messageInfo: {
        reasonForMessage: reason ?? 'Notification',
        ...(answer ? { answerYesNo: answer } : {}),
        ...(note !== undefined ? { note } : {}),
        ...(reasonUnfilled ? { reasonUnfilled } : {}),
        ...(reasonRetry ? { reasonRetry } : {}),
        ...(offeredCosts ? { offeredCosts } : {}),
        ...(retryAfter ? { retryAfter } : {}),
        ...(retryBefore ? { retryBefore } : {}),
      },
      statusInfo: {
        ...(status ? { status } : {}),
        ...(expectedDeliveryDate ? { expectedDeliveryDate } : {}),
        ...(dueDate ? { dueDate } : {}),
        ...(lastChange ? { lastChange } : {}),
      },
      ...(retryInfo ? { retryInfo } : {}),
      ...(deliveryInfo ? { deliveryInfo } : {}),
      ...(shippingInfo ? { shippingInfo } : {}),
      ...(returnInfo ? { returnInfo } : {}),
    };
  }

  private retryInfo(r: XmlElement | undefined): RetryInfo | undefined {
    if (r === undefined) return undefined;
    const out: RetryInfo = {};
    const lc = this.codes(r, 'loanCondition');
    if (lc) out.loanConditions = lc;
    const editions = this.texts(r, 'edition');
    if (editions) out.editions = editions;
    const formats = this.codes(r, 'itemFormat');
    if (formats) out.itemFormats = formats;
    const volumes = this.texts(r, 'volume');
    if (volumes) out.volumes = volumes;
    const st = this.closedSoft(r, 'serviceType', SERVICE_TYPES, 'retryInfo/serviceType');
    if (st) out.serviceType = st;
    for (const [name, key] of [['serviceLevel', 'serviceLevels'], ['deliveryMethod', 'deliveryMethods'], ['courierName', 'courierNames'], ['paymentMethod', 'paymentMethods']] as const) {
      const list = this.codes(r, name);
      if (list) out[key] = list;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private deliveryInfo(d: XmlElement | undefined): DeliveryInfo | undefined {
    if (d === undefined) return undefined;
    const out: DeliveryInfo = {};
    const dateSent = this.date(d, 'dateSent', 'deliveryInfo/dateSent');
    if (dateSent) out.dateSent = dateSent;
    const itemIds = this.texts(d, 'itemId');
    if (itemIds) out.itemIds = itemIds;
    const url = this.text(d, 'URL');
    if (url !== undefined) out.url = url;
    const method = this.code(d, 'deliveryMethod') ?? this.code(d, 'sentVia');
    if (method) out.deliveryMethod = method;
    const a = child(d, 'address');
    const address = a ? this.addressOf(a) : undefined;
    if (address) out.address = address;
    const toPatron = this.boolean(d, 'sentToPatron', 'deliveryInfo/sentToPatron');
    if (toPatron !== undefined) out.sentToPatron = toPatron;
    const lc = this.codes(d, 'loanCondition');
    if (lc) out.loanConditions = lc;
    const format = this.code(d, 'itemFormat') ?? this.code(d, 'deliveredFormat');
    if (format) out.itemFormat = format;
    const st = this.closedSoft(d, 'serviceType', SERVICE_TYPES, 'deliveryInfo/serviceType');
    if (st) out.serviceType = st;
    const costs = children(d, 'deliveryCosts').map((c) => this.costsOf(c, 'deliveryInfo/deliveryCosts')).filter((c): c is Costs => c !== undefined);
    if (costs.length > 0) out.deliveryCosts = costs;
    const pm = this.code(d, 'paymentMethod');
    if (pm) out.paymentMethod = pm;
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private shippingInfo(s: XmlElement | undefined): ShippingInfo | undefined {
    if (s === undefined) return undefined;
    const out: ShippingInfo = {};
    const courier = this.code(s, 'courierName');
    if (courier) out.courierName = courier;
    const tracking = this.texts(s, 'trackingId');
    if (tracking) out.trackingIds = tracking;
    const ins = this.yesNoSoft(s, 'insurance');
    if (ins) out.insurance = ins;
    const third = this.yesNoSoft(s, 'insuranceThirdParty');
    if (third) out.insuranceThirdParty = third;
    const name = this.text(s, 'thirdPartyName');
    if (name !== undefined) out.thirdPartyName = name;
    const costs = children(s, 'insuranceCosts').map((c) => this.costsOf(c, 'shippingInfo/insuranceCosts')).filter((c): c is Costs => c !== undefined);
    if (costs.length > 0) out.insuranceCosts = costs;
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private returnInfo(r: XmlElement | undefined): ReturnInfo | undefined {
    if (r === undefined) return undefined;
    const out: ReturnInfo = {};
    const agency = this.agency(r, 'returnAgencyId');
    if (agency) out.returnAgencyId = agency;
    const name = this.text(r, 'name');
    if (name !== undefined) out.name = name;
    const physical = this.physical(child(r, 'physicalAddress'));
    if (physical) out.physicalAddress = physical;
    return Object.keys(out).length > 0 ? out : undefined;
  }

  // ——— requestingAgencyMessage ———

  private requestingAgencyMessage(node: XmlElement): Iso18626Message {
    const header = this.header(node);
    const raw = childText(node, 'action');
    const action = this.closed(node, 'action', ALL_ACTIONS, 'UnsupportedActionType');
    if (raw === undefined) this.problem('UnsupportedActionType', 'action', 'action: missing');
    if (action) this.echo.action = action;
    const note = this.text(node, 'note');
    return { kind: 'requestingAgencyMessage', header, action: action ?? 'Notification', ...(note !== undefined ? { note } : {}) };
  }
}
