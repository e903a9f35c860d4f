/**
 * The questions of a catalog a kept bench run left (`jala bench --keep DIR`): its `catalog-*`
 * directory's manifest, as the answering tools (ask-bench, question-costs) read it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BenchQuestion } from './generate-marc.ts';

export interface KeptQuestions {
  questions: BenchQuestion[];
  warmupQuestions: BenchQuestion[];
}

export function readKeptQuestions(keep: string): KeptQuestions {
  const catalogDir = fs.readdirSync(keep).find((d) => d.startsWith('catalog-'));
  if (catalogDir === undefined) throw new Error(`no catalog-* directory in ${keep}`);
  return JSON.parse(fs.readFileSync(path.join(keep, catalogDir, 'manifest.json'), 'utf8')) as KeptQuestions;
}
