/**
 * ISO 18626 messages and partners for the tests: every part of the model filled in, and the two
 * sides of a consortium (members with agency ids, partners of each vendor profile).
 */
import { ALL_ACTIONS, ALL_STATUSES, ACTIONS, STATUSES, type IsoVersion } from '../../src/iso18626/iso18626-codes.ts';
import type {
  Iso18626Message, RequestMessage, RequestingAgencyMessage, SupplyingAgencyMessage,
} from '../../src/iso18626/iso18626-model.ts';
import { PartnerConfig, type MemberAgency } from '../../src/config/partner-config.ts';
import type { PartnerDirectory } from '../../src/iso18626/iso18626-handler.ts';

export const T = '2025-03-04T05:06:07.089Z';

const member = { type: { value: 'ISIL' }, value: 'ID-UGM' };
const partner = { type: { value: 'ISIL', scheme: 'http://illtransactions.org/ISO18626/OpenCodeList/AgencyIdTypeList-V2.0' }, value: 'US-NJP' };

export function fullRequest(): RequestMessage {
  const address = { physical: { line1: 'Jl. Kaliurang', line2: 'Bulaksumur', locality: 'Yogyakarta', postalCode: '55281', region: 'YO', country: { value: 'ID' } } };
  return {
    kind: 'request',
    header: {
      supplyingAgencyId: partner,
      requestingAgencyId: member,
      consortialId: { type: { value: 'ISIL' }, value: 'ID-JALA' },
      multipleItemRequestId: 'M1',
      timestamp: T,
      requestingAgencyRequestId: 'JALA-UGM-R1',
      supplyingAgencyRequestId: 'S1',
      requestingAgencyAuthentication: { accountId: 'jala', securityCode: 's3cret-value & <more>' },
    },
    bibliographicInfo: {
      supplierUniqueRecordId: '99123',
      title: 'Laskar Pelangi',
      author: 'Andrea Hirata',
      authorId: '0000000121032683',
      subtitle: 'sebuah novel',
      seriesTitle: 'Tetralogi',
      edition: '2nd',
      titleOfComponent: 'Bab 1',
      authorOfComponent: 'Hirata',
      volumes: ['1', '2'],
      issue: '3',
      pagesRequested: '1-10',
      estimatedNoPages: '10',
      itemIds: [{ identifier: '9789793062792', code: { value: 'ISBN' } }],
      sponsor: 'none',
      informationSource: 'Jala union catalog',
      recordIds: [{ code: { value: 'OCLC' }, identifier: '123456' }],
    },
    publicationInfo: { publisher: 'Bentang', publisherId: '0000', publicationType: { value: 'Book' }, publicationDate: '2005', placeOfPublication: 'Yogyakarta' },
    serviceInfo: {
      requestType: 'New',
      requestSubTypes: ['PatronRequest'],
      requestingAgencyPreviousRequestId: 'JALA-UGM-R0',
      serviceType: 'Loan',
      serviceLevel: { value: 'Rush' },
      preferredFormat: { value: 'Printed' },
      needBeforeDate: '2025-04-01T12:00:00.000Z',
      copyrightCompliance: { value: 'US-CCG' },
      anyEdition: 'Y',
      preferredEdition: 'AnyEdition',
      loanConditions: [{ value: 'LibraryUseOnly' }],
      startDate: T,
      endDate: T,
      note: 'Needed for a thesis — "urgent" <please>',
    },
    supplierInfo: [{ sortOrder: 1, supplierCode: partner, supplierDescription: 'Princeton', recordId: { code: { value: 'OCLC' }, identifier: '1' }, callNumber: 'PL5089', summaryHoldings: 'v.1', availabilityNote: 'on shelf' }],
    requestedDeliveryInfo: [
      { sortOrder: 0, address, deliveryMethod: { value: 'Courier' }, courierName: { value: 'JNE' } },
      { sortOrder: 1, address: { electronic: { type: { value: 'Email' }, data: 'ill@ugm.example' } } },
    ],
    requestingAgencyInfo: { name: 'Perpustakaan UGM', contactName: 'ILL desk', addresses: [address] },
    patronInfo: { patronId: 'P-1', surname: 'S', givenName: 'G', patronType: { value: 'Student' }, sendToPatron: 'N', addresses: [address] },
    billingInfo: { paymentMethod: { value: 'IFLAVoucher' }, maximumCosts: { currencyCode: { value: 'USD' }, monetaryValue: '25.50' }, billingMethod: { value: 'Account' }, billingName: 'UGM', address },
  };
}

export function fullSupplyingAgencyMessage(status: SupplyingAgencyMessage['statusInfo']['status'] = 'Loaned'): SupplyingAgencyMessage {
  return {
    kind: 'supplyingAgencyMessage',
    header: {
      supplyingAgencyId: partner,
      requestingAgencyId: member,
      multipleItemRequestId: '',
      timestamp: T,
      requestingAgencyRequestId: 'JALA-UGM-R1',
      supplyingAgencyRequestId: 'S1',
      requestingAgencyAuthentication: { securityCode: 'x' },
    },
    messageInfo: {
      reasonForMessage: 'StatusChange',
      answerYesNo: 'Y',
      note: 'note',
      reasonUnfilled: { value: 'NotHeld' },
      reasonRetry: { value: 'CostExceedsMaxCost' },
      offeredCosts: { currencyCode: { value: 'IDR' }, monetaryValue: '50000' },
      retryAfter: T,
      retryBefore: T,
    },
    statusInfo: { status, expectedDeliveryDate: T, dueDate: '2025-04-01T12:00:00.000Z', lastChange: T },
    retryInfo: {
      loanConditions: [{ value: 'LibraryUseOnly' }],
      editions: ['1st'],
      itemFormats: [{ value: 'Printed' }],
      volumes: ['2'],
      serviceType: 'Loan',
      serviceLevels: [{ value: 'Normal' }],
      deliveryMethods: [{ value: 'Mail' }],
      courierNames: [{ value: 'DHL' }],
      paymentMethods: [{ value: 'Invoice' }],
    },
    deliveryInfo: {
      dateSent: T,
      itemIds: ['39000001', '39000002'],
      url: 'https://example.org/x',
      deliveryMethod: { value: 'Mail' },
      address: { physical: { line1: 'x' } },
      sentToPatron: false,
      loanConditions: [{ value: 'NoReproduction' }, { value: 'LibraryUseOnly' }],
      itemFormat: { value: 'Printed' },
      serviceType: 'Loan',
      deliveryCosts: [{ currencyCode: { value: 'USD' }, monetaryValue: '3' }],
      paymentMethod: { value: 'Invoice' },
    },
    shippingInfo: { courierName: { value: 'DHL' }, trackingIds: ['T1'], insurance: 'Y', insuranceThirdParty: 'N', thirdPartyName: 'Acme', insuranceCosts: [{ currencyCode: { value: 'USD' }, monetaryValue: '1.00' }] },
    returnInfo: { returnAgencyId: partner, name: 'Princeton ILL', physicalAddress: { line1: 'Firestone', locality: 'Princeton', country: { value: 'US' } } },
  };
}

export function requestingAgencyMessage(action: RequestingAgencyMessage['action']): RequestingAgencyMessage {
  return {
    kind: 'requestingAgencyMessage',
    header: { supplyingAgencyId: partner, requestingAgencyId: member, timestamp: T, requestingAgencyRequestId: 'JALA-UGM-R1', requestingAgencyAuthentication: { securityCode: 'x' } },
    action,
    note: 'a note',
  };
}

/** One of every message the writer can produce in this version (every status and action it allows). */
export function everyMessage(version: IsoVersion): Map<string, Iso18626Message> {
  const out = new Map<string, Iso18626Message>();
  out.set('request (full)', fullRequest());
  const minimal: RequestMessage = { kind: 'request', header: { supplyingAgencyId: partner, requestingAgencyId: member, timestamp: T, requestingAgencyRequestId: 'R' }, bibliographicInfo: {}, serviceInfo: { serviceType: 'Loan' } };
  out.set('request (minimal)', minimal);
  for (const status of STATUSES[version]) out.set(`supplyingAgencyMessage ${status}`, fullSupplyingAgencyMessage(status));
  const bare: SupplyingAgencyMessage = {
    kind: 'supplyingAgencyMessage',
    header: { supplyingAgencyId: partner, requestingAgencyId: member, timestamp: T, requestingAgencyRequestId: 'R' },
    messageInfo: { reasonForMessage: 'Notification' },
    statusInfo: { status: 'RequestReceived', lastChange: T },
  };
  out.set('supplyingAgencyMessage (bare)', bare);
  for (const action of ACTIONS[version]) out.set(`requestingAgencyMessage ${action}`, requestingAgencyMessage(action));
  const header = { supplyingAgencyId: partner, requestingAgencyId: member, timestamp: T, requestingAgencyRequestId: 'R', multipleItemRequestId: '', timestampReceived: T, messageStatus: 'OK' as const };
  const error = { errorType: 'UnrecognisedDataValue' as const, errorValue: 'requestingAgencyRequestId: not found' };
  out.set('requestConfirmation OK', { kind: 'requestConfirmation', header });
  out.set('requestConfirmation ERROR', { kind: 'requestConfirmation', header: { ...header, messageStatus: 'ERROR' }, errors: [error, { errorType: 'BadlyFormedMessage' }] });
  out.set('supplyingAgencyMessageConfirmation', { kind: 'supplyingAgencyMessageConfirmation', header, reasonForMessage: 'RenewResponse', errors: [error] });
  out.set('requestingAgencyMessageConfirmation', { kind: 'requestingAgencyMessageConfirmation', header, action: ACTIONS[version][0] ?? 'Received', errors: [error] });
  out.set('confirmation without ids', { kind: 'requestConfirmation', header: { timestamp: T, timestampReceived: T, messageStatus: 'ERROR' }, errors: [{ errorType: 'BadlyFormedMessage' }] });
  return out;
}

export const EVERY_STATUS = ALL_STATUSES;
export const EVERY_ACTION = ALL_ACTIONS;

export const MEMBERS: MemberAgency[] = [
  { library: 'UGM', agencyId: { type: 'ISIL', value: 'ID-UGM' } },
  { library: 'UI', agencyId: { type: 'ISIL', value: 'ID-UI' } },
];

export function partnerConfig(overrides: Record<string, unknown> = {}): PartnerConfig {
  return PartnerConfig.parse({
    code: 'PRINCETON',
    name: 'Princeton University Library',
    agencyId: { type: 'ISIL', value: 'US-NJP' },
    endpoint: 'http://127.0.0.1:9/iso18626',
    auth: { sharedSecret: 'correct horse battery' },
    vendor: 'reshare',
    ...overrides,
  });
}

export function directory(...partners: PartnerConfig[]): PartnerDirectory {
  return { partners: partners.length > 0 ? partners : [partnerConfig()], members: MEMBERS };
}
