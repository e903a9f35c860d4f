/**
 * What Jala says to a partner, before the header is known: the intent of a supplyingAgencyMessage
 * (Jala lends) or a requestingAgencyMessage (Jala borrows), and how an intent plus the exchange's
 * ids becomes a complete message, ready for the writer. Confirmations are built here too.
 */
import type { Action, IsoVersion, ReasonForMessage, Status, YesNo } from './iso18626-codes.ts';
import { dueDateTime, formatDateTime } from './iso18626-datetime.ts';
import type { EchoFields } from './iso18626-reader.ts';
import type {
  AgencyId, Authentication, Confirmation, Costs, DeliveryInfo, ErrorData, InitiatingMessage, ReturnInfo,
} from './iso18626-model.ts';

export type OutgoingIntent =
  | { kind: 'requestingAgencyMessage'; action: Action; note?: string }
  | {
      kind: 'supplyingAgencyMessage';
      reasonForMessage: ReasonForMessage;
      status: Status;
      answerYesNo?: YesNo;
      note?: string;
      reasonUnfilled?: string;
      reasonRetry?: string;
      offeredCosts?: Costs;
      retryAfter?: string;
      /** YYYY-MM-DD */
      dueDate?: string;
      /** Loaned: the item left today; ReShare conditions: a dated deliveryInfo carrying loanCondition */
      delivery?: Omit<DeliveryInfo, 'dateSent'>;
      returnInfo?: ReturnInfo;
    }
  /** the request again (requestType Retry), agreeing to a lender's terms: the wiring adds the bibliographic part */
  | { kind: 'retryRequest'; previousRequestId: string; maximumCosts?: Costs; note?: string };

/** Who is who in one transaction, as the partner's messages carry it. */
export interface Exchange {
  version: IsoVersion;
  requestingAgencyId: AgencyId;
  supplyingAgencyId: AgencyId;
  requestingAgencyRequestId: string;
  supplyingAgencyRequestId?: string;
  /** what Jala puts in requestingAgencyAuthentication (the writer leaves it out where a version has no place) */
  authentication?: Authentication;
}

/** A supplyingAgencyMessage or requestingAgencyMessage from an intent (a retryRequest is built by buildRequestMessage). */
export function buildMessage(intent: Exclude<OutgoingIntent, { kind: 'retryRequest' }>, ex: Exchange, now: Date): InitiatingMessage {
  const timestamp = formatDateTime(now);
  const header = {
    supplyingAgencyId: ex.supplyingAgencyId,
    requestingAgencyId: ex.requestingAgencyId,
    timestamp,
    requestingAgencyRequestId: ex.requestingAgencyRequestId,
    ...(ex.supplyingAgencyRequestId !== undefined ? { supplyingAgencyRequestId: ex.supplyingAgencyRequestId } : {}),
    ...(ex.authentication ? { requestingAgencyAuthentication: ex.authentication } : {}),
  };
  if (intent.kind === 'requestingAgencyMessage') {
    return { kind: 'requestingAgencyMessage', header, action: intent.action, ...(intent.note !== undefined ? { note: intent.note } : {}) };
  }
  return {
    kind: 'supplyingAgencyMessage',
    header,
    messageInfo: {
      reasonForMessage: intent.reasonForMessage,
      ...(intent.answerYesNo ? { answerYesNo: intent.answerYesNo } : {}),
      ...(intent.note !== undefined ? { note: intent.note } : {}),
      ...(intent.reasonUnfilled ? { reasonUnfilled: { value: intent.reasonUnfilled } } : {}),
      ...(intent.reasonRetry ? { reasonRetry: { value: intent.reasonRetry } } : {}),
      ...(intent.offeredCosts ? { offeredCosts: intent.offeredCosts } : {}),
      ...(intent.retryAfter ? { retryAfter: intent.retryAfter } : {}),
    },
    statusInfo: {
      status: intent.status,
      ...(intent.dueDate ? { dueDate: dueDateTime(intent.dueDate) } : {}),
      lastChange: timestamp,
    },
    ...(intent.delivery ? { deliveryInfo: { dateSent: timestamp, ...intent.delivery } } : {}),
    ...(intent.returnInfo ? { returnInfo: intent.returnInfo } : {}),
  };
}

/** The confirmation that answers a message of this kind, echoing its header as far as it could be read. */
export function buildConfirmation(
  of: 'request' | 'supplyingAgencyMessage' | 'requestingAgencyMessage',
  echo: EchoFields,
  now: Date,
  error?: ErrorData,
): Confirmation {
  const received = formatDateTime(now);
  const header = {
    ...(echo.supplyingAgencyId ? { supplyingAgencyId: echo.supplyingAgencyId } : {}),
    ...(echo.requestingAgencyId ? { requestingAgencyId: echo.requestingAgencyId } : {}),
    timestamp: received,
    ...(echo.requestingAgencyRequestId !== undefined ? { requestingAgencyRequestId: echo.requestingAgencyRequestId } : {}),
    ...(echo.multipleItemRequestId !== undefined ? { multipleItemRequestId: echo.multipleItemRequestId } : {}),
    // the time of the message being confirmed, as ReShare and CrossLink echo it (or now, when it had none)
    timestampReceived: echo.timestamp ?? received,
    messageStatus: error ? ('ERROR' as const) : ('OK' as const),
  };
  const errors = error ? { errors: [error] } : {};
  switch (of) {
    case 'request':
      return { kind: 'requestConfirmation', header, ...errors };
    case 'supplyingAgencyMessage':
      return { kind: 'supplyingAgencyMessageConfirmation', header, ...(echo.reasonForMessage ? { reasonForMessage: echo.reasonForMessage } : {}), ...errors };
    case 'requestingAgencyMessage':
      return { kind: 'requestingAgencyMessageConfirmation', header, ...(echo.action ? { action: echo.action } : {}), ...errors };
  }
}
