/**
 * The provider's sets: one per member library (`library:UGM`) and one per format (`format:book`,
 * `format:sound-recording`). Set specs use only the characters OAI-PMH allows.
 */

export function librarySetSpec(code: string): string {
  return `library:${code.replace(/[^A-Za-z0-9\-_.!~*'()]/g, '-')}`;
}

/** "Sound Recording" → format:sound-recording, "Software/Data" → format:software-data, "eBook" → format:ebook */
export function formatSetSpec(format: string): string {
  const slug = format
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `format:${slug === '' ? 'other' : slug}`;
}

/** The human name of a set in ListSets. */
export function setName(spec: string, label: string): string {
  if (spec.startsWith('library:')) return `Library: ${label}`;
  if (spec.startsWith('format:')) return `Format: ${label}`;
  return label;
}
