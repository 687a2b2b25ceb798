/**
 * Text clean-up for the grounded composer. Every function here only removes, trims or
 * re-spaces the record's own text: none adds a digit, so an answer built from their output
 * quotes the record's numbers and nothing else.
 */

/** A sentence ends at . ! ? ; or … followed by white space or the end (not "66.7" or "2.000"). */
const SENTENCE_END = /[.!?;…](?=\s|$)/g;

/** Bullet artefacts at the start of a line of the portal's free text. */
const LEADING_BULLET = /^(?:[-–—+*•·●▪◦]+\s*)+/u;

/** "a) ", "(ii) " at the start of an item: a list marker that means nothing when spoken. */
const LIST_MARKER = /^(?:\(?[a-zđ]\)|\(?[ivx]{1,4}\))\s*/u;

/** Collapses runs of white space (including newlines) to one space and trims. */
export function squash(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** "Phí : 0 Đồng" → "Phí: 0 Đồng"; drops leading bullets and doubled outer brackets. */
export function tidy(text: string): string {
  let t = squash(text).replace(/\s+([:;,.])(?=\s|$)/g, '$1');
  t = t.replace(LEADING_BULLET, '');
  t = t.replace(/\(\s*\(([^()]*)\)\s*\)/g, '($1)');
  return t.trim();
}

/**
 * Shortens `text` to at most `max` characters, preferring the last sentence end, then the last
 * word boundary (marked with "…"). Never cuts inside a word, so never inside a number.
 */
export function truncateText(text: string, max: number): string {
  const t = tidy(text);
  if (t.length <= max) return t;
  const head = t.slice(0, max);
  let cut = -1;
  for (const m of head.matchAll(SENTENCE_END)) cut = m.index + 1;
  if (cut >= max * 0.4) return head.slice(0, cut).trim();
  const space = head.lastIndexOf(' ', max - 1);
  const body = space > max * 0.3 ? head.slice(0, space) : head.replace(/[\p{L}\p{N}]+$/u, '');
  return `${body.replace(/[\s,;:(–-]+$/u, '')}…`;
}

/** The first sentence of a text (without its final punctuation). */
export function firstSentence(text: string): string {
  const t = tidy(text);
  SENTENCE_END.lastIndex = 0;
  const m = SENTENCE_END.exec(t);
  SENTENCE_END.lastIndex = 0;
  return (m ? t.slice(0, m.index) : t).trim();
}

/** Removes bracketed asides, innermost first: "Giấy chứng sinh (bản chính)" → "Giấy chứng sinh". */
export function stripParentheses(text: string): string {
  let t = text;
  for (let i = 0; i < 5 && /\([^()]*\)/.test(t); i++) t = t.replace(/\s*\([^()]*\)/g, '');
  return t.replace(/[()]/g, ' ');
}

/**
 * One speakable clause: no links, no brackets, no bullets, no quotes, no sentence end inside,
 * at most `max` characters cut at a word. Used to build voice sentences from record values.
 */
export function voiceClause(text: string, max = 160): string {
  let t = tidy(text).replace(LIST_MARKER, '').replace(/https?:\/\/\S+|www\.\S+/gi, ' ');
  t = stripParentheses(t);
  t = t.replace(/["“”„«»]/g, '').replace(/…/g, ' ');
  t = firstSentence(t);
  // Abbreviation dots ("TP. Hà Nội") or colons would read as sentence ends to a counter.
  t = t.replace(/[.!?;](?=\s)/g, ',').replace(/\s*[:]\s*/g, ', ');
  t = squash(t).replace(LEADING_BULLET, '');
  if (t.length > max) {
    // Prefer ending at a comma ("…, có thời" reads worse than a shorter complete clause).
    const comma = t.lastIndexOf(', ', max);
    const space = t.lastIndexOf(' ', max);
    if (comma > max * 0.5) t = t.slice(0, comma);
    else t = space > max * 0.3 ? t.slice(0, space) : t.slice(0, max).replace(/[\p{L}\p{N}]+$/u, '');
  }
  // A cut clause should not end on a dangling link word ("… căn cước hoặc").
  return t
    .replace(/[\s,;:.–-]+$/u, '')
    .replace(/(?:\s+(?:hoặc|và|của|các|theo|do|cho|với|tại|về|or|and|of))+$/iu, '')
    .replace(/[\s,;:.–-]+$/u, '')
    .trim();
}

/** A short name for a document in speech: up to the first ; , ( or : and at most `max` chars. */
export function shortName(text: string, max = 90): string {
  const t = tidy(text);
  const stop = t.search(/[;,(:]| trong trường hợp | theo quy định | theo mẫu | ban hành kèm theo | để /u);
  return voiceClause(stop > 8 ? t.slice(0, stop) : t, max);
}

const ITEM_START = /^(?:[-–—+*•·●▪◦]|Bước\s*\d+|\(?[ivxIVX]{1,4}\)|\(?[a-zđ]\)|\d+(?:\.\d+)*[.)]\s)/u;

/**
 * Splits the portal's free text ("- a\n- b", "Bước 1: …\nBước 2: …", wrapped lines) into items:
 * a line starts a new item when it opens with a bullet, a step or a list marker, or when the
 * previous line ended a sentence; otherwise it continues the previous item (a wrapped line).
 */
export function splitItems(text: string): string[] {
  const lines = text
    .normalize('NFC')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !/^[-–—+*•·●▪◦]+$/u.test(l));
  const items: string[] = [];
  for (const line of lines) {
    const prev = items[items.length - 1];
    // A wrapped line goes on in lower case; a capital starts a new item after a heading
    // such as "a) Về cấp lại chứng chỉ" that ends without punctuation.
    if (prev === undefined || ITEM_START.test(line) || /^\p{Lu}/u.test(line) || /[.;:!?)]$/.test(prev)) items.push(line);
    else items[items.length - 1] = `${prev} ${line}`;
  }
  return items.map(tidy).filter((i) => i.length > 0);
}

/** Removes a file extension from a form's file name ("Mẫu số 01.docx" → "Mẫu số 01"). */
export function formName(file: string): string {
  return tidy(file).replace(/\.(docx?|pdf|xlsx?|rtf|odt|zip|rar)$/i, '');
}
