import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { TRANSITIONS, REQUESTER_STATES, SUPPLIER_STATES, type SupplierState } from '../src/ill/ill-states.ts';
import { ACTIONS, type IsoVersion } from '../src/iso18626/iso18626-codes.ts';
import { handleIso18626, type PartnerDirectory } from '../src/iso18626/iso18626-handler.ts';
import { readIso18626 } from '../src/iso18626/iso18626-reader.ts';
import { writeIso18626 } from '../src/iso18626/iso18626-writer.ts';
import type { RequestMessage } from '../src/iso18626/iso18626-model.ts';
import { buildMessage, type Exchange, type OutgoingIntent } from '../src/iso18626/outgoing-intent.ts';
import { acknowledgeRequest, outgoingForStep, type AppliedStep } from '../src/iso18626/outgoing-messages.ts';
import { planRequesterMessage } from '../src/iso18626/requester-message-plan.ts';
import { PartnerConfig, type VendorProfile } from '../src/config/partner-config.ts';
import { buildRequestMessage, classifyIncomingRequest } from '../src/iso18626/partner-request.ts';
import { everyMessage, fullRequest, requestingAgencyMessage, T } from './support/iso18626-examples.ts';
import { describeWithTools, TOOLS } from './support/system-tools.ts';
import { invalidOnes, validateWithXmllint } from './support/xmllint-validate.ts';
import { ISO18626_FIXTURES, ISO18626_SAMPLES, OUTCOME_WITH_UNKNOWN_IDS } from './support/iso18626-samples.ts';

const FIXTURES = ISO18626_FIXTURES;
const XSD: Record<IsoVersion, string> = { '1.2': path.join(FIXTURES, 'ISO-18626-v1_2.xsd'), '2021': path.join(FIXTURES, 'ISO-18626-2021-2.xsd') };
const SAMPLES = ISO18626_SAMPLES;
const VERSIONS: IsoVersion[] = ['1.2', '2021'];
const VENDORS: VendorProfile[] = ['reshare', 'alma', 'illiad', 'generic'];

function exchange(version: IsoVersion): Exchange {
  return {
    version,
    requestingAgencyId: { type: { value: 'ISIL' }, value: 'ID-UGM' },
    supplyingAgencyId: { type: { value: 'ISIL' }, value: 'US-NJP' },
    requestingAgencyRequestId: 'JALA-UGM-R7',
    supplyingAgencyRequestId: 'PR-42',
    authentication: { accountId: 'jala', securityCode: 'correct horse battery' },
  };
}

/** An outgoing intent as the message Jala would send (a Retry request carries the original bibliographic part). */
function messageOf(intent: OutgoingIntent, version: IsoVersion): string {
  if (intent.kind === 'retryRequest') {
    const r: RequestMessage = buildRequestMessage(
      { title: 'Laskar Pelangi', author: 'Andrea Hirata', isbns: ['9789793062792'], workLabel: 'w7', year: '2005', publisher: 'Bentang', needBy: '2025-06-01', rush: true, patronRequest: true, note: 'for a thesis', requesterName: 'Perpustakaan UGM' },
      { ...exchange(version), requestingAgencyRequestId: `${intent.previousRequestId}-2` },
      new Date(T),
      intent,
    );
    return writeIso18626(r, version);
  }
  return writeIso18626(buildMessage(intent, exchange(version), new Date(T)), version);
}

/** Partners and members named by the samples' agency ids, so that the samples reach the mapping. */
function sampleDirectory(): PartnerDirectory {
  const ids: Array<[string, string]> = [
    ['RESHARE', 'MILL'], ['RESHARE', 'TEMPLEI'], ['DMMY', 'NIA1'], ['DMMY', 'NIA2'], ['RESHARE', 'KNOWINT01'], ['RESHARE', 'TESTINST01'],
    ['ISIL', 'agencyIdValue_holder'], ['ISIL', 'supAgencyIdValue_holder'], ['ISIL', '_SUPPLY_AGENCY_ID_'], ['ISIL', '_REQUEST_AGENCY_ID_'],
    ['ISIL', 'supplierSymbol_holder'], ['ISIL', 'requesterSymbol_holder'], ['agencyIdType1', 'agencyIdValue1'], ['agencyIdType2', 'agencyIdValue1'],
  ];
  return {
    partners: ids.map(([type, value], i) =>
      PartnerConfig.parse({ code: `P${i}`, name: `Partner ${value}`, agencyId: { type, value }, endpoint: 'http://127.0.0.1:9/', auth: { ipAllow: ['127.0.0.1'] } }),
    ),
    members: ids.map(([type, value], i) => ({ library: `M${i}`, agencyId: { type, value } })),
  };
}

describeWithTools([TOOLS.xmllint], 'ISO 18626 messages against the schemas (xmllint --schema)', () => {
  it('the samples themselves mostly do not validate (what real peers send), so a passing check above means something', () => {
    const docs = new Map(SAMPLES.map((s) => [s, fs.readFileSync(path.join(FIXTURES, 'samples', s), 'utf8')]));
    const verdicts = validateWithXmllint(XSD['1.2'], docs);
    expect([...verdicts].filter(([, v]) => v.valid).map(([name]) => name)).toEqual(['illmockrequest.xml']);
  });

  it('every message the writer can produce validates against the schema of its version, v1.2 and 2021', () => {
    for (const version of VERSIONS) {
      const docs = new Map([...everyMessage(version)].map(([name, m]) => [`${version} ${name}`, writeIso18626(m, version)]));
      expect(docs.size).toBeGreaterThan(20);
      expect(invalidOnes(validateWithXmllint(XSD[version], docs))).toEqual([]);
    }
  });

  it('a v1.2 header always carries multipleItemRequestId, empty when Jala has none', () => {
    const xml = writeIso18626(requestingAgencyMessage('Received'), '1.2');
    expect(xml).toContain('<multipleItemRequestId></multipleItemRequestId>');
    expect(writeIso18626(requestingAgencyMessage('Received'), '2021')).not.toContain('multipleItemRequestId');
  });

  it("every message Jala's steps produce, for every row of the state table, vendor profile and version, validates", () => {
    for (const version of VERSIONS) {
      const docs = new Map<string, string>();
      for (const row of TRANSITIONS) {
        for (const from of row.from) {
          for (const vendor of VENDORS) {
            for (const role of ['supplier', 'requester'] as const) {
              for (const via of [null, 'note', 'retry'] as const) {
                const supplierTo: SupplierState | null = row.supplierTo === 'PRIOR' ? 'ON_LOAN' : (row.supplierTo ?? 'WILL_SUPPLY');
                const step: AppliedStep = {
                  action: row.action, side: row.side, from, to: from, supplierFrom: 'WILL_SUPPLY', supplierTo,
                  details: row.needs === 'date' ? '2025-05-01 by courier' : row.needs === 'reason' ? 'not-held sorry' : 'library use only, cost 50.000 IDR',
                  dueDate: '2025-05-01',
                };
                const intent = outgoingForStep(step, {
                  role, vendor, version, requestingAgencyRequestId: 'JALA-UGM-R7',
                  pendingCondition: via === null ? null : { via, codes: ['LibraryUseOnly'], costs: { currencyCode: { value: 'USD' }, monetaryValue: '10' } },
                  returnInfo: { returnAgencyId: { type: { value: 'ISIL' }, value: 'ID-UGM' }, name: 'Perpustakaan UGM' },
                });
                if (intent) docs.set(`${version} ${role} ${vendor} ${via} ${row.action}/${row.side} from ${from}`, messageOf(intent, version));
              }
            }
          }
        }
      }
      for (const vendor of VENDORS) {
        const ack = acknowledgeRequest(vendor);
        if (ack) docs.set(`${version} acknowledge ${vendor}`, messageOf(ack, version));
      }
      docs.set(`${version} request to a partner`, writeIso18626(buildRequestMessage({ title: 'Bumi Manusia' }, exchange(version), new Date(T)), version));
      const copy = classifyIncomingRequest({ ...fullRequest(), serviceInfo: { serviceType: 'Copy' } }, { thisId: false, termsPending: false });
      if (copy.kind === 'copy-only') docs.set(`${version} copy refused`, messageOf(copy.reply, version));
      expect(docs.size).toBeGreaterThan(100);
      expect(invalidOnes(validateWithXmllint(XSD[version], docs))).toEqual([]);
    }
  });

  it("the answers Jala gives a borrowing partner's actions at once (status, refused cancel or renew, lost) validate in every state", () => {
    for (const version of VERSIONS) {
      const docs = new Map<string, string>();
      for (const action of ACTIONS[version]) {
        for (const state of REQUESTER_STATES) {
          for (const supplierState of [null, ...SUPPLIER_STATES]) {
            for (const vendor of VENDORS) {
              const plan = planRequesterMessage(requestingAgencyMessage(action), {
                request: { state, supplierState, priorState: null, priorSupplierState: 'ON_LOAN', dueDate: '2025-05-01', conditionVia: null },
                partnerName: 'Princeton', vendor,
              });
              if (plan.outcome !== 'error' && plan.reply) docs.set(`${version} ${action} in ${state}/${supplierState} ${vendor}`, messageOf(plan.reply, version));
            }
          }
        }
      }
      expect(docs.size).toBeGreaterThan(50);
      expect(invalidOnes(validateWithXmllint(XSD[version], docs))).toEqual([]);
    }
  });

  it('every sample message is read without a crash and gets a confirmation that validates, with OK or the right ERROR', () => {
    const dir = sampleDirectory();
    const docs = new Map<string, string>();
    const outcomes = new Map<string, string>();
    const unknownIds = (e: { message: { kind: string } }) => (e.message.kind === 'request' ? ({ ok: true } as const) : ({ ok: false, errorType: 'UnrecognisedDataValue', errorValue: 'requestingAgencyRequestId: request with a given ID not found' } as const));
    for (const sample of SAMPLES) {
      const body = fs.readFileSync(path.join(FIXTURES, 'samples', sample));
      for (const [setup, directory, apply] of [
        ['unconfigured', { partners: [], members: [] }, undefined],
        ['configured, ids unknown', dir, unknownIds],
        ['configured, ids known', dir, () => ({ ok: true }) as const],
      ] as const) {
        const r = handleIso18626(body, '127.0.0.1', directory, apply ? { apply } : {});
        expect([200, 400]).toContain(r.status);
        docs.set(`${sample} (${setup})`, r.xml);
        const read = readIso18626(r.xml);
        if (!read.ok || !read.message || !('header' in read.message) || !('messageStatus' in read.message.header)) throw new Error(`${sample}: the answer is no confirmation`);
        const m = read.message as { header: { messageStatus: string }; errors?: Array<{ errorType: string }> };
        outcomes.set(`${sample} (${setup})`, m.header.messageStatus === 'OK' ? 'OK' : (m.errors?.[0]?.errorType ?? 'ERROR'));
      }
    }
    expect(invalidOnes(validateWithXmllint(XSD['1.2'], docs))).toEqual([]);
    // nobody unconfigured gets through
    for (const s of SAMPLES) expect(outcomes.get(`${s} (unconfigured)`)).not.toBe('OK');
    expect(Object.fromEntries([...outcomes].filter(([k]) => k.endsWith('(configured, ids unknown)')).map(([k, v]) => [k.replace(' (configured, ids unknown)', ''), v]))).toEqual(OUTCOME_WITH_UNKNOWN_IDS);
    // with the request ids known, the messages Jala can act on are confirmed OK
    for (const s of ['cancelResponseReplyNoTemplate.xml', 'requestingAgencyMessage.xml', 'statusChangeExpectToSupplyTemplate.xml', 'supplyingAgencyMessage.xml', 'unfilledNotification.xml']) {
      expect(outcomes.get(`${s} (configured, ids known)`)).toBe('OK');
    }
  });

  it('unreadable XML gets HTTP 400 with a BadlyFormedMessage confirmation that still validates', () => {
    const docs = new Map<string, string>();
    const bodies = {
      truncated: '<ISO18626Message><request><header>',
      'not xml': 'hello',
      entity: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><request>&a;</request>',
      'wrong root': '<html><body/></html>',
      'bad bytes': Buffer.from([0x3c, 0x72, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x72, 0x3e]),
    };
    for (const [name, body] of Object.entries(bodies)) {
      const r = handleIso18626(body, '127.0.0.1', sampleDirectory());
      expect(r.status, name).toBe(400);
      docs.set(name, r.xml);
    }
    expect(invalidOnes(validateWithXmllint(XSD['1.2'], docs))).toEqual([]);
  });
});
