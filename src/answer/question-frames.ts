/**
 * Question frames: whole leading/trailing phrase patterns around the content of a question
 * ("do you have …?", "apakah ada …", "which libraries have …", "… ada di perpustakaan mana?",
 * "is … available", "what has … written"). Only whole patterns anchored at the start and end of the
 * question are removed — never single stopwords — so a title such as "Who Moved My Cheese" or "Ada
 * Apa dengan Cinta" that merely begins with a question word stays intact.
 *
 * Each rule's regex has a named group `c` (the content) and optionally `l` (a library in subject
 * position: "does UGM have …", "apakah UGM punya …"; the rule only holds when `l` names a member)
 * and `r` (a relation word the frame itself carries: "what do you have on …").
 *
 * Weak rules hold only with extra evidence, checked by the caller:
 * - 'lead': a bare "ada …" / "punya …" — needs a material noun ("ada buku …"), a library ("ada … di UI"),
 *   a quoted title or a question particle ("ada … gak?"); "Ada Apa dengan Cinta?" is a title.
 * - 'trail': "… ada?" — needs a question mark, a particle or a library.
 * - 'library': "is … ?" — only with a library ("is Laskar Pelangi at UGM?").
 * - 'title': "need …" — only when what follows is written as a title, quoted or a material ("need The Hacker Ethic").
 */
import { alternation } from './question-lexicon.ts';

export type FrameIntent = 'search' | 'have' | 'author' | 'who-wrote' | 'holders' | 'availability';
export type FrameWeakness = 'lead' | 'trail' | 'library' | 'title';

export interface FrameMatch {
  intent: FrameIntent;
  content: string;
  /** library phrase in subject position, already checked with `isLibrary` */
  library?: string;
  relation?: string;
  weak?: FrameWeakness;
}

interface FrameRule {
  intent: FrameIntent;
  re: RegExp;
  weak?: FrameWeakness;
}

/** Openers that may precede any frame: politeness, "tell me", "mau tanya", fillers. */
const LEAD_WORDS = `(?:${alternation([
  'please', 'pls', 'plz', 'kindly', 'tolong', 'mohon', 'permisi', 'maaf', 'excuse me', 'sorry', 'hmm', 'hm', 'um',
  'umm', 'so', 'jadi', 'btw', 'by the way', 'eh', 'oh', 'ok', 'oke', 'okay', 'well', 'also', 'and', 'terus', 'lalu',
  'trus', 'can you tell me', 'could you tell me', 'tell me', 'do you know', 'do you know if', 'do you know whether',
  'i wonder if', 'i was wondering if', 'i wonder whether', 'i would like to know', "i'd like to know",
  'boleh tahu', 'boleh tanya', 'mau tanya', 'mau nanya', 'numpang tanya', 'saya mau tanya', 'saya ingin tahu',
  'saya mau tahu', 'ingin tahu', 'tanya dong', 'tanya', 'kak', 'min', 'gan', 'sis', 'bro', 'quick question',
  'question', 'pertanyaan', 'could you check if', 'can you check if', 'could you check whether', 'can you check whether',
  'please check if', 'check if', 'could you tell me if', 'can you tell me if', 'could you tell me whether',
  'can you tell me whether', 'any chance', 'is there any chance', 'by any chance', 'just wondering if',
  'i was just wondering if', 'i was wondering whether', 'i think', 'i believe', 'i guess', 'hi', 'hello', 'hey',
  'halo', 'hai', 'kakak', 'mas', 'mbak', 'pak', 'bu', 'sorry to bother you', 'maaf mengganggu', 'mau nanya dong',
  'mau tanya dong', 'kira-kira', 'kira kira', 'kalau boleh tahu', 'kalau boleh tau', 'boleh tau',
])})`;
/** One opener and what follows it. */
const LEAD_ONE = new RegExp(`^${LEAD_WORDS},? (?=\\S)`, 'iu');

const COPY_OF = '(?: (?:a |any |one )?cop(?:y|ies) of)?';
const PARTICLE = '(?:gak|nggak|ngga|ga|enggak|tidak|ndak|gk|kah|nggak sih|gak sih|ga sih|ya|gak ya|nggak ya)';
const SAYA = '(?:saya|aku|kami|kita|gue|gw|sy)';
const BORROW_ID = '(?:meminjam|pinjam|minjam|minjem|pinjem)';
const HAVE_ID = '(?:punya|memiliki|mempunyai|menyimpan|mengoleksi|menyediakan|ada)';
const HAVE_EN = alternation(['have', 'has', 'hold', 'holds', 'own', 'owns', 'carry', 'carries', 'stock', 'stocks', 'lend', 'lends', 'got', 'keep', 'keeps', 'has got', 'have got', 'can lend']);
const EN_PREFIX = '(?:(?:(?:can|could|would|will) (?:you|u|jala)(?: please)?|please|pls|kindly|help me(?: to)?|just) )*';
const ID_PREFIX = `(?:(?:bisa(?:kah)?|dapatkah|boleh(?:kah)?|coba|tolong|mohon|minta|bantu(?: ${SAYA})?|${SAYA} minta)(?: (?:kamu|anda|tolong|dong))? )*`;

/** Particles and thanks that may close any frame ("…apa aja sih?", "…, please"). */
const TAIL = `(?:[\\s,]+${alternation(['ya', 'yah', 'sih', 'kak', 'min', 'dong', 'deh', 'nih', 'gan', 'please', 'pls', 'thanks', 'thank you', 'makasih', 'terima kasih', 'kah'])})*`;

function rule(intent: FrameIntent, body: string, weak?: FrameWeakness): FrameRule {
  return weak === undefined
    ? { intent, re: new RegExp(`^(?:${body})${TAIL}$`, 'iu') }
    : { intent, re: new RegExp(`^(?:${body})${TAIL}$`, 'iu'), weak };
}

/** In priority order: the first rule that matches (and whose library, if any, checks out) wins. */
const RULES: readonly FrameRule[] = [
  // --- author: "what has X written", "apa saja karya X", "X menulis apa saja", "X's books"
  rule('author', `what (?:else |other (?:books|works|novels|titles) )?(?:has|have|did|does) (?<c>.+?) (?:written|write|wrote|publish|published|authored)(?: (?:so far|lately|recently|before))?`),
  rule('author', `(?:what|which) (?:books|novels|works|titles|poems)(?: (?:has|have|did|does))? (?<c>.+?) (?:written|write|wrote|published|authored)`),
  rule('author', `(?:apa|buku apa|novel apa|karya apa|judul apa)(?: saja| aja)?(?: yang)? (?:karya|karangan|ditulis(?: oleh)?|dikarang(?: oleh)?|tulisan|dari) (?<c>.+)`),
  rule('author', `(?<c>.+?)(?: (?:sudah|pernah|telah))? (?:menulis|mengarang|nulis|ngarang)(?: (?:buku|novel|karya))? apa(?: saja| aja)?`),
  rule('author', `(?<c>.+?)'s (?:books|novels|works|writings|poems|bibliography)`),
  rule('author', `(?:karya|karangan|tulisan|buku|bukunya|buku-buku(?:nya)?|novel-novel(?:nya)?|novelnya|karya-karya(?:nya)?|tulisan-tulisan(?:nya)?)(?: (?:karya|karangan|dari|tulisan))? (?<c>.+?)(?: (?:yang )?(?:ada|tersedia|ada di perpus(?:takaan)?|di perpus(?:takaan)?))? (?:ada )?apa(?: (?:aja|saja|ya))*`),
  rule('author', `(?<c>.+?) (?:nulis|menulis|ngarang|mengarang|punya) (?:buku|novel|karya)(?: apa)?(?: (?:aja|saja))?`),
  rule('author', `what (?:books|novels|works|titles)(?: (?:by|of|from))? (?<c>.+?) (?:do you have|have you got|are there|are available|does the library have|do the libraries have|do you guys have)`),
  rule('author', `(?:list|show)(?: me)?(?: all)?(?: (?:the|of the))? (?:books|novels|works|titles)(?: (?:written|authored))? (?:by|from) (?<c>.+)`),
  rule('author', `(?:show me |give me |find me )?(?:everything|all|all works|all books|anything|something)(?: (?:written|authored))? (?:by|from) (?<c>.+)`),

  // --- who wrote: a search whose answer shows the author
  rule('who-wrote', `(?:who|whom) (?:wrote|authored|penned|is the author of|was the author of|is the writer of)(?: the (?:book|novel))? (?<c>.+)`),
  rule('who-wrote', `siapa(?: yang)? (?:pengarang(?:nya)?|penulis(?:nya)?|menulis|mengarang|penerbit(?:nya)?)(?: (?:buku|novel))? (?<c>.+)`),
  rule('who-wrote', `(?<c>.+?)(?: itu)? (?:karya|karangan|ditulis oleh|tulisan) siapa`),

  // --- holders: which libraries have it, where can I borrow it
  rule('holders', `which (?:member |partner |other )?(?:libraries|library|members?|campus(?:es)?|institutions?|universities|university|branches|branch)(?: (?:still|currently|also))? ${HAVE_EN}${COPY_OF} (?<c>.+)`),
  rule('holders', `who ${HAVE_EN}${COPY_OF} (?<c>.+)`),
  rule('holders', `(?:any|which|what) (?:member |partner |other )?(?:library|libraries|members?|perpus|perpustakaan|campus(?:es)?)(?: (?:still|currently|also))? ${HAVE_EN}${COPY_OF} (?<c>.+)`),
  rule('holders', `(?:does|do) (?:anyone|anybody|any (?:library|libraries|member|members)|any of the (?:libraries|members)|somebody|someone) (?:have|hold|own|carry|stock|lend)${COPY_OF} (?<c>.+)`),
  rule('holders', `where (?:can|could|do|might|may|should|would) (?:i|we|one|you|people|students) ${alternation(['find', 'borrow', 'get', 'read', 'loan', 'locate', 'request', 'get hold of', 'access', 'check out'])}${COPY_OF} (?<c>.+)`),
  rule('holders', `where (?:i|we) (?:can|could|might) ${alternation(['find', 'borrow', 'get', 'read', 'locate', 'get hold of'])}${COPY_OF} (?<c>.+)`),
  rule('holders', `where (?:is|are) (?<c>.+?) (?:held|available|kept|shelved|located)`),
  rule('holders', `where (?:is|are|to (?:find|borrow|get|read))${COPY_OF} (?<c>.+)`),
  rule('holders', `(?:i|we)(?:'d like| want| need| would like| wish| wanna| would love) to (?:borrow|loan|get hold of) (?<c>.+)`),
  rule('holders', `(?:show|list|tell)(?: me)? (?:the |all )?(?:libraries|holders|holdings|locations)(?: (?:that|which|with) (?:have|has|hold|own))?(?: (?:of|for))? (?<c>.+)`),
  rule('holders', `(?:holders?|holdings|locations?) (?:of|for) (?<c>.+)`),
  rule('holders', `siapa(?: saja| aja)?(?: yang)? (?:punya|memiliki|mempunyai|menyimpan|mengoleksi|ada|meminjamkan|pegang|megang) (?<c>.+)`),
  rule('holders', `(?:perpustakaan|perpus|anggota|kampus|universitas|library)(?: anggota)? (?:mana|apa)(?: saja| aja)?(?: yang)? ${HAVE_ID} (?<c>.+)`),
  rule('holders', `di (?:perpustakaan|perpus) (?:mana|apa)(?: saja| aja)?(?: ${SAYA})?(?: (?:bisa|dapat|boleh))?(?: (?:${BORROW_ID}|menemukan|mendapatkan|ada|tersedia))? (?<c>.+)`),
  rule('holders', `(?:di ?mana)(?: saja| aja)?(?: ${SAYA})?(?: (?:bisa|dapat|boleh|harus|bs))?(?: (?:${BORROW_ID}|menemukan|temukan|mendapatkan|dapatkan|mencari|cari|membaca|baca|ada))? (?<c>.+)`),
  rule('holders', `ada yang (?:punya|memiliki|mempunyai|menyimpan|mengoleksi) (?<c>.+)`),
  rule('holders', `(?:${SAYA} )?(?:(?:mau|ingin|pengen|pengin|perlu|butuh|hendak|akan|berencana) )*${BORROW_ID} (?<c>.+)`),
  rule('holders', `(?:i )?(?:(?:want|need|would like) to )?borrow${COPY_OF} (?<c>.+)`),
  rule('holders', `(?<c>.+?)(?: (?:itu|ini))? (?:ada |tersedia )?di (?:perpustakaan |perpus )?mana(?: (?:saja|aja|ya))?`),
  rule('holders', `(?<c>.+?)(?: (?:itu|ini))? (?:dimiliki|dipunyai|disimpan|dikoleksi) (?:oleh )?(?:perpustakaan |perpus )?(?:mana|siapa)(?: (?:saja|aja))?`),
  rule('holders', `(?<c>.+?),? (?:who|which (?:libraries|library|members?)) (?:has|have|holds?|owns?|carr(?:y|ies)) (?:it|this|that|them|one|a copy)`),
  rule('holders', `(?<c>.+?) (?:is|are) held (?:by|at|in) (?:which|what) (?:libraries|library|members?)`),

  // --- availability at a named library, or now
  rule('availability', `(?:does|do|has|have) (?:the )?(?<l>.+?) (?:have|hold|own|carry|stock|got)${COPY_OF} (?<c>.+)`),
  rule('availability', `(?:apa(?:kah)? )?(?:(?:di )?(?:perpustakaan|perpus) )?(?<l>.+?) ${HAVE_ID}(?: koleksi)? (?<c>.+)`),
  rule('availability', `(?:is|are)(?: there)?(?: (?:a|any) cop(?:y|ies) of)? (?<c>.+?)(?: (?:currently|still|now|right now))? (?:available|on the shelf|on shelf|in stock|checked out|on loan|borrowable|out|in|in the library|on the shelves|available (?:to|for) (?:borrow|borrowing|loan|lending|checkout)|for loan)(?: (?:now|right now|today|currently|to borrow))?`),
  rule('availability', `(?:can|could|may) (?:i|we)(?: please)? (?:borrow|loan|check out|get|reserve|request|read)${COPY_OF} (?<c>.+)`),
  rule('availability', `(?:bisa(?:kah)?|boleh(?:kah)?|dapatkah|apa(?:kah)? ${SAYA} (?:bisa|boleh|dapat))(?: ${SAYA})? (?:${BORROW_ID}|memesan|pesan|request|membaca|baca) (?<c>.+)`),
  rule('availability', `apa(?:kah)? (?<c>.+?)(?: (?:masih|sedang|lagi))? (?:tersedia|bisa dipinjam|dapat dipinjam|boleh dipinjam|sedang dipinjam|dipinjam|ada di rak)(?: ${PARTICLE})?(?: (?:sekarang|saat ini|hari ini))?`),
  rule('availability', `(?:apa(?:kah)? )?(?:masih )?tersedia(?: ${PARTICLE})? (?<c>.+)`),
  rule('availability', `(?:check|cek|periksa)(?: the)? (?:availability|ketersediaan|status)(?: (?:of|for|dari|untuk))? (?<c>.+)`),
  rule('availability', `(?:availability|ketersediaan)(?: (?:of|for|dari|untuk))? (?<c>.+)`),
  rule('availability', `(?<c>.+?)(?: (?:masih|sedang|lagi))? (?:tersedia|bisa dipinjam|dapat dipinjam|sedang dipinjam|ada di rak)(?: ${PARTICLE})?(?: (?:sekarang|saat ini|hari ini))?`),
  rule('availability', `(?<c>.+?)(?: (?:is|are))?(?: (?:currently|still|now))? (?:available|in stock|on the shelf|borrowable|available (?:to|for) (?:borrow|loan))(?: (?:now|right now|today))?`),

  // --- have: "apakah ada …", "do you have …", "is there …"
  rule('have', `(?:apa(?:kah)?(?: (?:di sini|disini|kalian|kamu|anda|perpustakaan(?: ini)?|jala))? (?:ada|punya|memiliki|mempunyai|menyediakan|menyimpan)|adakah|ada(?:kah)? ${PARTICLE})(?: yang)? (?<c>.+)`),
  rule('have', `(?:kamu|anda|kalian|jala|perpustakaan(?: ini)?|di sini|disini|sini) (?:ada|punya|memiliki|mempunyai|menyediakan|menyimpan) (?<c>.+)`),
  rule('have', `(?:punya|memiliki|mempunyai) (?<c>.+)`, 'lead'),
  rule('have', `ada (?<c>.+)`, 'lead'),
  rule('have', `(?<c>.+?) ada(?: ${PARTICLE})?`, 'trail'),
  rule('have', `(?:do|does|did|would) (?:you|u|ya|the library|the libraries|the consortium|the catalog|the catalogue|jala|this library|you guys|y'all|you all|we)(?: (?:guys|folks|all|still|currently))?(?: happen to)? (?:have|hold|own|carry|stock|got|keep)${COPY_OF} (?<c>.+)`),
  rule('have', `(?:you|u|you guys|the library|the libraries) (?:have|got|hold|carry|stock|has)${COPY_OF} (?<c>.+)`),
  rule('have', `(?:have|has) (?:you|u|the library|jala) got${COPY_OF} (?<c>.+)`),
  rule('have', `got${COPY_OF} (?<c>.+)`, 'lead'),
  rule('have', `(?:is|are) there${COPY_OF} (?<c>.+)`),
  rule('have', `(?:is|are) (?!there )(?<c>.+)`, 'library'),
  rule('have', `what (?:books |titles |resources |materials |items |works |novels |else )?(?:do you have|have you got|is there|are there|does the library have|can you find|exists?|do we have)(?: (?<r>on|about|regarding|concerning|by|from))? (?<c>.+)`),

  // --- search verbs: "find …", "cari …", "I'm looking for …", "saya mencari …"
  rule('search', `${EN_PREFIX}(?:search the catalog(?:ue)? for|find(?: me)?|search(?: for)?|look(?:ing)? for|look up|lookup|show me|get me|give me|locate|recommend(?: me)?|suggest)(?: (?:please|pls))? (?<c>.+)`),
  rule('search', `${ID_PREFIX}(?:carikan|cariin|cari|mencari|nyari|temukan|tampilkan|tunjukkan|tunjukin|lihatkan|cek|periksa|rekomendasikan|sarankan)(?: (?:dong|ya|lagi|saya|aku|info|informasi))? (?<c>.+)`),
  rule('search', `(?:i'm|i am|im|we're|we are)(?: (?:currently|just|also|still))? (?:looking|searching|hunting)(?: around)? for (?<c>.+)`),
  rule('search', `(?:(?:i'm|i am|im|we're|we are|i've been|i have been)(?: (?:currently|just|also|still|really))? )?(?:trying|hoping|wanting|keen|about) to (?:find|track down|get hold of|locate|borrow|read|get) (?<c>.+)`),
  rule('search', `(?:i )?(?:need|want|would like)(?: to (?:find|read|borrow|get))? (?<c>.+)`, 'title'),
  rule('search', `(?:looking|searching) for (?<c>.+)`),
  rule('search', `(?:i|we)(?:'d like| want| need| would like| am after|'m after| wanna| would love| wish)(?: to (?:find|read|get|see|look at|check out|search for|look for))? (?<c>.+)`),
  rule('search', `${SAYA}(?: (?:sedang|lagi|mau|ingin|pengen|pengin|perlu|butuh|hendak|akan))* (?:mencari|cari|nyari|butuh|perlu|memerlukan|membutuhkan|baca|membaca|cari-cari)(?: (?:info|informasi))? (?<c>.+)`),
  rule('search', `(?:sedang |lagi )?(?:mencari|nyari|butuh|perlu|minta|pengen baca|mau baca|ingin membaca|ingin baca|mau cari)(?: (?:info|informasi))? (?<c>.+)`),
];

export const PARTICLE_AT_END = new RegExp(`[\\s,]${PARTICLE}$`, 'iu');

/**
 * The first frame that fits the whole text and that `accept` agrees with (the caller checks weak
 * frames and library phrases). Undefined: no frame, the text is bare content (a title, keywords).
 */
export function matchFrame(
  text: string,
  isLibrary: (phrase: string) => boolean,
  accept: (frame: FrameMatch) => boolean,
): FrameMatch | undefined {
  // the openers ("please", "mau tanya", "could you tell me if") cut once: the text without each
  // number of them, most cut first (as a greedy `(?:opener )*` in front of every rule would try)
  const leads = [text];
  for (let rest = text, m = LEAD_ONE.exec(rest); m !== null && leads.length < 8; m = LEAD_ONE.exec(rest)) {
    rest = rest.slice(m[0].length);
    leads.unshift(rest);
  }
  for (const r of RULES) {
    for (const candidate of leads) {
      const found = tryRule(r, candidate, isLibrary, accept);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function tryRule(r: FrameRule, text: string, isLibrary: (phrase: string) => boolean, accept: (frame: FrameMatch) => boolean): FrameMatch | undefined {
  {
    const m = r.re.exec(text);
    const g = m?.groups;
    if (!g) return undefined;
    const content = (g['c'] ?? '').trim();
    if (content === '') return undefined;
    const library = g['l'];
    if (library !== undefined && !isLibrary(library)) return undefined;
    const frame: FrameMatch = { intent: r.intent, content };
    if (library !== undefined) frame.library = library;
    if (g['r'] !== undefined) frame.relation = g['r'].toLowerCase() === 'from' ? 'by' : g['r'];
    if (r.weak !== undefined) frame.weak = r.weak;
    if (accept(frame)) return frame;
  }
  return undefined;
}
