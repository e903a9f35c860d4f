/**
 * Writes ISO 18626 messages that validate against the schema of the partner's version: elements in
 * the schema's order, closed values checked against the version's lists, dates as xs:dateTime,
 * decimals as xs:decimal, the `scheme` and `version` attributes namespace-qualified (the schemas set
 * attributeFormDefault="qualified"), an empty multipleItemRequestId in every v1.2 header.
 *
 * A field the version has no place for is left out (2021-only parts in a v1.2 message, v1.2's
 * requestingAgencyAuthentication in a 2021 supplyingAgencyMessage); a value the schema would refuse
 * is a bug in the caller and throws `Iso18626WriteError` — Jala never sends an invalid message.
 */
import {
  ACTIONS, ERROR_TYPES, ISO18626_NAMESPACE, MESSAGE_STATUSES, PREFERRED_EDITIONS, REASONS_FOR_MESSAGE, REQUEST_SUB_TYPES,
  REQUEST_TYPES, SERVICE_TYPES, STATUSES, VERSION_ATTRIBUTE, YES_NO, type IsoVersion,
} from './iso18626-codes.ts';
import { isXsDateTime } from './iso18626-datetime.ts';
import type {
  Address, AgencyId, BibliographicInfo, BillingInfo, Code, ConfirmationHeader, Costs, DeliveryInfo, ErrorData, Iso18626Message,
  MessageHeader, PatronInfo, PhysicalAddress, PublicationInfo, RequestMessage, RequestedDeliveryInfo, RequestingAgencyInfo, RetryInfo,
  ReturnInfo, ServiceInfo, ShippingInfo, SupplierInfo, SupplyingAgencyMessage,
} from './iso18626-model.ts';

export class Iso18626WriteError extends Error {
  readonly code = 'iso18626/invalid-outgoing';
  constructor(message: string) {
    super(message);
    this.name = 'Iso18626WriteError';
  }
}

/** The message as a complete XML document in the schema of `version`. */
export function writeIso18626(message: Iso18626Message, version: IsoVersion): string {
  const w = new Writer(version);
  const body = w.message(message);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ISO18626Message xmlns="${ISO18626_NAMESPACE}" xmlns:ill="${ISO18626_NAMESPACE}" ill:version="${VERSION_ATTRIBUTE[version]}">${body}</ISO18626Message>\n`;
}

type Part = string | undefined | false;

function required<T>(name: string, value: T | undefined): T {
  if (value === undefined) throw new Iso18626WriteError(`${name} is required`);
  return value;
}

// characters XML 1.0 cannot hold at all
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function escapeText(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

function el(name: string, ...children: Part[]): string {
  return `<${name}>${children.filter((c): c is string => typeof c === 'string').join('')}</${name}>`;
}

/** An element when the value is there; nothing otherwise. */
function opt(name: string, value: string | undefined): Part {
  return value === undefined ? undefined : `<${name}>${escapeText(value)}</${name}>`;
}

class Writer {
  constructor(private readonly v: IsoVersion) {}

  private get v12(): boolean {
    return this.v === '1.2';
  }

  message(m: Iso18626Message): string {
    switch (m.kind) {
      case 'request':
        return this.request(m);
      case 'supplyingAgencyMessage':
        return this.supplyingAgencyMessage(m);
      case 'requestingAgencyMessage':
        return el('requestingAgencyMessage', this.header(m.header, 'requestingAgencyMessage'), this.leafClosed('action', m.action, ACTIONS[this.v]), opt('note', m.note));
      case 'requestConfirmation':
        return el('requestConfirmation', this.confirmationHeader(m.header), ...this.errors(m.errors));
      case 'supplyingAgencyMessageConfirmation':
        return el(
          'supplyingAgencyMessageConfirmation',
          this.confirmationHeader(m.header),
          m.reasonForMessage !== undefined && this.leafClosed('reasonForMessage', m.reasonForMessage, REASONS_FOR_MESSAGE),
          ...this.errors(m.errors),
        );
      case 'requestingAgencyMessageConfirmation':
        return el(
          'requestingAgencyMessageConfirmation',
          this.confirmationHeader(m.header),
          m.action !== undefined && this.leafClosed('action', m.action, ACTIONS[this.v]),
          ...this.errors(m.errors),
        );
      default: {
        const _: never = m;
        throw new Iso18626WriteError(`unknown message kind ${String((_ as { kind?: unknown }).kind)}`);
      }
    }
  }

  // ——— simple values ———

  private leafClosed(name: string, value: string, list: readonly string[]): string {
    if (!list.includes(value)) throw new Iso18626WriteError(`${name} "${value}" is not in the ISO 18626 ${this.v} list`);
    return `<${name}>${value}</${name}>`;
  }

  private optClosed(name: string, value: string | undefined, list: readonly string[]): Part {
    return value === undefined ? undefined : this.leafClosed(name, value, list);
  }

  private date(name: string, value: string): string {
    if (!isXsDateTime(value)) throw new Iso18626WriteError(`${name} "${value}" is not an xs:dateTime`);
    return `<${name}>${value}</${name}>`;
  }

  private optDate(name: string, value: string | undefined): Part {
    return value === undefined ? undefined : this.date(name, value);
  }

  private nonEmpty(name: string, value: string | undefined): string {
    if (value === undefined || value.trim() === '') throw new Iso18626WriteError(`${name} is required and may not be empty`);
    return `<${name}>${escapeText(value)}</${name}>`;
  }

  private code(name: string, c: Code | undefined): Part {
    if (c === undefined) return undefined;
    // xs:anyURI: Jala keeps a scheme only when it has no white space (a URI never does)
    const scheme = c.scheme !== undefined && /^\S+$/.test(c.scheme) ? ` ill:scheme="${escapeAttr(c.scheme)}"` : '';
    return `<${name}${scheme}>${escapeText(c.value)}</${name}>`;
  }

  private codes(name: string, list: Code[] | undefined, max = Infinity): Part[] {
    return (list ?? []).slice(0, max).map((c) => this.code(name, c));
  }

  private integer(name: string, n: number | undefined, min = -Infinity): Part {
    if (n === undefined) return undefined;
    if (!Number.isSafeInteger(n) || n < min) throw new Iso18626WriteError(`${name} ${n} is not an integer ≥ ${min}`);
    return `<${name}>${n}</${name}>`;
  }

  private boolean(name: string, b: boolean | undefined): Part {
    return b === undefined ? undefined : `<${name}>${b ? 'true' : 'false'}</${name}>`;
  }

  private agency(name: string, a: AgencyId | undefined): Part {
    if (a === undefined) return undefined;
    if (a.value.trim() === '' || a.type.value.trim() === '') throw new Iso18626WriteError(`${name} needs a type and a value`);
    return el(name, this.code('agencyIdType', a.type), opt('agencyIdValue', a.value));
  }

  private costs(name: string, c: Costs | undefined): Part {
    if (c === undefined) return undefined;
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(c.monetaryValue)) throw new Iso18626WriteError(`${name}/monetaryValue "${c.monetaryValue}" is not an xs:decimal`);
    return el(name, this.code('currencyCode', c.currencyCode), `<monetaryValue>${c.monetaryValue}</monetaryValue>`);
  }

  private physicalAddress(p: PhysicalAddress | undefined): Part {
    if (p === undefined) return undefined;
    return el(
      'physicalAddress',
      opt('line1', p.line1),
      opt('line2', p.line2),
      opt('locality', p.locality),
      opt('postalCode', p.postalCode),
      // v1.2: a code (no scheme written); 2021: plain text — the same bytes validate in both
      opt('region', p.region),
      this.code('country', p.country),
    );
  }

  private address(a: Address | undefined): Part {
    if (a === undefined) return undefined;
    if ('electronic' in a) return el('address', el('electronicAddress', this.code('electronicAddressType', a.electronic.type), opt('electronicAddressData', a.electronic.data)));
    return el('address', this.physicalAddress(a.physical));
  }

  private errors(list: ErrorData[] | undefined): Part[] {
    return (list ?? []).slice(0, this.v12 ? 1 : Infinity).map((e) => el('errorData', this.leafClosed('errorType', e.errorType, ERROR_TYPES), opt('errorValue', e.errorValue)));
  }

  // ——— headers ———

  private header(h: MessageHeader, of: 'request' | 'supplyingAgencyMessage' | 'requestingAgencyMessage'): string {
    const auth =
      h.requestingAgencyAuthentication !== undefined
        ? el('requestingAgencyAuthentication', opt('accountId', h.requestingAgencyAuthentication.accountId), opt('securityCode', h.requestingAgencyAuthentication.securityCode))
        : undefined;
    if (this.v12) {
      if (h.supplyingAgencyId === undefined) throw new Iso18626WriteError('a v1.2 header needs supplyingAgencyId');
      return el(
        'header',
        this.agency('supplyingAgencyId', h.supplyingAgencyId),
        this.agency('requestingAgencyId', h.requestingAgencyId),
        `<multipleItemRequestId>${escapeText(h.multipleItemRequestId ?? '')}</multipleItemRequestId>`,
        this.date('timestamp', h.timestamp),
        this.nonEmpty('requestingAgencyRequestId', h.requestingAgencyRequestId),
        opt('supplyingAgencyRequestId', h.supplyingAgencyRequestId),
        auth,
      );
    }
    if (of !== 'request' && h.supplyingAgencyId === undefined) throw new Iso18626WriteError(`a 2021 ${of} header needs supplyingAgencyId`);
    switch (of) {
      case 'request':
        return el(
          'header',
          this.agency('supplyingAgencyId', h.supplyingAgencyId),
          this.agency('requestingAgencyId', h.requestingAgencyId),
          this.agency('consortialId', h.consortialId),
          opt('multipleItemRequestId', h.multipleItemRequestId),
          this.date('timestamp', h.timestamp),
          this.nonEmpty('requestingAgencyRequestId', h.requestingAgencyRequestId),
          auth,
        );
      case 'supplyingAgencyMessage':
        return el(
          'header',
          this.agency('supplyingAgencyId', h.supplyingAgencyId),
          this.agency('requestingAgencyId', h.requestingAgencyId),
          this.date('timestamp', h.timestamp),
          this.nonEmpty('requestingAgencyRequestId', h.requestingAgencyRequestId),
          opt('supplyingAgencyRequestId', h.supplyingAgencyRequestId),
        );
      case 'requestingAgencyMessage':
        return el(
          'header',
          this.agency('supplyingAgencyId', h.supplyingAgencyId),
          this.agency('requestingAgencyId', h.requestingAgencyId),
          this.agency('consortialId', h.consortialId),
          this.date('timestamp', h.timestamp),
          this.nonEmpty('requestingAgencyRequestId', h.requestingAgencyRequestId),
          opt('supplyingAgencyRequestId', h.supplyingAgencyRequestId),
          auth,
        );
    }
  }

  private confirmationHeader(h: ConfirmationHeader): string {
    return el(
      'confirmationHeader',
      this.agency('supplyingAgencyId', h.supplyingAgencyId),
      this.agency('requestingAgencyId', h.requestingAgencyId),
      this.date('timestamp', h.timestamp),
      opt('requestingAgencyRequestId', h.requestingAgencyRequestId),
      this.v12 ? opt('multipleItemRequestId', h.multipleItemRequestId) : undefined,
      this.date('timestampReceived', h.timestampReceived),
      this.leafClosed('messageStatus', h.messageStatus, MESSAGE_STATUSES),
    );
  }

  // ——— request ———

  private request(r: RequestMessage): string {
    if (!this.v12 && r.serviceInfo === undefined) throw new Iso18626WriteError('a 2021 request needs serviceInfo');
    return el(
      'request',
      this.header(r.header, 'request'),
      this.bibliographicInfo(r.bibliographicInfo),
      this.publicationInfo(r.publicationInfo),
      this.serviceInfo(r.serviceInfo),
      ...(r.supplierInfo ?? []).map((s) => this.supplierInfo(s)),
      ...(r.requestedDeliveryInfo ?? []).map((d) => this.requestedDeliveryInfo(d)),
      this.requestingAgencyInfo(r.requestingAgencyInfo),
      this.patronInfo(r.patronInfo),
      this.billingInfo(r.billingInfo),
    );
  }

  private bibliographicInfo(b: BibliographicInfo): string {
    const volumes = b.volumes ?? [];
    return el(
      'bibliographicInfo',
      opt('supplierUniqueRecordId', b.supplierUniqueRecordId),
      opt('title', b.title),
      opt('author', b.author),
      this.v12 ? undefined : opt('authorId', b.authorId),
      opt('subtitle', b.subtitle),
      opt('seriesTitle', b.seriesTitle),
      opt('edition', b.edition),
      opt('titleOfComponent', b.titleOfComponent),
      opt('authorOfComponent', b.authorOfComponent),
      ...(this.v12 ? [opt('volume', volumes.length > 0 ? volumes.join('; ') : undefined)] : volumes.map((v) => opt('volume', v))),
      opt('issue', b.issue),
      opt('pagesRequested', b.pagesRequested),
      opt('estimatedNoPages', b.estimatedNoPages),
      ...(b.itemIds ?? []).map((i) =>
        this.v12
          ? el('bibliographicItemId', opt('bibliographicItemIdentifier', i.identifier), this.code('bibliographicItemIdentifierCode', i.code))
          : el('bibliographicItemId', this.code('bibliographicItemIdentifierCode', i.code), opt('bibliographicItemIdentifier', i.identifier)),
      ),
      opt('sponsor', b.sponsor),
      opt('informationSource', b.informationSource),
      ...(b.recordIds ?? []).map((r) => el('bibliographicRecordId', this.code('bibliographicRecordIdentifierCode', r.code), opt('bibliographicRecordIdentifier', r.identifier))),
    );
  }

  private publicationInfo(p: PublicationInfo | undefined): Part {
    if (p === undefined) return undefined;
    return el(
      'publicationInfo',
      opt('publisher', p.publisher),
      this.v12 ? undefined : opt('publisherId', p.publisherId),
      this.code('publicationType', p.publicationType),
      opt('publicationDate', p.publicationDate),
      opt('placeOfPublication', p.placeOfPublication),
    );
  }

  private serviceInfo(s: ServiceInfo | undefined): Part {
    if (s === undefined) return undefined;
    return el(
      'serviceInfo',
      this.optClosed('requestType', s.requestType, REQUEST_TYPES),
      ...(s.requestSubTypes ?? []).slice(0, this.v12 ? 3 : Infinity).map((t) => this.leafClosed('requestSubType', t, REQUEST_SUB_TYPES)),
      opt('requestingAgencyPreviousRequestId', s.requestingAgencyPreviousRequestId),
      this.leafClosed('serviceType', s.serviceType, SERVICE_TYPES),
      this.code('serviceLevel', s.serviceLevel),
      this.code(this.v12 ? 'preferredFormat' : 'itemFormat', s.preferredFormat),
      this.optDate('needBeforeDate', s.needBeforeDate),
      this.code('copyrightCompliance', s.copyrightCompliance),
      this.optClosed('anyEdition', s.anyEdition, YES_NO),
      this.v12 ? undefined : this.optClosed('preferredEdition', s.preferredEdition, PREFERRED_EDITIONS),
      ...(this.v12 ? [] : this.codes('loanCondition', s.loanConditions)),
      this.optDate('startDate', s.startDate),
      this.optDate('endDate', s.endDate),
      opt('note', s.note),
    );
  }

  private supplierInfo(s: SupplierInfo): string {
    return el(
      'supplierInfo',
      this.integer('sortOrder', s.sortOrder, this.v12 ? -Infinity : 0),
      this.agency('supplierCode', s.supplierCode),
      opt('supplierDescription', s.supplierDescription),
      s.recordId && el('bibliographicRecordId', this.code('bibliographicRecordIdentifierCode', s.recordId.code), opt('bibliographicRecordIdentifier', s.recordId.identifier)),
      opt('callNumber', s.callNumber),
      opt('summaryHoldings', s.summaryHoldings),
      opt('availabilityNote', s.availabilityNote),
    );
  }

  private requestedDeliveryInfo(d: RequestedDeliveryInfo): string {
    return el(
      'requestedDeliveryInfo',
      this.integer('sortOrder', d.sortOrder, this.v12 ? -Infinity : 0),
      this.address(d.address),
      this.v12 ? undefined : this.code('deliveryMethod', d.deliveryMethod),
      this.v12 ? undefined : this.code('courierName', d.courierName),
    );
  }

  private requestingAgencyInfo(r: RequestingAgencyInfo | undefined): Part {
    if (r === undefined) return undefined;
    return el('requestingAgencyInfo', opt('name', r.name), opt('contactName', r.contactName), ...(r.addresses ?? []).map((a) => this.address(a)));
  }

  private patronInfo(p: PatronInfo | undefined): Part {
    if (p === undefined) return undefined;
    return el(
      'patronInfo',
      opt('patronId', p.patronId),
      opt('surname', p.surname),
      opt('givenName', p.givenName),
      this.code('patronType', p.patronType),
      this.optClosed('sendToPatron', p.sendToPatron, YES_NO),
      ...(p.addresses ?? []).map((a) => this.address(a)),
    );
  }

  private billingInfo(b: BillingInfo | undefined): Part {
    if (b === undefined) return undefined;
    return el(
      'billingInfo',
      this.code('paymentMethod', b.paymentMethod),
      this.costs('maximumCosts', b.maximumCosts),
      this.code('billingMethod', b.billingMethod),
      opt('billingName', b.billingName),
      this.address(b.address),
    );
  }

  // ——— supplyingAgencyMessage ———

  private supplyingAgencyMessage(m: SupplyingAgencyMessage): string {
    const mi = m.messageInfo;
    const si = m.statusInfo;
    return el(
      'supplyingAgencyMessage',
      this.header(m.header, 'supplyingAgencyMessage'),
      el(
        'messageInfo',
        this.leafClosed('reasonForMessage', mi.reasonForMessage, REASONS_FOR_MESSAGE),
        this.optClosed('answerYesNo', mi.answerYesNo, YES_NO),
        opt('note', mi.note),
        this.code('reasonUnfilled', mi.reasonUnfilled),
        this.code('reasonRetry', mi.reasonRetry),
        this.v12 && this.costs('offeredCosts', mi.offeredCosts),
        this.v12 && this.optDate('retryAfter', mi.retryAfter),
        this.v12 && this.optDate('retryBefore', mi.retryBefore),
      ),
      el(
        'statusInfo',
        this.leafClosed('status', required('statusInfo/status', si.status), STATUSES[this.v]),
        this.optDate('expectedDeliveryDate', si.expectedDeliveryDate),
        this.optDate('dueDate', si.dueDate),
        this.date('lastChange', required('statusInfo/lastChange', si.lastChange)),
      ),
      this.v12 ? undefined : this.retryInfo(m.retryInfo, m),
      this.deliveryInfo(m.deliveryInfo),
      this.v12 ? undefined : this.shippingInfo(m.shippingInfo),
      this.returnInfo(m.returnInfo),
    );
  }

  private retryInfo(r: RetryInfo | undefined, m: SupplyingAgencyMessage): Part {
    const mi = m.messageInfo;
    if (r === undefined && mi.offeredCosts === undefined && mi.retryAfter === undefined && mi.retryBefore === undefined) return undefined;
    return el(
      'retryInfo',
      ...this.codes('loanCondition', r?.loanConditions),
      ...(r?.editions ?? []).map((e) => opt('edition', e)),
      ...this.codes('itemFormat', r?.itemFormats),
      ...(r?.volumes ?? []).map((v) => opt('volume', v)),
      this.optClosed('serviceType', r?.serviceType, SERVICE_TYPES),
      ...this.codes('serviceLevel', r?.serviceLevels),
      ...this.codes('deliveryMethod', r?.deliveryMethods),
      ...this.codes('courierName', r?.courierNames),
      this.costs('offeredCosts', mi.offeredCosts),
      ...this.codes('paymentMethod', r?.paymentMethods),
      this.optDate('retryBefore', mi.retryBefore),
      this.optDate('retryAfter', mi.retryAfter),
    );
  }

  private deliveryInfo(d: DeliveryInfo | undefined): Part {
    if (d === undefined) return undefined;
    const ids = d.itemIds ?? [];
    if (this.v12) {
      return el(
        'deliveryInfo',
        this.date('dateSent', required('deliveryInfo/dateSent', d.dateSent)),
        // v1.2 has one itemId: several go in it comma-separated, as ReShare writes multi-volume loans
        opt('itemId', ids.length > 0 ? ids.join(',') : undefined),
        this.code('sentVia', d.deliveryMethod),
        this.boolean('sentToPatron', d.sentToPatron),
        this.code('loanCondition', d.loanConditions?.[0]),
        this.code('deliveredFormat', d.itemFormat),
        this.costs('deliveryCosts', d.deliveryCosts?.[0]),
      );
    }
    return el(
      'deliveryInfo',
      this.date('dateSent', required('deliveryInfo/dateSent', d.dateSent)),
      ...ids.map((i) => opt('itemId', i)),
      opt('URL', d.url),
      this.code('deliveryMethod', d.deliveryMethod),
      this.address(d.address),
      this.boolean('sentToPatron', d.sentToPatron),
      ...this.codes('loanCondition', d.loanConditions),
      this.code('itemFormat', d.itemFormat),
      this.optClosed('serviceType', d.serviceType, SERVICE_TYPES),
      ...(d.deliveryCosts ?? []).map((c) => this.costs('deliveryCosts', c)),
      this.code('paymentMethod', d.paymentMethod),
    );
  }

  private shippingInfo(s: ShippingInfo | undefined): Part {
    if (s === undefined) return undefined;
    return el(
      'shippingInfo',
      this.code('courierName', s.courierName),
      ...(s.trackingIds ?? []).map((t) => opt('trackingId', t)),
      this.optClosed('insurance', s.insurance, YES_NO),
      this.optClosed('insuranceThirdParty', s.insuranceThirdParty, YES_NO),
      opt('thirdPartyName', s.thirdPartyName),
      ...(s.insuranceCosts ?? []).map((c) => this.costs('insuranceCosts', c)),
    );
  }

  private returnInfo(r: ReturnInfo | undefined): Part {
    if (r === undefined) return undefined;
    return el('returnInfo', this.agency('returnAgencyId', r.returnAgencyId), opt('name', r.name), this.physicalAddress(r.physicalAddress));
  }
}
