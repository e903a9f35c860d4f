import { z } from 'zod';
import type { ActionButton, Language } from '../../src/index.ts';

/**
 * What a Slack button carries back: the core's ActionButton (id, target, version, input spec) and
 * the language of the card it sat on. Everything needed rides in the button itself, so a card
 * clicked days later, after a restart, still works.
 *
 * action_id: the core's id, suffixed "~n" when the same id appears twice in one message.
 * value:     JSON { t: target, v: version, l?: language, i?: input spec, c?: conversation } (≤ 2000 characters);
 *            c keeps a paging click in the conversation it came from even where Slack omits the thread.
 */
const InputSpec = z.object({
  label: z.string(),
  kind: z.enum(['text', 'date', 'reason']),
  required: z.boolean(),
  choices: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
});

const ActionValue = z.object({
  t: z.string().max(80),
  v: z.number().int(),
  l: z.enum(['en', 'id']).optional(),
  i: InputSpec.optional(),
  c: z.string().max(200).optional(),
});

export interface DecodedAction {
  id: string;
  target: string;
  version: number;
  language?: Language;
  input?: NonNullable<ActionButton['input']>;
  conversationId?: string;
}

const MAX_VALUE = 2000;

export function encodeActionValue(button: ActionButton, language: Language, conversationId?: string): string {
  const value = {
    t: button.target.slice(0, 80),
    v: button.version,
    l: language,
    ...(button.input ? { i: button.input } : {}),
    ...(conversationId && conversationId.length <= 200 ? { c: conversationId } : {}),
  };
  let text = JSON.stringify(value);
  if (text.length > MAX_VALUE && button.input) {
    // keep the modal usable: drop choice labels beyond what fits, then the choices themselves
    const input = { ...button.input, choices: (button.input.choices ?? []).slice(0, 10) };
    text = JSON.stringify({ ...value, i: input });
    if (text.length > MAX_VALUE) text = JSON.stringify({ ...value, i: { label: input.label.slice(0, 100), kind: input.kind, required: input.required } });
  }
  return text;
}

/** "ill:accept~2" → "ill:accept" */
export function coreActionId(actionId: string): string {
  return actionId.replace(/~\d+$/, '');
}

export function decodeAction(actionId: string, value: string | undefined): DecodedAction | undefined {
  if (value === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = ActionValue.safeParse(json);
  if (!parsed.success) return undefined;
  const v = parsed.data;
  return {
    id: coreActionId(actionId),
    target: v.t,
    version: v.v,
    ...(v.l ? { language: v.l } : {}),
    ...(v.c ? { conversationId: v.c } : {}),
    ...(v.i ? { input: { label: v.i.label, kind: v.i.kind, required: v.i.required, ...(v.i.choices ? { choices: v.i.choices } : {}) } } : {}),
  };
}
