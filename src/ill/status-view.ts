import type { Actor } from '../common/actor.ts';
import { sideOf } from './apply-action.ts';
import type { IllEvent, IllRequest, RotaEntry } from './ill-request.ts';
import type { Side } from './ill-states.ts';

/**
 * Who is looking at a request ("/ill status", "/ill why"), relative to it:
 * - `patron`: the patron who placed it;
 * - `home-staff`: a librarian (or admin) of the requesting library;
 * - `current-lender`: a librarian of the library the request is with now (`supplier`);
 * - `former-lender`: a librarian of a library that was asked earlier and whose turn has ended;
 * - `admin`: a consortium admin of an uninvolved library (may close any open request);
 * - `other-library`: a librarian of any other library — one on the rota not asked yet, one skipped, or none;
 * - `other-patron`: any other patron.
 */
export const STATUS_VIEWERS = ['patron', 'home-staff', 'current-lender', 'former-lender', 'admin', 'other-library', 'other-patron'] as const;
export type StatusViewer = (typeof STATUS_VIEWERS)[number];

/**
 * What a viewer is shown of a request, the same in every state (the state decides only which buttons
 * exist, from the state table). The rule: a patron sees only their own requests; only the requesting
 * library's staff see who the patron is and the patron's note; a lender sees what it needs to supply
 * (title, borrowing library, dates, its own part), never the patron; a library that has not been asked
 * sees nothing.
 */
export interface StatusView {
  /** false: refused with `ill/forbidden`, nothing of the request is shown */
  visible: boolean;
  /** the patron's display name */
  patronIdentity: boolean;
  /** the note typed with the request (the patron's or their librarian's words) */
  requestNote: boolean;
  /** which library is lending now */
  currentLender: boolean;
  /** the request's state, and its due and need-by dates */
  progress: boolean;
  /** the lender's own state and conditions */
  lenderSide: boolean;
  /** the side whose buttons are drawn (undefined: no buttons); `patron` limits them to the patron's own */
  buttons?: { side: Side; patron: boolean };
  /** which history lines: all; those of the viewer's own library's turn; none */
  history: 'all' | 'own-turn' | 'none';
  /** the words typed with history events: all, or only those the viewer's own side wrote */
  historyNotes: 'all' | 'own';
  /** the rota ("/ill why"): every library, or only the viewer's own line */
  rota: 'all' | 'own' | 'none';
}

const HIDDEN: StatusView = {
  visible: false, patronIdentity: false, requestNote: false, currentLender: false, progress: false, lenderSide: false,
  history: 'none', historyNotes: 'own', rota: 'none',
};

export const STATUS_VIEWS: Readonly<Record<StatusViewer, StatusView>> = {
  patron: {
    visible: true, patronIdentity: false, requestNote: true, currentLender: true, progress: true, lenderSide: false,
    buttons: { side: 'requester', patron: true }, history: 'all', historyNotes: 'own', rota: 'all',
  },
  'home-staff': {
    visible: true, patronIdentity: true, requestNote: true, currentLender: true, progress: true, lenderSide: true,
    buttons: { side: 'requester', patron: false }, history: 'all', historyNotes: 'all', rota: 'all',
  },
  'current-lender': {
    visible: true, patronIdentity: false, requestNote: false, currentLender: true, progress: true, lenderSide: true,
    buttons: { side: 'supplier', patron: false }, history: 'own-turn', historyNotes: 'own', rota: 'own',
  },
  'former-lender': {
    visible: true, patronIdentity: false, requestNote: false, currentLender: false, progress: false, lenderSide: false,
    history: 'own-turn', historyNotes: 'own', rota: 'own',
  },
  admin: {
    visible: true, patronIdentity: false, requestNote: false, currentLender: true, progress: true, lenderSide: true,
    buttons: { side: 'admin', patron: false }, history: 'all', historyNotes: 'own', rota: 'all',
  },
  'other-library': HIDDEN,
  'other-patron': HIDDEN,
};

/** Which viewer an actor is for this request (its rota tells a former lender from a library never asked). */
export function statusViewer(actor: Actor, r: IllRequest, rota: readonly RotaEntry[]): StatusViewer {
  const s = sideOf(actor, r);
  if (s?.side === 'requester') return s.patron ? 'patron' : 'home-staff';
  if (s?.side === 'supplier') return 'current-lender';
  if (actor.role === 'patron') return 'other-patron';
  const asked = rota.some((e) => e.library === actor.library && e.status !== 'pending' && e.status !== 'skipped');
  if (asked) return 'former-lender';
  return actor.role === 'admin' ? 'admin' : 'other-library';
}

/** The history lines a viewer sees, with the words typed with each only where the view allows them. */
export function visibleHistory(view: StatusView, viewer: StatusViewer, library: string | undefined, events: readonly IllEvent[]): IllEvent[] {
  if (view.history === 'none') return [];
  const ownTurn = view.history === 'own-turn' ? events.filter((e) => library !== undefined && (e.supplier === library || e.actorLibrary === library)) : [...events];
  if (view.historyNotes === 'all') return ownTurn;
  const own = (e: IllEvent): boolean => (viewer === 'patron' ? e.actorRole === 'patron' : library !== undefined && e.actorLibrary === library);
  return ownTurn.map((e) => (own(e) || e.action === 'decline' ? e : { ...e, note: null }));
}
