/**
 * The receiving end of ISO 18626 over HTTP, as a plain function the HTTP listener mounts at
 * `/iso18626`: body and remote address in, HTTP status and XML out. Every message gets the matching
 * confirmation in the same response (ReShare's and CrossLink's way):
 *
 * - 200 + messageStatus OK: understood (and, with `apply`, acted on or recognised as a repeat);
 * - 200 + messageStatus ERROR with errorData/errorType: readable, but Jala cannot act on it — an
 *   unknown or unauthenticated agency (nothing changes), a value outside the standard, an unknown
 *   request id, an unsupported action, a confirmation sent as if it were a message;
 * - 400: not readable as XML or not an ISO 18626 message (with a BadlyFormedMessage confirmation
 *   when the message type could be guessed); 413: over the size limit.
 *
 * Identification: the sender is the requestingAgencyId of a request or requestingAgencyMessage and
 * the supplyingAgencyId of a supplyingAgencyMessage; it must be a configured partner, allowed in that
 * direction, from an allowed address and with the shared secret when those are configured; the
 * other agency id must be a member's.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { CONFIRMATION_OF, type ErrorType, type IsoVersion, type MessageKind } from './iso18626-codes.ts';
import type { AgencyId, InitiatingMessage } from './iso18626-model.ts';
import { DEFAULT_MAX_MESSAGE_BYTES, readIso18626, type EchoFields } from './iso18626-reader.ts';
import { writeIso18626 } from './iso18626-writer.ts';
import { buildConfirmation } from './outgoing-intent.ts';
import { addressAllowed, sameAgency, type MemberAgency, type PartnerConfig } from '../config/partner-config.ts';
import { repeatKey } from './repeat-key.ts';

/** The partners Jala talks to and the agency ids its members answer to. */
export interface PartnerDirectory {
  partners: readonly PartnerConfig[];
  members: readonly MemberAgency[];
}

/** An authenticated, understood message from a partner, for the ILL service. */
export interface InboundEvent {
  partner: PartnerConfig;
  member: MemberAgency;
  /** the partner's role in the transaction: requester (it sent a request or requestingAgencyMessage) or supplier */
  partnerRole: 'requester' | 'supplier';
  message: InitiatingMessage;
  /** same key = same message again (see repeat-key.ts) */
  repeatKey: string;
  warnings: string[];
}

/** What acting on an event came to: OK, or the errorType the confirmation must carry (nothing changed). */
export type ApplyResult = { ok: true } | { ok: false; errorType: ErrorType; errorValue: string };

export interface HandlerOptions {
  now?: () => Date;
  maxBytes?: number;
  /** acts on the event (synchronously, as SQLite transactions are); without it an understood message is confirmed OK and returned */
  apply?: (event: InboundEvent) => ApplyResult;
}

export interface HandlerResult {
  status: number;
  contentType: string;
  /** the confirmation (or, for 413, a short text) */
  xml: string;
  /** the understood message (absent when it was refused) */
  event?: InboundEvent;
  /** why a message was refused, for the log (never the patron's data) */
  refused?: { code: string; reason: string };
}

const XML = 'application/xml; charset=utf-8';

export function handleIso18626(body: string | Uint8Array, remoteAddress: string | undefined, directory: PartnerDirectory, opts: HandlerOptions = {}): HandlerResult {
  const now = opts.now ?? (() => new Date());
  const read = readIso18626(body, { maxBytes: opts.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES, now });
  if (!read.ok) {
    if (read.code === 'iso18626/too-large') return { status: 413, contentType: 'text/plain; charset=utf-8', xml: `${read.reason}\n`, refused: { code: read.code, reason: read.reason } };
    const of = read.guessedKind ? confirmationTarget(read.guessedKind) : undefined;
    const xml = of
      ? writeIso18626(buildConfirmation(of, {}, now(), { errorType: 'BadlyFormedMessage', errorValue: clip(read.reason) }), '1.2')
      : writeIso18626(buildConfirmation('request', {}, now(), { errorType: 'BadlyFormedMessage', errorValue: clip(read.reason) }), '1.2');
    return { status: 400, contentType: XML, xml, refused: { code: read.code, reason: read.reason } };
  }
  const kind = read.kind;
  const echo = read.echo;
  const answer = (version: IsoVersion, of: Confirmable, error?: { errorType: ErrorType; errorValue: string }, event?: InboundEvent): HandlerResult => {
    const confirmation = buildConfirmation(of, versionSafeEcho(echo, version), now(), error ? { errorType: error.errorType, errorValue: clip(error.errorValue) } : undefined);
    return {
      status: 200,
      contentType: XML,
      xml: writeIso18626(confirmation, version),
      ...(event ? { event } : {}),
      ...(error ? { refused: { code: `iso18626/${error.errorType}`, reason: error.errorValue } } : {}),
    };
  };

  if (kind === 'requestConfirmation' || kind === 'supplyingAgencyMessageConfirmation' || kind === 'requestingAgencyMessageConfirmation') {
    // a confirmation answers a message in the same HTTP exchange; posted on its own it has nothing to confirm
    const of = kind === 'requestConfirmation' ? 'request' : kind === 'supplyingAgencyMessageConfirmation' ? 'supplyingAgencyMessage' : 'requestingAgencyMessage';
    const e: EchoFields = { ...echo };
    delete e.reasonForMessage;
    delete e.action;
    const confirmation = buildConfirmation(of, e, now(), { errorType: 'UnrecognisedDataElement', errorValue: `${kind}: a confirmation is the answer to a message, not a message; send request, supplyingAgencyMessage or requestingAgencyMessage` });
    return { status: 200, contentType: XML, xml: writeIso18626(confirmation, read.declaredVersion), refused: { code: 'iso18626/confirmation-posted', reason: kind } };
  }
  const of: Confirmable = kind;
  const partnerRole = kind === 'supplyingAgencyMessage' ? 'supplier' : 'requester';
  const senderId = partnerRole === 'supplier' ? echo.supplyingAgencyId : echo.requestingAgencyId;
  const recipientId = partnerRole === 'supplier' ? echo.requestingAgencyId : echo.supplyingAgencyId;
  const senderField = partnerRole === 'supplier' ? 'supplyingAgencyId' : 'requestingAgencyId';
  const recipientField = partnerRole === 'supplier' ? 'requestingAgencyId' : 'supplyingAgencyId';

  // who is talking: a configured partner, in a direction it is allowed, from where and with what it must
  const partner = senderId ? directory.partners.find((p) => sameAgency(agencyPlain(senderId), p.agencyId)) : undefined;
  const version = partner ? isoVersionOf(partner) : read.declaredVersion;
  if (!senderId) return answer(version, of, { errorType: 'UnrecognisedDataValue', errorValue: `${senderField}: missing or empty` });
  if (!partner) return answer(version, of, { errorType: 'UnrecognisedDataValue', errorValue: `${senderField}: agency not known here (${senderId.type.value}:${senderId.value})` });
  if (partnerRole === 'requester' && !partner.borrows) return answer(version, of, { errorType: 'UnrecognisedDataValue', errorValue: `${senderField}: this agency does not borrow from libraries here` });
  if (partnerRole === 'supplier' && !partner.lends) return answer(version, of, { errorType: 'UnrecognisedDataValue', errorValue: `${senderField}: this agency does not lend to libraries here` });
  if (!addressAllowed(partner.auth.ipAllow, remoteAddress)) return answer(version, of, { errorType: 'UnrecognisedDataValue', errorValue: `${senderField}: not accepted from this address` });
  if (!secretAccepted(partner, partnerRole, echo.authentication)) return answer(version, of, { errorType: 'UnrecognisedDataValue', errorValue: 'requestingAgencyAuthentication: not accepted' });

  // to whom: one of the members
  const member = recipientId ? directory.members.find((m) => sameAgency(agencyPlain(recipientId), m.agencyId)) : undefined;
  if (!recipientId) return answer(version, of, { errorType: 'UnrecognisedDataValue', errorValue: `${recipientField}: missing; name the library the message is for` });
  if (!member) return answer(version, of, { errorType: 'UnrecognisedDataValue', errorValue: `${recipientField}: no library here has this agency id (${recipientId.type.value}:${recipientId.value})` });

  // what it says: values Jala can act on
  const problem = read.problems[0];
  if (problem) return answer(version, of, { errorType: problem.errorType, errorValue: problem.errorValue });
  const message = read.message as InitiatingMessage;
  const event: InboundEvent = { partner, member, partnerRole, message, repeatKey: repeatKey(message), warnings: read.warnings };
  if (!opts.apply) return answer(version, of, undefined, event);
  const applied = opts.apply(event);
  return applied.ok ? answer(version, of, undefined, event) : answer(version, of, { errorType: applied.errorType, errorValue: applied.errorValue });
}

type Confirmable = keyof typeof CONFIRMATION_OF;

function confirmationTarget(kind: MessageKind): Confirmable {
  switch (kind) {
    case 'request':
    case 'requestConfirmation':
      return 'request';
    case 'supplyingAgencyMessage':
    case 'supplyingAgencyMessageConfirmation':
      return 'supplyingAgencyMessage';
    case 'requestingAgencyMessage':
    case 'requestingAgencyMessageConfirmation':
      return 'requestingAgencyMessage';
  }
}

/** The schema a partner's messages follow. */
export function isoVersionOf(partner: Pick<PartnerConfig, 'isoVersion'>): IsoVersion {
  return partner.isoVersion === '2021' ? '2021' : '1.2';
}

/** An echo that validates in `version`: 2021 confirmations have no multipleItemRequestId, and HoldReturn/Lost are 2021 actions. */
function versionSafeEcho(echo: EchoFields, version: IsoVersion): EchoFields {
  const out: EchoFields = { ...echo };
  delete out.authentication;
  if (version === '1.2' && (out.action === 'HoldReturn' || out.action === 'Lost')) delete out.action;
  if (version === '2021') delete out.multipleItemRequestId;
  return out;
}

function agencyPlain(a: AgencyId): { type: string; value: string } {
  return { type: a.type.value, value: a.value };
}

function hashed(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** The shared secret, compared in constant time; a 2021 supplyingAgencyMessage has no place for it (the IP list stands in). */
function secretAccepted(partner: PartnerConfig, role: 'requester' | 'supplier', presented: { accountId?: string; securityCode?: string } | undefined): boolean {
  const secret = partner.auth.sharedSecret;
  if (secret === undefined) return true;
  if (presented?.securityCode === undefined && role === 'supplier' && partner.isoVersion === '2021') return true;
  if (presented?.securityCode === undefined) return false;
  if (!timingSafeEqual(hashed(presented.securityCode), hashed(secret))) return false;
  const account = partner.auth.accountId;
  return account === undefined || presented.accountId === account;
}

function clip(s: string): string {
  return s.length > 500 ? `${s.slice(0, 497)}...` : s;
}
