import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { Language } from '../../src/index.ts';
import type { DecodedAction } from './action-value.ts';
import { clip } from './render-blocks.ts';
import { slackLabels } from './slack-labels.ts';
import type { InteractionPlace } from './to-bot-request.ts';

/**
 * The modal that collects an action's details (need-by date, note, decline reason, due date) as
 * the core's ActionButton.input describes them. Where the click happened rides along in
 * private_metadata, so the answer goes back to the same place after the modal is submitted.
 */
export const INPUT_CALLBACK_ID = 'jala:input';
const BLOCK_ID = 'details';
const ACTION_ID = 'value';

const ModalMetadata = z.object({
  a: z.string(),
  t: z.string(),
  v: z.number().int(),
  l: z.enum(['en', 'id']).optional(),
  c: z.string().optional(),
  ch: z.string().optional(),
  th: z.string().optional(),
  mt: z.string().optional(),
  e: z.boolean().optional(),
  h: z.boolean().optional(),
  ru: z.string().optional(),
});
export type ModalMetadata = z.infer<typeof ModalMetadata>;

export function modalMetadata(action: DecodedAction, place: InteractionPlace, conversationId: string): string {
  const meta: ModalMetadata = {
    a: action.id,
    t: action.target,
    v: action.version,
    ...(action.language ? { l: action.language } : {}),
    c: conversationId,
    ...(place.channel ? { ch: place.channel } : {}),
    ...(place.threadTs ? { th: place.threadTs } : {}),
    ...(place.messageTs ? { mt: place.messageTs } : {}),
    ...(place.ephemeral ? { e: true } : {}),
    ...(place.home ? { h: true } : {}),
    ...(place.responseUrl ? { ru: place.responseUrl } : {}),
  };
  const text = JSON.stringify(meta);
  if (text.length <= 3000) return text;
  const { ru: _dropped, ...rest } = meta;
  return JSON.stringify(rest);
}

export function readModalMetadata(text: string): ModalMetadata | undefined {
  try {
    const parsed = ModalMetadata.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function placeOfModal(m: ModalMetadata): InteractionPlace {
  return {
    ...(m.ch ? { channel: m.ch } : {}),
    ...(m.th ? { threadTs: m.th } : {}),
    ...(m.mt ? { messageTs: m.mt } : {}),
    ephemeral: m.e === true,
    home: m.h === true,
    ...(m.ru ? { responseUrl: m.ru } : {}),
  };
}

export function inputModal(action: DecodedAction & { input: NonNullable<DecodedAction['input']> }, title: string, metadata: string): types.ModalView {
  const lang: Language = action.language ?? 'en';
  const l = slackLabels(lang);
  const input = action.input;
  let element: types.InputBlockElement;
  if (input.kind === 'date') {
    element = { type: 'datepicker', action_id: ACTION_ID };
  } else if (input.choices && input.choices.length > 0) {
    element = {
      type: 'static_select',
      action_id: ACTION_ID,
      placeholder: { type: 'plain_text', text: l.choose },
      options: input.choices.slice(0, 100).map((c) => ({ text: { type: 'plain_text', text: clip(c.label, 75) }, value: c.value.slice(0, 150) })),
    };
  } else {
    element = { type: 'plain_text_input', action_id: ACTION_ID, multiline: true, max_length: 1000 };
  }
  return {
    type: 'modal',
    callback_id: INPUT_CALLBACK_ID,
    private_metadata: metadata,
    title: { type: 'plain_text', text: clip(title, 24) },
    submit: { type: 'plain_text', text: l.submit },
    close: { type: 'plain_text', text: l.cancel },
    blocks: [{ type: 'input', block_id: BLOCK_ID, optional: !input.required, label: { type: 'plain_text', text: clip(input.label, 2000) }, element }],
  };
}

const StateValue = z.object({
  value: z.string().nullish(),
  selected_date: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
});
const ViewState = z.object({ values: z.record(z.string(), z.record(z.string(), StateValue)) });

/** What was typed, picked or chosen in the modal; undefined when the optional field was left empty. */
export function submittedInput(state: unknown): string | undefined {
  const parsed = ViewState.safeParse(state);
  if (!parsed.success) return undefined;
  const v = parsed.data.values[BLOCK_ID]?.[ACTION_ID];
  const text = v?.value ?? v?.selected_date ?? v?.selected_option?.value ?? undefined;
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}
