/**
 * Database URLs carry passwords; messages and logs must not. Used wherever a URL or a driver's
 * message about one is shown (PostgreSQL connection errors, jala migrate-store).
 */

/** user-info password: after "user:" up to the last @ before the path (an unescaped @ stays hidden) */
const USER_INFO = /\/\/([^:/@]*):[^/]*@/g;
const PARAM = /([?&]password=)[^&]*/gi;

/** The URL without its password. */
export function hideUrlPassword(url: string): string {
  return url.replace(USER_INFO, '//$1:***@').replace(PARAM, '$1***');
}

/** A message with every occurrence of the URL's password (raw and percent-decoded) hidden. */
export function hidePasswordIn(text: string, url: string): string {
  const secrets = new Set<string>();
  const userInfo = /\/\/[^:/@]*:([^/]*)@/.exec(url)?.[1];
  const param = /[?&]password=([^&]*)/i.exec(url)?.[1];
  for (const raw of [userInfo, param]) {
    if (!raw) continue;
    secrets.add(raw);
    try {
      secrets.add(decodeURIComponent(raw));
    } catch {
      // not valid percent-encoding: the raw form is hidden
    }
  }
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  return hideUrlPassword(out);
}
