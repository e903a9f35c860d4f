/**
 * Every sample message (test/fixtures/iso18626/samples, see its SOURCES.md) posted to a Jala that
 * has the sample's sender configured as a partner and its recipient as a member: read without a
 * crash, acted on through the ILL service, and answered with a confirmation that validates — OK for
 * a new request (which becomes a lending request in the member's queue), the right ERROR for the
 * rest (request ids this Jala never issued, confirmations posted as messages).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createJala, type Jala } from '../src/app/create-jala.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import { readIso18626 } from '../src/iso18626/iso18626-reader.ts';
import { tempDir } from './support/paths.ts';
import { describeWithTools, TOOLS } from './support/system-tools.ts';
import { invalidOnes, validateWithXmllint } from './support/xmllint-validate.ts';
import { ISO18626_FIXTURES, ISO18626_SAMPLES, OUTCOME_WITH_UNKNOWN_IDS } from './support/iso18626-samples.ts';
import { sqliteOf } from './support/sqlite-of.ts';

const FIXTURES = ISO18626_FIXTURES;
const SAMPLES = ISO18626_SAMPLES;
const opened: Jala[] = [];
afterAll(() => opened.forEach((j) => j.close()));

/** A Jala with no catalog whose one member is the sample's recipient and whose one partner is its sender. */
async function jalaFor(sample: Buffer): Promise<Jala | undefined> {
  const read = readIso18626(sample);
  if (!read.ok) return undefined;
  const fromSupplier = read.kind.startsWith('supplyingAgencyMessage');
  // a message that names no sender or recipient still meets a configured Jala (and is refused)
  const dummy = (value: string) => ({ type: { value: 'ISIL' }, value });
  const sender = (fromSupplier ? read.echo.supplyingAgencyId : read.echo.requestingAgencyId) ?? dummy('XX-SENDER');
  const recipient = (fromSupplier ? read.echo.requestingAgencyId : read.echo.supplyingAgencyId) ?? dummy('XX-RECIPIENT');
  const dataDir = tempDir('jala-iso-sample-');
  const config = {
    name: 'Samples',
    libraries: [{ code: 'MEMBER', name: 'Member library', agencyId: { type: recipient.type.value, value: recipient.value } }],
    iso18626: { partners: [{ code: 'PARTNER', name: 'Sample partner', agencyId: { type: sender.type.value, value: sender.value }, endpoint: 'http://127.0.0.1:9/iso18626', auth: { ipAllow: ['127.0.0.1'] } }] },
  };
  fs.writeFileSync(path.join(dataDir, 'consortium.json'), JSON.stringify(config));
  const jala = await createJala({ dataDir, configPath: path.join(dataDir, 'consortium.json') });
  opened.push(jala);
  return jala;
}

describeWithTools([TOOLS.xmllint], 'the sample messages against a configured Jala', () => {
  it('each gets a confirmation that validates, OK or the right ERROR, and a new request lands in the member queue', async () => {
    const docs = new Map<string, string>();
    const outcomes: Record<string, string> = {};
    for (const sample of SAMPLES) {
      const body = fs.readFileSync(path.join(FIXTURES, 'samples', sample));
      const jala = await jalaFor(body);
      if (!jala) {
        outcomes[sample] = 'no agencies';
        continue;
      }
      const ill = createIllService(jala, { now: () => new Date('2027-02-01T08:00:00Z') });
      const link = ill.partners;
      if (!link) throw new Error('no partner link');
      const r = link.receive(body, '127.0.0.1');
      docs.set(sample, r.xml);
      const read = readIso18626(r.xml);
      if (!read.ok || !read.message || !('header' in read.message) || !('messageStatus' in read.message.header)) throw new Error(`${sample}: the answer is no confirmation`);
      const m = read.message as { header: { messageStatus: string }; errors?: Array<{ errorType: string }> };
      outcomes[sample] = m.header.messageStatus === 'OK' ? 'OK' : (m.errors?.[0]?.errorType ?? 'ERROR');
      const requests = sqliteOf(jala.store).prepare("SELECT requester, supplier, state, patron_user_id AS patron FROM ill_requests").all() as Array<Record<string, unknown>>;
      const incoming = readIso18626(body);
      if (outcomes[sample] === 'OK' && incoming.ok && incoming.kind === 'request') {
        const queued = link.store.outbox();
        docs.set(`${sample} → answer`, queued[0]?.xml ?? '');
        if (/serviceType>Copy</.test(body.toString('utf8'))) {
          // a copy: answered at once (loans of physical items only), nothing in the queue
          expect(requests, sample).toEqual([]);
          expect(queued.map((q) => q.label), sample).toEqual(['RetryPossible (RequestResponse)']);
        } else {
          expect(requests, sample).toEqual([{ requester: 'PARTNER', supplier: 'MEMBER', state: 'SENT', patron: null }]);
          // the partner hears ExpectToSupply from the outbox
          expect(queued.map((q) => q.label), sample).toEqual(['ExpectToSupply (RequestResponse)']);
        }
      } else {
        expect(requests, `${sample}: nothing changed`).toEqual([]);
      }
    }
    expect(outcomes).toEqual(OUTCOME_WITH_UNKNOWN_IDS);
    expect(invalidOnes(validateWithXmllint(path.join(FIXTURES, 'ISO-18626-v1_2.xsd'), docs))).toEqual([]);
  }, 120_000);
});
