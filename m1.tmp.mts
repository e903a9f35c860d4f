import { createJala } from './src/app/create-jala.ts';
import fs from 'node:fs';
import { chatQuestions } from './src/bench/chat-questions.ts';
const t0 = performance.now();
const jala = await createJala({ dataDir: '/work/bench/1M/data' });
console.log('open', ((performance.now() - t0) / 1000).toFixed(1), 's');
const m = JSON.parse(fs.readFileSync('/work/bench/1M/catalog-1000000-20-1/manifest.json', 'utf8'));
for (const q of m.warmupQuestions) jala.ask(q.text);
for (const q of ['lang:ind', 'year:2000-2010', 'lang:ind', 'buku berbahasa Inggris']) { const t = performance.now(); const a = jala.ask(q); console.log(q, (performance.now() - t).toFixed(1), a.total); }
const qs = [...m.questions, ...chatQuestions(m.questions, 20)];
const per = new Map();
for (const q of qs) { const t = performance.now(); jala.ask(q.text); const d = performance.now() - t; const a = per.get(q.kind) ?? []; a.push(d); per.set(q.kind, a); }
for (const [k, a] of per) { a.sort((x, y) => x - y); console.log(k.padEnd(13), a[Math.floor(a.length / 2)].toFixed(1), a[a.length - 1].toFixed(1)); }
jala.close();
