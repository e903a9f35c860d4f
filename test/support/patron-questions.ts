import fs from 'node:fs';
import path from 'node:path';
import { marcFixtures } from './paths.ts';

/**
 * Questions as patrons and librarians write them about the sample consortium, in both languages:
 * titles, authors, identifiers, subjects, availability, and one that finds nothing.
 */
export const PATRON_QUESTIONS: readonly string[] = [
  'laskar pelangi',
  'buku karya Pramoedya Ananta Toer',
  '9789793062792',
  'harry potter',
  'sejarah indonesia',
  'is there a book about python programming?',
  'apakah ada bumi manusia di UGM?',
  'books by Andrea Hirata',
  'cari buku tentang ekonomi',
  'who has the rainbow troops',
  'perl programming',
  'qwxzv blorf',
];

/** The MARC fixture folders (test/fixtures/marc), sorted: one library each. */
export function marcFixtureFolders(): string[] {
  return fs.readdirSync(marcFixtures(), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** A consortium.json in `dataDir` with one library per MARC fixture folder (codes L0, L1, …). */
export function configureFixtureConsortium(dataDir: string): void {
  const libraries = marcFixtureFolders().map((f, i) => ({ code: `L${i}`, name: f, files: [path.join(marcFixtures(), f)] }));
  fs.writeFileSync(path.join(dataDir, 'consortium.json'), JSON.stringify({ libraries }));
}
