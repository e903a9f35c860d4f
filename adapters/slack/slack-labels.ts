import type { Language } from '../../src/index.ts';

/**
 * Slack-only controls that the core's phrases do not cover (buttons and modal chrome that exist
 * only on Slack). Sentences never live here: everything Jala *says* comes from phrases().
 */
const labels = {
  en: { share: 'Share to channel', submit: 'Submit', cancel: 'Cancel', choose: 'Choose…' },
  id: { share: 'Bagikan ke kanal', submit: 'Kirim', cancel: 'Batal', choose: 'Pilih…' },
} as const satisfies Record<Language, Record<string, string>>;

export function slackLabels(language: Language): (typeof labels)[Language] {
  return labels[language];
}
