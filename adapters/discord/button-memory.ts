import { LRUCache } from 'lru-cache';
import type { ActionButton } from '../../src/index.ts';
import { encodeCustomId } from './custom-id.ts';

/**
 * The core's wording for the modal behind each button drawn recently (its label and input), by
 * custom_id: a custom_id has room for the action, not for the question. After a restart a button
 * falls back to its own label and a free-text field.
 */
export interface ButtonMemory {
  remember(actions: readonly ActionButton[]): void;
  recall(customId: string): Pick<ActionButton, 'label' | 'input'> | undefined;
}

export function createButtonMemory(max = 5_000): ButtonMemory {
  const known = new LRUCache<string, Pick<ActionButton, 'label' | 'input'>>({ max });
  return {
    remember(actions) {
      for (const a of actions) {
        if (!a.input) continue;
        const id = encodeCustomId('button', a);
        if (!id) continue;
        known.set(id, { label: a.label, input: a.input });
      }
    },
    recall: (customId) => known.get(customId),
  };
}
