/**
 * The ISO 18626 vocabulary as data: the closed lists of the schemas (v1.2 of 2017 and the 2021
 * revision, `ISO-18626-2021-2.xsd`) and the open code lists Jala uses (illtransactions.org open
 * codes, as ReShare's mod-rs and Index Data's CrossLink use them). Closed lists decide what is
 * valid; open lists are what Jala writes and explains, and any other value of an open code is read.
 */

export const ISO18626_NAMESPACE = 'http://illtransactions.org/2013/iso18626';

/** Which schema a message follows: the 2017 minor revision (v1.2) or the 2021 revision. */
export const ISO_VERSIONS = ['1.2', '2021'] as const;
export type IsoVersion = (typeof ISO_VERSIONS)[number];

/** The `ISO18626Message/@version` Jala writes for each schema. */
export const VERSION_ATTRIBUTE: Record<IsoVersion, string> = { '1.2': '1.2', '2021': '2021-2' };

export const MESSAGE_STATUSES = ['OK', 'ERROR'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const ERROR_TYPES = [
  'UnsupportedActionType', 'UnsupportedReasonForMessageType', 'UnrecognisedDataElement', 'UnrecognisedDataValue', 'BadlyFormedMessage',
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export const REASONS_FOR_MESSAGE = ['RequestResponse', 'StatusRequestResponse', 'RenewResponse', 'CancelResponse', 'StatusChange', 'Notification'] as const;
export type ReasonForMessage = (typeof REASONS_FOR_MESSAGE)[number];

const STATUSES_2017 = [
  'RequestReceived', 'ExpectToSupply', 'WillSupply', 'Loaned', 'Overdue', 'Recalled', 'RetryPossible', 'Unfilled',
  'CopyCompleted', 'LoanCompleted', 'CompletedWithoutReturn', 'Cancelled',
] as const;
/** Every status of either schema; `STATUSES[version]` says which one a version allows. */
export const ALL_STATUSES = [...STATUSES_2017, 'HoldReturn', 'ReleaseHoldReturn'] as const;
export type Status = (typeof ALL_STATUSES)[number];

const ACTIONS_2017 = ['StatusRequest', 'Received', 'Cancel', 'Renew', 'ShippedReturn', 'ShippedForward', 'Notification'] as const;
export const ALL_ACTIONS = [...ACTIONS_2017, 'HoldReturn', 'Lost'] as const;
export type Action = (typeof ALL_ACTIONS)[number];

export const STATUSES: Record<IsoVersion, readonly Status[]> = { '1.2': STATUSES_2017, '2021': ALL_STATUSES };
export const ACTIONS: Record<IsoVersion, readonly Action[]> = { '1.2': ACTIONS_2017, '2021': ALL_ACTIONS };

export const YES_NO = ['Y', 'N'] as const;
export type YesNo = (typeof YES_NO)[number];

export const SERVICE_TYPES = ['Copy', 'Loan', 'CopyOrLoan'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const REQUEST_TYPES = ['New', 'Retry', 'Reminder'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const REQUEST_SUB_TYPES = ['BookingRequest', 'MultipleItemRequest', 'PatronRequest', 'TransferRequest', 'SupplyingLibrarysChoice'] as const;
export type RequestSubType = (typeof REQUEST_SUB_TYPES)[number];

export const PREFERRED_EDITIONS = ['MostRecentEdition', 'ThisEdition', 'AnyEdition'] as const;
export type PreferredEdition = (typeof PREFERRED_EDITIONS)[number];

// ——— open codes (any value is read; these are the ones Jala writes and explains) ———

/** reasonUnfilled; CrossLink adds Duplicate, which ends the rota. */
export const REASON_UNFILLED = ['NonCirculating', 'NotAvailableForILL', 'NotHeld', 'NotOnShelf', 'PolicyProblem', 'PoorCondition', 'Duplicate'] as const;

/** reasonRetry; CrossLink's illmock uses LoanCondition for what the list calls MustMeetLoanCondition. */
export const REASON_RETRY = [
  'AtBindery', 'CostExceedsMaxCost', 'CourierNotSupp', 'MultiVolAvail', 'MustMeetLoanCondition', 'NotCurrentAvailableForILL',
  'NotFoundAsCited', 'OnLoan', 'OnOrder', 'ReqDelDateNotPossible', 'ReqDelMethodNotSupp', 'ReqEditionNotPossible',
  'ReqFormatNotPossible', 'ReqPayMethodNotSupported', 'ReqServLevelNotSupp', 'ReqServTypeNotPossible', 'LoanCondition',
] as const;

/** reasonRetry codes that mean "the lender would supply on terms": the requester accepts or rejects them. */
export const CONDITION_RETRY_REASONS: ReadonlySet<string> = new Set(['CostExceedsMaxCost', 'MustMeetLoanCondition', 'LoanCondition']);

export const LOAN_CONDITIONS = ['LibraryUseOnly', 'NoReproduction', 'SignatureRequired', 'SpecCollSupervReq', 'WatchLibraryUseOnly'] as const;

export const SERVICE_LEVELS = ['Express', 'Normal', 'Rush', 'SecondaryMail', 'Standard', 'Urgent'] as const;

/** The six message elements, in the order of the schemas' choice. */
export const MESSAGE_KINDS = [
  'request', 'requestConfirmation', 'supplyingAgencyMessage', 'supplyingAgencyMessageConfirmation',
  'requestingAgencyMessage', 'requestingAgencyMessageConfirmation',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The confirmation that answers each message. */
export const CONFIRMATION_OF = {
  request: 'requestConfirmation',
  supplyingAgencyMessage: 'supplyingAgencyMessageConfirmation',
  requestingAgencyMessage: 'requestingAgencyMessageConfirmation',
} as const;

/** Finds a closed-list value, ignoring case (peers send "loaned"); undefined when it is not in the list. */
export function closedValue<T extends string>(list: readonly T[], raw: string): T | undefined {
  const exact = list.find((v) => v === raw);
  if (exact !== undefined) return exact;
  const lower = raw.toLowerCase();
  return list.find((v) => v.toLowerCase() === lower);
}
