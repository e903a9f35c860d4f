import type { ActionButton } from '../../src/index.ts';

/** What a button or modal carries back: the core's action id, target and card version. */
export interface EncodedAction {
  kind: 'button' | 'modal';
  id: string;
  target: string;
  version: number;
  /** the button needs details first (a modal) */
  needsInput: boolean;
}

/** Discord's custom_id limit. */
export const CUSTOM_ID_MAX = 100;

/** `b|ill:accept|3|-|R12`: kind, action id, version, input flag, then the target (which may contain anything). */
export function encodeCustomId(kind: EncodedAction['kind'], button: Pick<ActionButton, 'id' | 'target' | 'version' | 'input'>): string | undefined {
  const id = `${kind === 'button' ? 'b' : 'm'}|${button.id}|${button.version}|${button.input ? 'i' : '-'}|${button.target}`;
  return id.length <= CUSTOM_ID_MAX && !button.id.includes('|') ? id : undefined;
}

export function decodeCustomId(customId: string): EncodedAction | undefined {
  const m = /^([bm])\|([^|]+)\|(\d+)\|([i-])\|([\s\S]*)$/.exec(customId);
  if (!m) return undefined;
  return { kind: m[1] === 'b' ? 'button' : 'modal', id: m[2]!, version: Number(m[3]), needsInput: m[4] === 'i', target: m[5]! };
}
