/** `text.replace(re, …)` with a typed match; `replace` returning undefined keeps the match as it was. */
export function replaceMatches(text: string, re: RegExp, replace: (m: RegExpExecArray) => string | undefined): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(re)) {
    const replacement = replace(m as RegExpExecArray);
    if (replacement === undefined) continue;
    out += text.slice(last, m.index) + replacement;
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
}
