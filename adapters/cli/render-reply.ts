import type { BotReply } from '../../src/index.ts';
import { renderAnswer } from './render-answer.ts';

/** Terminal text for a bot reply: answers, request cards, lists, and the buttons as commands to type. */
export function renderReply(reply: BotReply): string {
  const out: string[] = [];
  for (const b of reply.blocks) {
    switch (b.type) {
      case 'text':
        out.push(b.text);
        break;
      case 'answer':
        out.push(renderAnswer(b.answer));
        break;
      case 'request-card':
        out.push(`[${b.request.id}] ${b.request.title} — ${b.request.stateLabel ?? b.request.state}`, ...b.lines.map((l) => `  ${l}`));
        break;
      case 'request-list':
        out.push(`${b.title}:`, ...b.requests.map((r) => `  ${r.id}  ${(r.stateLabel ?? r.state).padEnd(24)} ${r.requester}${r.supplier ? ` → ${r.supplier}` : ''}  ${r.title}`));
        break;
    }
  }
  // buttons become what to type in the terminal
  const choices = reply.actions.filter((a) => a.id === 'catalog:choose').map((a) => `  ${a.target}) ${a.label}`);
  if (choices.length > 0) out.push(...choices);
  const commands = reply.actions
    .filter((a) => a.id.startsWith('ill:'))
    .map((a) => (a.id === 'ill:request' ? `/ill request ${a.target}` : `${a.label}: /ill ${a.id.slice(4)} ${a.target}${a.input ? ` <${a.input.label}>` : ''}`));
  if (commands.length > 0) out.push(`  ${reply.language === 'id' ? 'Tindakan' : 'Actions'}: ${[...new Set(commands)].join('  |  ')}`);
  if (reply.file) {
    const kb = Math.max(1, Math.round((reply.file.base64.length * 3) / 4 / 1024));
    out.push(`  [${reply.language === 'id' ? 'lampiran' : 'attached'}: ${reply.file.name}, ${reply.file.mediaType}, ${kb} KB]`);
  }
  return out.join('\n');
}
