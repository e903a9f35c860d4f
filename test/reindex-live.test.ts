/**
 * Reindex in the background while questions are answered: the sample consortium's files plus one
 * library harvested over OAI-PMH from the real test peer. No question fails or sees a half-built index;
 * the new index replaces the old one at once; one reindex at a time, across processes; progress reaches
 * the admin as outbox messages under one key; the schedule runs the same path.
 */
import { setImmediate as tick } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scheduleHarvests } from '../src/harvest/harvest-schedule.ts';
import type { ReindexReport } from '../src/harvest/reindex-runner.ts';
import { createJala, type Jala } from '../src/app/create-jala.ts';
import { adminJalaCommand } from '../src/bot/admin-commands.ts';
import type { BotActor, BotReply } from '../src/bot/bot-types.ts';
import { createBot, type Bot } from '../src/bot/create-bot.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import { loadPeerData, OaiPeer, peerNow } from './support/oai-peer.ts';
import { sampleJala } from './support/sample-jala.ts';
import { describeWithTools, TOOLS } from './support/system-tools.ts';
import { MIN_WAIT_MS, waitFor } from './support/wait-for.ts';

const admin: BotActor = { platform: 'cli', userId: 'admin-1', role: 'admin', library: 'UGM', displayName: 'Admin One' };
const librarian: BotActor = { platform: 'cli', userId: 'lib-1', role: 'librarian', library: 'UI' };
const NEW_TITLE = 'Zyxwvut kelapa gading jala';

describeWithTools([TOOLS.oaiPeer], 'reindex while questions are being answered', () => {
  let peer: OaiPeer;
  let jala: Jala & { configPath: string };
  let bot: Bot;

  beforeAll(async () => {
    peer = await OaiPeer.fromTemplate(loadPeerData(['bu'])).start();
    peer.add('JALA-LIVE-1', NEW_TITLE, 'bu', peerNow());
    jala = await sampleJala((config) => {
      (config.libraries as unknown[]).push({ code: 'BU', name: 'Boston University (demo, OAI-PMH)', holdingsProfile: 'auto', oai: [{ baseUrl: peer.baseUrl, metadataPrefix: 'marc21' }] });
      config.harvest = { timeoutSeconds: 10, retries: 1, retryDelaySeconds: 0.1 };
    });
    bot = createBot(jala, { ill: createIllService(jala) });
  });

  afterAll(async () => {
    jala?.close();
    await peer?.stop();
  });

  const say = (actor: BotActor, text: string): BotReply => {
    const reply = bot.handle({ actor, conversationId: `t-${actor.userId}`, text }).replies[0];
    if (!reply) throw new Error('no reply');
    return reply;
  };
  const textOf = (r: BotReply): string => r.blocks.map((b) => (b.type === 'text' ? b.text : '')).join('\n');

  it('answers every question from a whole index during a full reindex, then swaps in the new one at once', async () => {
    const questions = ['laskar pelangi', 'bumi manusia', 'books by andrea hirata', 'jazz', 'friendly fire'];
    const baseline = new Map(questions.map((q) => {
      const a = jala.ask(q);
      return [q, { top: a.results[0]?.workId, total: a.total }] as const;
    }));
    for (const [q, b] of baseline) expect(b.top, q).toBeDefined();
    const findsNew = (): boolean => jala.ask(NEW_TITLE).results.some((r) => r.title.startsWith('Zyxwvut'));
    expect(findsNew()).toBe(false);
    const seqBefore = jala.indexInfo.seq;

    expect(say({ ...admin, role: 'patron' }, '/reindex').error).toBe('admin/forbidden');
    const started = say(admin, '/reindex full');
    expect(started.error).toBeUndefined();
    expect(started.progress).toMatchObject({ done: false });
    const key = started.progress!.key;
    // one at a time: from chat, from this process, and from another process on the same data
    expect(say(admin, '/reindex UGM').error).toBe('reindex/already-running');
    expect(textOf(say(admin, '/reindex'))).toMatch(/already running .*full.*Admin One/s);
    const other = await createJala({ dataDir: jala.dataDir, configPath: jala.configPath });
    const second = other.reindex.start({ trigger: 'cli' });
    other.close();
    expect(second.ok).toBe(false);
    expect(!second.ok && second.error).toBe('reindex/already-running');

    const running = jala.reindex.running();
    expect(running).toMatchObject({ mode: 'full', trigger: 'chat' });
    const done = new Promise<void>((resolve) => {
      const poll = (): void => {
        const outbox = bot.outbox.pending('cli', 500).filter((m) => m.reply.progress?.key === key);
        if (outbox.some((m) => m.reply.progress?.done)) resolve();
        else setTimeout(poll, 20);
      };
      poll();
    });
    let finished = false;
    void done.then(() => (finished = true));

    let answered = 0;
    const seqSeen = new Set<number>();
    while (!finished) {
      for (const q of questions) {
        const a = jala.ask(q); // never throws, never loses a work the old index had
        expect(a.results[0]?.workId, q).toBe(baseline.get(q)?.top);
        answered++;
      }
      const seq = jala.indexInfo.seq;
      seqSeen.add(seq);
      // the added record is found exactly when the new index is in place, not before
      expect(findsNew()).toBe(seq !== seqBefore);
      await tick();
    }
    expect(answered).toBeGreaterThan(20);
    expect([...seqSeen].every((s) => s === seqBefore || s === jala.indexInfo.seq)).toBe(true);
    expect(jala.indexInfo.seq).toBe(jala.store.currentSeq());
    expect(findsNew()).toBe(true);

    // progress: every message under the one key, the last one final and complete
    const progress = bot.outbox.pending('cli', 500).filter((m) => m.reply.progress?.key === key);
    expect(progress.every((m) => m.target.type === 'user' && m.target.userId === admin.userId)).toBe(true);
    const last = progress.at(-1)!;
    expect(last.reply.progress?.done).toBe(true);
    expect(textOf(last.reply)).toMatch(/Reindex finished .*full/);
    expect(textOf(last.reply)).toMatch(/BU · OAI-PMH 127\.0\.0\.1:\d+\/oai \(marc21\) \(full, 11 pages\): ok; 101 read, 101 new/);

    // /jala stats: each library's last harvest and its outcome
    const stats = adminJalaCommand(jala, { actor: librarian, conversationId: 's', text: '/jala stats' }, { key: 'jala stats', values: {} }, 'en');
    const statsText = textOf(stats!.replies[0]!);
    for (const lib of ['UGM', 'UI', 'USU', 'DISPUSIP']) expect(statsText).toMatch(new RegExp(`${lib}: .*last harvest .* files full: ok`));
    expect(statsText).toMatch(/BU: 101 records.*last harvest .* OAI-PMH full: ok/);
  });

  it('a scheduled harvest runs the same path (incremental) and waits its turn', async () => {
    const outcomes: Array<{ ok: true; report: ReindexReport } | { ok: false; error: string }> = [];
    const stop = scheduleHarvests(jala.reindex, { intervalMinutes: 0.002, onRun: (o) => outcomes.push(o) });
    try {
      await waitFor(() => outcomes.some((o) => o.ok), MIN_WAIT_MS, 'a scheduled harvest that ran');
    } finally {
      stop();
    }
    const ran = outcomes.find((o): o is { ok: true; report: ReindexReport } => o.ok);
    expect(ran?.report).toMatchObject({ trigger: 'schedule', mode: 'incremental', outcome: 'ok' });
    expect(ran?.report.sources.find((s) => s.library === 'BU')).toMatchObject({ mode: 'incremental', received: 0 });
    // ticks that came while it ran were told so, not queued
    expect(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.error === 'reindex/already-running')).toBe(true);
    while (jala.reindex.running()) await new Promise((r) => setTimeout(r, 20));
  });
}, { optOut: 'JALA_SKIP_OAI_PEER' });
