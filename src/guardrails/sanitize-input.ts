/**
 * First cleaning of a citizen's message, before anything reads it: invisible and formatting
 * characters out (they hide instructions from humans and split keywords for filters — OWASP
 * LLM01, promptfoo "ascii-smuggling", govuk-chat `UnicodeTags`), NFC, whitespace collapsed,
 * length capped (LLM10).
 */

/** Characters a message may have once cleaned; longer ones are cut. */
export const DEFAULT_MAX_INPUT_CHARS = 2000;

/**
 * How many raw characters are looked at per character kept. A message padded with megabytes of
 * spaces or zero-width characters is cut before any per-character work, so cleaning costs the
 * same for 20 MB as for 20 kB; content after the window is lost (and reported as truncated).
 */
const SCAN_CHARS_PER_KEPT_CHAR = 8;
/** When cutting, step back to a space at most this far so a word or number is not split. */
const WORD_BACKOFF_CHARS = 32;

export interface SanitizeOptions {
  /** Maximum characters kept; default {@link DEFAULT_MAX_INPUT_CHARS}. */
  maxChars?: number;
}

export interface SanitizedInput {
  /** Cleaned text: NFC, no invisible or control characters but `\n`, single spaces, trimmed. */
  text: string;
  /** True when the message was longer than allowed and only its beginning was kept. */
  truncated: boolean;
  /** How many invisible, format or control characters were removed (in the part scanned). */
  removedChars: number;
}

/**
 * Control (Cc), format (Cf: zero-width, bidi controls, soft hyphen, tag characters…), lone
 * surrogates and the other default-ignorable characters (Hangul fillers, combining grapheme
 * joiner), plus the whole tag block U+E0000–U+E007F including its unassigned points.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\u{E0000}-\u{E007F}]/gu;
const EXTENDED_PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
/** Full-width ASCII forms (Ｃ Ｃ Ｃ Ｄ ０１２…) from East Asian keyboards. */
const FULL_WIDTH = /[\uFF01-\uFF5E]/g;

function isEmojiModifierOrSelector(cp: number): boolean {
  return cp === 0xfe0f || (cp >= 0x1f3fb && cp <= 0x1f3ff);
}

/** A ZWJ between two pictographs (👨‍👩‍👧) belongs to the emoji; anywhere else it only hides text. */
function joinsEmoji(text: string, offset: number): boolean {
  let prev = prevCodePoint(text, offset - 1);
  if (prev !== undefined && isEmojiModifierOrSelector(prev.cp)) prev = prevCodePoint(text, prev.start - 1);
  if (prev === undefined || !EXTENDED_PICTOGRAPHIC.test(String.fromCodePoint(prev.cp))) return false;
  const next = text.codePointAt(offset + 1);
  return next !== undefined && EXTENDED_PICTOGRAPHIC.test(String.fromCodePoint(next));
}

function prevCodePoint(text: string, i: number): { cp: number; start: number } | undefined {
  if (i < 0) return undefined;
  const low = text.charCodeAt(i);
  if (low >= 0xdc00 && low <= 0xdfff && i > 0) {
    const high = text.charCodeAt(i - 1);
    if (high >= 0xd800 && high <= 0xdbff) return { cp: text.codePointAt(i - 1)!, start: i - 1 };
  }
  return { cp: low, start: i };
}

/**
 * Removes invisible, format and control characters, keeping `\n` and `\t` (line breaks: `\r\n`,
 * `\r`, NEL, U+2028/9 become `\n`), emoji variation selectors and ZWJ inside emoji sequences.
 */
export function stripInvisible(text: string): { text: string; removed: number } {
  let removed = 0;
  const out = text.replace(INVISIBLE, (ch: string, offset: number, whole: string) => {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x0a || cp === 0x09) return ch;
    if (cp === 0x0d) return whole.charCodeAt(offset + 1) === 0x0a ? '' : '\n';
    if (cp === 0x85) return '\n';
    if (cp === 0x0b || cp === 0x0c) return ' ';
    if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)) return ch;
    if (cp === 0x200d && joinsEmoji(whole, offset)) return ch;
    removed++;
    return '';
  });
  return { text: out, removed };
}

/** Cuts at `n` UTF-16 units without leaving half of a surrogate pair. */
function cutAt(text: string, n: number): string {
  if (n >= text.length) return text;
  const last = text.charCodeAt(n - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? n - 1 : n);
}

function collapseWhitespace(text: string): string {
  return text
    .replace(/[\u2028\u2029]/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Cleans a raw message: invisible/format/control characters removed, full-width ASCII mapped to
 * ASCII, NFC, horizontal whitespace collapsed to one space, at most one blank line kept, trimmed,
 * then capped at `maxChars` (cut at a space when one is near, never inside a surrogate pair).
 */
export function sanitizeInput(raw: string, options: SanitizeOptions = {}): SanitizedInput {
  const maxChars = options.maxChars ?? DEFAULT_MAX_INPUT_CHARS;
  if (!Number.isInteger(maxChars) || maxChars < 1) throw new RangeError(`maxChars must be a positive integer, got ${maxChars}`);

  const scanLimit = maxChars * SCAN_CHARS_PER_KEPT_CHAR + 1024;
  let truncated = raw.length > scanLimit;
  const scanned = truncated ? cutAt(raw, scanLimit) : raw;

  const stripped = stripInvisible(scanned);
  let text = collapseWhitespace(
    stripped.text.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).normalize('NFC'),
  );

  if (text.length > maxChars) {
    truncated = true;
    let cut = cutAt(text, maxChars);
    // Step back to a space so a word, a code or an ID number is never half kept: a half ID
    // number would no longer look like one to the personal-data filter.
    if (/\S/.test(text.charAt(cut.length))) {
      const space = cut.search(/\s\S*$/);
      if (space >= 0 && cut.length - space <= WORD_BACKOFF_CHARS) cut = cut.slice(0, space);
    }
    text = cut.trimEnd();
  }
  return { text, truncated, removedChars: stripped.removed };
}
