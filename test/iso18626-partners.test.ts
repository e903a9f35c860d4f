/**
 * Interlibrary loan between two Jala instances over ISO 18626 (each the other's partner), in full
 * loans, through their HTTP listeners on 127.0.0.1; every message sent and every confirmation
 * answered is validated with xmllint against the v1.2 schema at the end.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/config/data-dir.ts';
import { readIso18626 } from '../src/iso18626/iso18626-reader.ts';
import { lendingRequestFor, manualClock, requestIdOf, settle, startPair, type JalaNode } from './support/iso18626-pair.ts';
import { describeWithTools, TOOLS } from './support/system-tools.ts';
import { invalidOnes, validateWithXmllint } from './support/xmllint-validate.ts';

const XSD = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'iso18626', 'ISO-18626-v1_2.xsd');
const clock = manualClock('2027-02-01T08:00:00.000Z');
let a: JalaNode;
let b: JalaNode;
let rainbow: string;
let negeri: string;

function workOf(node: JalaNode, title: string): string {
  const hit = node.jala.ask(title).results.find((r) => r.title.toLowerCase().startsWith(title.toLowerCase()));
  if (!hit) throw new Error(`no work ${title} at ${node.name}`);
  return hit.workId;
}

beforeAll(async () => {
  ({ a, b } = await startPair(clock));
  rainbow = workOf(a, 'The rainbow troops'); // at A held only by UI; B's UNAIR holds it
  negeri = workOf(b, 'Negeri 5 menara'); // at B held by ITB
}, 240_000);
afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

/** A's UGM asks for the rainbow troops: the rota's first lender is the partner UNAIR (before members). */
async function borrowFromB(): Promise<{ id: number; bId: number }> {
  const id = requestIdOf(a.cmd('UGM', `request ${rainbow}`));
  expect(a.request(id)).toMatchObject({ state: 'SENT', supplier: 'UNAIR' });
  await settle(a, b);
  const lending = lendingRequestFor(b, 'UGM', `UGM-R${id}`);
  return { id, bId: lending.id };
}

function events(node: JalaNode, id: number, action: string): number {
  return node.store.events(id).filter((e) => e.action === action).length;
}

describe('a member borrows from a partner, a member lends to a partner', () => {
  it('request → ExpectToSupply → WillSupply → Loaned → Received → ShippedReturn → LoanCompleted', async () => {
    const { id, bId } = await borrowFromB();
    // B: a lending request in UNAIR's queue, with the card in UNAIR's channel and none for the partner
    expect(b.request(bId)).toMatchObject({ state: 'SENT', supplierState: 'NEW', requester: 'UGM', supplier: 'UNAIR', title: expect.stringMatching(/rainbow troops/i) });
    const queue = b.cmd('UNAIR', 'queue');
    expect(JSON.stringify(queue.replies[0])).toContain(`R${bId}`);
    // A heard ExpectToSupply (a note in the request's thread)
    expect(a.store.events(id).some((e) => e.action === 'note' && /expects to supply/i.test(e.note ?? ''))).toBe(true);

    b.cmd('UNAIR', `accept R${bId}`);
    await settle(a, b);
    expect(a.request(id)).toMatchObject({ state: 'WILL_SUPPLY', supplierState: 'WILL_SUPPLY' });

    b.cmd('UNAIR', `ship R${bId} 2027-03-01`);
    await settle(a, b);
    expect(a.request(id)).toMatchObject({ state: 'SHIPPED', dueDate: '2027-03-01' });

    a.cmd('UGM', `receive R${id}`);
    await settle(a, b);
    expect(b.request(bId)).toMatchObject({ state: 'RECEIVED', supplierState: 'ON_LOAN' });

    a.cmd('UGM', `return R${id}`);
    await settle(a, b);
    expect(b.request(bId)).toMatchObject({ state: 'RETURN_SHIPPED' });

    b.cmd('UNAIR', `checkin R${bId}`);
    await settle(a, b);
    expect(a.request(id)).toMatchObject({ state: 'COMPLETED' });
    expect(b.request(bId)).toMatchObject({ state: 'COMPLETED' });
    // each step once on each side
    for (const action of ['accept', 'ship', 'receive', 'return', 'checkin']) {
      expect(events(a, id, action), `A ${action}`).toBe(1);
      expect(events(b, bId, action), `B ${action}`).toBe(1);
    }
  });

  it('Unfilled: the partner cannot supply, and the request moves to the next lender', async () => {
    const { id, bId } = await borrowFromB();
    b.cmd('UNAIR', `decline R${bId} not-on-shelf missing since May`);
    await settle(a, b);
    expect(b.request(bId)).toMatchObject({ state: 'UNFILLED' });
    const r = a.request(id);
    expect(r).toMatchObject({ state: 'SENT', supplier: 'UI', supplierState: 'NEW' });
    const rota = a.store.rota(id);
    expect(rota.find((e) => e.library === 'UNAIR')).toMatchObject({ status: 'declined', reason: { kind: 'ended', code: 'NotOnShelf' } });
    expect(rota.find((e) => e.library === 'UI')).toMatchObject({ status: 'selected' });
  });

  it('a cancel before shipping is agreed by the lender', async () => {
    const { id, bId } = await borrowFromB();
    a.cmd('UGM', `cancel R${id} patron no longer needs it`);
    await settle(a, b);
    expect(a.request(id)).toMatchObject({ state: 'CANCEL_PENDING' });
    expect(b.request(bId)).toMatchObject({ state: 'CANCEL_PENDING', supplierState: 'CANCEL_REQUESTED' });
    b.cmd('UNAIR', `approve R${bId}`);
    await settle(a, b);
    expect(b.request(bId)).toMatchObject({ state: 'CANCELLED' });
    expect(a.request(id)).toMatchObject({ state: 'CANCELLED' });
  });

  it('a cancel crossing the shipment: the item is on its way, so the loan goes on', async () => {
    const { id, bId } = await borrowFromB();
    b.cmd('UNAIR', `accept R${bId}`);
    await settle(a, b);
    // both act before either hears of the other
    a.cmd('UGM', `cancel R${id}`);
    b.cmd('UNAIR', `ship R${bId} 2027-03-01`);
    await settle(a, b);
    expect(a.request(id)).toMatchObject({ state: 'SHIPPED', dueDate: '2027-03-01' });
    expect(b.request(bId)).toMatchObject({ state: 'SHIPPED' });
    // and the loan goes on
    a.cmd('UGM', `receive R${id}`);
    await settle(a, b);
    expect(b.request(bId)).toMatchObject({ state: 'RECEIVED' });
  });

  it('a renew answered yes, then one answered no', async () => {
    const { id, bId } = await borrowFromB();
    b.cmd('UNAIR', `ship R${bId} 2027-03-01`);
    await settle(a, b);
    a.cmd('UGM', `receive R${id}`);
    await settle(a, b);
    a.cmd('UGM', `renew R${id}`);
    await settle(a, b);
    expect(b.request(bId)).toMatchObject({ state: 'RENEW_PENDING' });
    b.cmd('UNAIR', `approve R${bId} 2027-04-01`);
    await settle(a, b);
    expect(a.request(id)).toMatchObject({ state: 'RECEIVED', dueDate: '2027-04-01', renewals: 1 });
    expect(b.request(bId)).toMatchObject({ state: 'RECEIVED', dueDate: '2027-04-01' });

    a.cmd('UGM', `renew R${id}`);
    await settle(a, b);
    b.cmd('UNAIR', `reject R${bId} needed for a course`);
    await settle(a, b);
    expect(a.request(id)).toMatchObject({ state: 'RECEIVED', dueDate: '2027-04-01', renewals: 1 });
    expect(b.request(bId)).toMatchObject({ state: 'RECEIVED' });
  });

  it('loan conditions accepted: the lender’s terms come as RetryPossible, and agreeing asks again with Retry', async () => {
    const { id, bId } = await borrowFromB();
    b.cmd('UNAIR', `condition R${bId} library use only`);
    await settle(a, b);
    expect(a.request(id)).toMatchObject({ state: 'CONDITION_PENDING', condition: expect.stringContaining('library use only') });
    a.cmd('UGM', `approve R${id}`);
    await settle(a, b);
    expect(b.request(bId)).toMatchObject({ state: 'WILL_SUPPLY' });
    expect(a.request(id)).toMatchObject({ state: 'WILL_SUPPLY' });
    b.cmd('UNAIR', `ship R${bId}`);
    await settle(a, b);
    expect(a.request(id)).toMatchObject({ state: 'SHIPPED' });
  });

  it('loan conditions rejected: the lender hears REJECT and closes; the borrower moves to its next lender', async () => {
    const { id, bId } = await borrowFromB();
    b.cmd('UNAIR', `condition R${bId} cost 50000 IDR`);
    await settle(a, b);
    expect(a.request(id)).toMatchObject({ state: 'CONDITION_PENDING' });
    a.cmd('UGM', `reject R${id} too expensive`);
    await settle(a, b);
    expect(a.request(id)).toMatchObject({ state: 'SENT', supplier: 'UI' });
    expect(b.request(bId)).toMatchObject({ state: 'UNFILLED', supplierState: 'CANCELLED' });
  });

  it('the partner down for a while, then back: nothing lost, nothing doubled, in order', async () => {
    const { id, bId } = await borrowFromB();
    b.cmd('UNAIR', `ship R${bId} 2027-03-01`);
    await settle(a, b);
    await b.gate.close();
    a.cmd('UGM', `receive R${id}`);
    a.cmd('UGM', `note R${id} arrived in good condition`);
    a.cmd('UGM', `return R${id}`);
    const down = await settle(a, b);
    expect(down.failed).toBeGreaterThan(0);
    expect(down.sent).toBe(0);
    clock.advanceMinutes(1);
    expect((await settle(a, b)).sent).toBe(0);
    expect(b.request(bId)).toMatchObject({ state: 'SHIPPED' });
    await b.gate.open();
    clock.advanceMinutes(10);
    const back = await settle(a, b);
    expect(back.sent).toBe(3);
    expect(b.request(bId)).toMatchObject({ state: 'RETURN_SHIPPED' });
    expect(b.store.events(bId).filter((e) => ['receive', 'note', 'return'].includes(e.action)).map((e) => e.action)).toEqual(['receive', 'note', 'return']);

    // a message whose confirmation was lost is sent again: confirmed OK, nothing happens twice
    const sentReturn = a.link.store.outbox().filter((m) => m.label === 'ShippedReturn').at(-1);
    if (!sentReturn) throw new Error('no ShippedReturn sent');
    const version = b.request(bId).version;
    const again = await fetch(`http://127.0.0.1:${b.gate.port}/iso18626`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: sentReturn.xml });
    const text = await again.text();
    expect(again.status).toBe(200);
    const read = readIso18626(text);
    expect(read.ok && read.message && 'header' in read.message ? (read.message.header as { messageStatus?: string }).messageStatus : undefined).toBe('OK');
    expect(b.request(bId).version).toBe(version);
    expect(events(b, bId, 'return')).toBe(1);
  });

  it('a member lends to the partner: its request comes through the same queue, card and buttons', async () => {
    const bId = requestIdOf(b.cmd('UNAIR', `request ${negeri}`));
    expect(b.request(bId)).toMatchObject({ state: 'SENT', supplier: 'UGM' });
    await settle(a, b);
    const lending = lendingRequestFor(a, 'UNAIR', `UNAIR-R${bId}`);
    expect(lending).toMatchObject({ state: 'SENT', supplier: 'UGM', requester: 'UNAIR', patronUserId: null });
    // the card in UGM's queue has the lender's buttons
    const status = a.cmd('UGM', `status R${lending.id}`);
    const buttons = status.replies[0]?.actions.map((x) => x.id) ?? [];
    expect(buttons).toEqual(expect.arrayContaining(['ill:accept', 'ill:decline', 'ill:condition', 'ill:ship']));
    a.cmd('UGM', `accept R${lending.id}`);
    a.cmd('UGM', `ship R${lending.id}`);
    await settle(a, b);
    // loanPeriodDays of the partner (28 by default) sets the due date
    expect(b.request(bId)).toMatchObject({ state: 'SHIPPED', dueDate: '2027-03-01' });
    b.cmd('UNAIR', `receive R${bId}`);
    b.cmd('UNAIR', `return R${bId}`);
    await settle(a, b);
    a.cmd('UGM', `checkin R${lending.id}`);
    await settle(a, b);
    expect(b.request(bId)).toMatchObject({ state: 'COMPLETED' });
    expect(a.request(lending.id)).toMatchObject({ state: 'COMPLETED' });
  });

  it('an unknown agency or a wrong secret gets ERROR and changes nothing', async () => {
    const sent = a.link.store.outbox().find((m) => m.kind === 'request');
    if (!sent) throw new Error('no request sent');
    const count = (b.store.db.prepare('SELECT count(*) AS n FROM ill_requests').get() as { n: number }).n;
    const post = async (xml: string): Promise<{ status: number; text: string }> => {
      const res = await fetch(`http://127.0.0.1:${b.gate.port}/iso18626`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml });
      return { status: res.status, text: await res.text() };
    };
    const fresh = sent.xml.replace(/UGM-R\d+/g, 'UGM-R9999');
    const wrongSecret = await post(fresh.replace(/shared-secret-A-B-2027/g, 'not-the-secret'));
    expect(wrongSecret.status).toBe(200);
    expect(wrongSecret.text).toMatch(/messageStatus>ERROR</);
    expect(wrongSecret.text).toMatch(/UnrecognisedDataValue/);
    const stranger = await post(fresh.replace(/ID-UGM/g, 'ID-NOBODY'));
    expect(stranger.text).toMatch(/messageStatus>ERROR</);
    const garbage = await post('<ISO18626Message><request><header>');
    expect(garbage.status).toBe(400);
    expect((b.store.db.prepare('SELECT count(*) AS n FROM ill_requests').get() as { n: number }).n).toBe(count);
  });

  it('/ill stats counts the partner like a member and reports its turnaround apart', () => {
    const text = JSON.stringify(a.cmd('UGM', 'stats').replies[0]?.blocks);
    expect(text).toMatch(/UNAIR: \d+ placed · \d+ filled/);
    expect(text).toMatch(/UNAIR \(Perpustakaan Universitas Airlangga \(partner\)\): lent [1-9]\d* · \d+\.\d d · borrowed 1 · \d+\.\d d/);
  });
});

describeWithTools([TOOLS.xmllint], 'what the two instances said to each other', () => {
  it('every message sent and every confirmation answered validates against the v1.2 schema', () => {
    const docs = new Map<string, string>();
    for (const node of [a, b]) {
      for (const m of node.link.store.outbox()) docs.set(`${node.name} outbox ${m.id} ${m.label}`, m.xml);
      node.confirmations.forEach((xml, i) => docs.set(`${node.name} confirmation ${i}`, xml));
    }
    expect(docs.size).toBeGreaterThan(60);
    expect(invalidOnes(validateWithXmllint(XSD, docs))).toEqual([]);
    // and none of them carries a patron
    for (const xml of docs.values()) expect(xml).not.toMatch(/patronInfo|patronId/);
  });
});
