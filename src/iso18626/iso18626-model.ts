/**
 * The typed ISO 18626 message model: one shape for both schemas (v1.2 of 2017 and the 2021
 * revision). Where the revisions differ the model holds the union of both, and the writer decides
 * per version where (or whether) a field goes: v1.2 keeps offeredCosts/retryAfter/retryBefore in
 * messageInfo and calls deliveryMethod `sentVia` and itemFormat `deliveredFormat`; 2021 moves them
 * to retryInfo/deliveryInfo and adds consortialId, retryInfo, shippingInfo, HoldReturn and Lost.
 *
 * Dates are ISO 8601 strings as Jala understands them (`2025-01-31T10:00:00.000Z`); the reader
 * normalises what peers send (`+0000` offsets, missing seconds) into that form. A few elements the
 * schemas require are optional here because real traffic leaves them out; the writer insists on them.
 */
import type {
  Action, ErrorType, MessageStatus, PreferredEdition, ReasonForMessage, RequestSubType, RequestType, ServiceType, Status, YesNo,
} from './iso18626-codes.ts';

/** A value from an open code list, with the list's URI when the sender named one (`@scheme`). */
export interface Code {
  value: string;
  scheme?: string;
}

export interface AgencyId {
  type: Code;
  value: string;
}

export interface Costs {
  currencyCode: Code;
  /** a decimal as text, e.g. "12.50" */
  monetaryValue: string;
}

export interface ElectronicAddress {
  type: Code;
  data: string;
}

export interface PhysicalAddress {
  line1?: string;
  line2?: string;
  locality?: string;
  postalCode?: string;
  /** ISO 3166-2 (a code in v1.2, plain text in 2021) */
  region?: string;
  /** ISO 3166-1 */
  country?: Code;
}

export type Address = { electronic: ElectronicAddress } | { physical: PhysicalAddress };

export interface Authentication {
  accountId?: string;
  securityCode?: string;
}

/** The header of request, supplyingAgencyMessage and requestingAgencyMessage. */
export interface MessageHeader {
  /** optional in a 2021 request (a transfer request needs no supplier); required everywhere else */
  supplyingAgencyId?: AgencyId;
  requestingAgencyId: AgencyId;
  /** 2021 only */
  consortialId?: AgencyId;
  /** v1.2 requires the element (Jala sends it empty); 2021 has it only in the request header */
  multipleItemRequestId?: string;
  timestamp: string;
  requestingAgencyRequestId: string;
  supplyingAgencyRequestId?: string;
  /** v1.2: every header; 2021: request and requestingAgencyMessage headers only */
  requestingAgencyAuthentication?: Authentication;
}

export interface BibliographicItemId {
  identifier: string;
  code: Code;
}

export interface BibliographicRecordId {
  code: Code;
  identifier: string;
}

export interface BibliographicInfo {
  supplierUniqueRecordId?: string;
  title?: string;
  author?: string;
  /** 2021 only (an ISNI) */
  authorId?: string;
  subtitle?: string;
  seriesTitle?: string;
  edition?: string;
  titleOfComponent?: string;
  authorOfComponent?: string;
  /** one in v1.2, repeatable in 2021 */
  volumes?: string[];
  issue?: string;
  pagesRequested?: string;
  estimatedNoPages?: string;
  itemIds?: BibliographicItemId[];
  sponsor?: string;
  informationSource?: string;
  recordIds?: BibliographicRecordId[];
}

export interface PublicationInfo {
  publisher?: string;
  /** 2021 only */
  publisherId?: string;
  publicationType?: Code;
  publicationDate?: string;
  placeOfPublication?: string;
}

export interface ServiceInfo {
  requestType?: RequestType;
  requestSubTypes?: RequestSubType[];
  requestingAgencyPreviousRequestId?: string;
  serviceType: ServiceType;
  serviceLevel?: Code;
  /** preferredFormat in v1.2, itemFormat in 2021 */
  preferredFormat?: Code;
  needBeforeDate?: string;
  copyrightCompliance?: Code;
  anyEdition?: YesNo;
  /** 2021 only */
  preferredEdition?: PreferredEdition;
  /** 2021 only */
  loanConditions?: Code[];
  startDate?: string;
  endDate?: string;
  note?: string;
}

export interface SupplierInfo {
  sortOrder?: number;
  supplierCode?: AgencyId;
  supplierDescription?: string;
  recordId?: BibliographicRecordId;
  callNumber?: string;
  summaryHoldings?: string;
  availabilityNote?: string;
}

export interface RequestedDeliveryInfo {
  sortOrder?: number;
  address?: Address;
  /** 2021 only */
  deliveryMethod?: Code;
  /** 2021 only */
  courierName?: Code;
}

export interface RequestingAgencyInfo {
  name?: string;
  contactName?: string;
  addresses?: Address[];
}

export interface PatronInfo {
  patronId?: string;
  surname?: string;
  givenName?: string;
  patronType?: Code;
  sendToPatron?: YesNo;
  addresses?: Address[];
}

export interface BillingInfo {
  paymentMethod?: Code;
  maximumCosts?: Costs;
  billingMethod?: Code;
  billingName?: string;
  address?: Address;
}

export interface RequestMessage {
  kind: 'request';
  header: MessageHeader;
  bibliographicInfo: BibliographicInfo;
  publicationInfo?: PublicationInfo;
  /** optional in v1.2, required in 2021 */
  serviceInfo?: ServiceInfo;
  supplierInfo?: SupplierInfo[];
  requestedDeliveryInfo?: RequestedDeliveryInfo[];
  requestingAgencyInfo?: RequestingAgencyInfo;
  patronInfo?: PatronInfo;
  billingInfo?: BillingInfo;
}

export interface MessageInfo {
  reasonForMessage: ReasonForMessage;
  answerYesNo?: YesNo;
  note?: string;
  reasonUnfilled?: Code;
  reasonRetry?: Code;
  /** messageInfo in v1.2, retryInfo in 2021 */
  offeredCosts?: Costs;
  /** messageInfo in v1.2, retryInfo in 2021 */
  retryAfter?: string;
  /** messageInfo in v1.2, retryInfo in 2021 */
  retryBefore?: string;
}

export interface StatusInfo {
  /** required by the schemas (the writer insists); absent in what some peers send (Alma leaves a Notification's status empty) */
  status?: Status;
  expectedDeliveryDate?: string;
  dueDate?: string;
  /** required by the schemas (the writer insists); often missing or a placeholder in what peers send */
  lastChange?: string;
}

/** 2021 only, besides the costs and dates that v1.2 carries in messageInfo. */
export interface RetryInfo {
  loanConditions?: Code[];
  editions?: string[];
  itemFormats?: Code[];
  volumes?: string[];
  serviceType?: ServiceType;
  serviceLevels?: Code[];
  deliveryMethods?: Code[];
  courierNames?: Code[];
  paymentMethods?: Code[];
}

export interface DeliveryInfo {
  /** required by the schemas (the writer insists); ReShare sends deliveryInfo without it to carry a loan condition */
  dateSent?: string;
  /** one in v1.2, repeatable in 2021 */
  itemIds?: string[];
  /** 2021 only */
  url?: string;
  /** sentVia in v1.2 */
  deliveryMethod?: Code;
  /** 2021 only */
  address?: Address;
  sentToPatron?: boolean;
  /** one in v1.2, repeatable in 2021 */
  loanConditions?: Code[];
  /** deliveredFormat in v1.2 */
  itemFormat?: Code;
  /** 2021 only */
  serviceType?: ServiceType;
  /** one in v1.2, repeatable in 2021 */
  deliveryCosts?: Costs[];
  /** 2021 only */
  paymentMethod?: Code;
}

/** 2021 only. */
export interface ShippingInfo {
  courierName?: Code;
  trackingIds?: string[];
  insurance?: YesNo;
  insuranceThirdParty?: YesNo;
  thirdPartyName?: string;
  insuranceCosts?: Costs[];
}

export interface ReturnInfo {
  returnAgencyId?: AgencyId;
  name?: string;
  physicalAddress?: PhysicalAddress;
}

export interface SupplyingAgencyMessage {
  kind: 'supplyingAgencyMessage';
  header: MessageHeader;
  messageInfo: MessageInfo;
  statusInfo: StatusInfo;
  retryInfo?: RetryInfo;
  deliveryInfo?: DeliveryInfo;
  shippingInfo?: ShippingInfo;
  returnInfo?: ReturnInfo;
}

export interface RequestingAgencyMessage {
  kind: 'requestingAgencyMessage';
  header: MessageHeader;
  action: Action;
  note?: string;
}

export interface ErrorData {
  errorType: ErrorType;
  errorValue?: string;
}

export interface ConfirmationHeader {
  supplyingAgencyId?: AgencyId;
  requestingAgencyId?: AgencyId;
  timestamp: string;
  requestingAgencyRequestId?: string;
  /** v1.2 only */
  multipleItemRequestId?: string;
  timestampReceived: string;
  messageStatus: MessageStatus;
}

export interface RequestConfirmation {
  kind: 'requestConfirmation';
  header: ConfirmationHeader;
  /** one in v1.2, repeatable in 2021 */
  errors?: ErrorData[];
}

export interface SupplyingAgencyMessageConfirmation {
  kind: 'supplyingAgencyMessageConfirmation';
  header: ConfirmationHeader;
  reasonForMessage?: ReasonForMessage;
  errors?: ErrorData[];
}

export interface RequestingAgencyMessageConfirmation {
  kind: 'requestingAgencyMessageConfirmation';
  header: ConfirmationHeader;
  action?: Action;
  errors?: ErrorData[];
}

export type Confirmation = RequestConfirmation | SupplyingAgencyMessageConfirmation | RequestingAgencyMessageConfirmation;
/** The three messages that ask for a confirmation. */
export type InitiatingMessage = RequestMessage | SupplyingAgencyMessage | RequestingAgencyMessage;
export type Iso18626Message = InitiatingMessage | Confirmation;
