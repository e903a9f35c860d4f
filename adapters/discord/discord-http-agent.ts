/**
 * The HTTP agent Discord's REST calls go through, from the undici that discord.js itself uses (6.x).
 *
 * discord.js sends requests with undici 6's `request()`, which by default takes the process-wide
 * dispatcher. Slack's Socket Mode loads undici 7, which on load installs its own Agent as that
 * process-wide dispatcher (under the same global symbol undici 6 reads). With both platforms in one
 * process, undici 6 then hands multipart bodies to undici 7's Agent and every Discord file upload
 * fails with "action is not a function" — a MARC record sent as a file, an export. Giving Discord's
 * REST a dispatcher of its own version keeps it independent of what else is loaded.
 */
import { Agent } from 'undici';

export function createDiscordHttpAgent(): Agent {
  return new Agent();
}
