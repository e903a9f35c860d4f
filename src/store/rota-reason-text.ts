import type { RotaReason, RotaStatus } from '../ill/ill-request.ts';

/**
 * The rota reason column keeps the text it always kept: "code;lent;borrowed;queue" for a chosen
 * lender, the bare code otherwise, so databases written before the reasons were structured read the same.
 */
export function encodeRotaReason(r: RotaReason): string {
  return r.kind === 'chosen' ? `${r.code};${r.lent};${r.borrowed};${r.openQueue}` : r.code;
}

export function decodeRotaReason(status: RotaStatus, text: string): RotaReason {
  const [code = '', lent, borrowed, queue] = text.split(';');
  if (lent !== undefined) return { kind: 'chosen', code, lent: Number(lent), borrowed: Number(borrowed ?? 0), openQueue: Number(queue ?? 0) } as RotaReason;
  if (status === 'skipped') return { kind: 'skipped', code } as RotaReason;
  return { kind: 'ended', code };
}
