/** "/ill accept R7 ok thanks" → { command: 'ill', rest: 'accept R7 ok thanks' }; "/Catalog@jala x" → catalog. */
export function parseCommandLine(line: string): { command: string; rest: string } {
  const m = /^\/([A-Za-z][\w-]*)(?:@\S+)?\s*([\s\S]*)$/.exec(line.trim());
  if (!m) return { command: '', rest: line };
  return { command: (m[1] ?? '').toLowerCase(), rest: (m[2] ?? '').trim() };
}
