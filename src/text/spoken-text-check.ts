/**
 * `spokenTextProblems(text)`: what a Vietnamese TTS voice would read wrongly in text that is
 * meant to be spoken already (the output of `speakable`). Used by tests and by the answers eval
 * to prove that voice answers carry no digits, addresses, abbreviations or markup, and stay short
 * enough to hear (at most three sentences).
 *
 * Each problem is one line starting with its kind — `digit:`, `url:`, `email:`, `abbreviation:`,
 * `markdown:`, `sentences:` — so callers can filter by kind.
 */
import { SPOKEN_INITIALISMS } from './speakable.js';

export const MAX_SPOKEN_SENTENCES = 3;

const DIGITS = /[\p{N}]+(?:[.,:\/\-][\p{N}]+)*/gu;
const URL = /(?:https?:\/\/|www\.)\S+|(?<![\p{L}\p{N}@.])(?:[a-z0-9-]+\.)+(?:vn|com|net|org|gov|edu|info|io)(?![\p{L}\p{N}])\S*/giu;
const EMAIL = /\S+@\S+\.\S+/g;
const MARKDOWN = /\*\*|__|~~|`|\[[^\]\n]*\]\([^)\n]*\)|^\s*(?:#{1,6}|[-*•+▪●◦]|>)\s|\|/gmu;
const WORD = /[\p{L}\p{N}]+/gu;

const SEGMENTER = new Intl.Segmenter('vi', { granularity: 'sentence' });

/** Sentences as a TTS streamer would cut them (ICU rules), ignoring fragments without words. */
export function sentenceCount(text: string): number {
  let n = 0;
  for (const { segment } of SEGMENTER.segment(text)) if (/[\p{L}\p{N}]/u.test(segment)) n++;
  return n;
}

function upperCount(token: string): number {
  let n = 0;
  for (const ch of token) if (ch !== ch.toLowerCase()) n++;
  return n;
}

/**
 * An unread abbreviation: two or more capitals in one token ("UBND", "TTg", "VNeID"), or letters
 * glued to digits ("H26"). Allowed: `SPOKEN_INITIALISMS` (ATM, OTP, QR, SMS), which Vietnamese
 * callers themselves say letter by letter and vi-VN voices spell correctly.
 */
function isUnreadAbbreviation(token: string): boolean {
  if (SPOKEN_INITIALISMS.has(token)) return false;
  if (/\p{L}/u.test(token) && /\p{N}/u.test(token)) return true;
  return upperCount(token) >= 2;
}

/** Problems a TTS voice would have with `text`; empty when it can be spoken as is. */
export function spokenTextProblems(text: string): string[] {
  const problems: string[] = [];
  const urls = [...text.matchAll(URL)].map((m) => m[0]);
  const emails = [...text.matchAll(EMAIL)].map((m) => m[0]);
  for (const e of emails) problems.push(`email: ${e}`);
  for (const u of urls) if (!emails.some((e) => e.includes(u))) problems.push(`url: ${u}`);
  for (const m of text.matchAll(DIGITS)) problems.push(`digit: ${m[0]}`);
  for (const m of text.matchAll(WORD)) if (isUnreadAbbreviation(m[0]) && !/^\p{N}+$/u.test(m[0])) problems.push(`abbreviation: ${m[0]}`);
  for (const m of text.matchAll(MARKDOWN)) problems.push(`markdown: ${JSON.stringify(m[0].trim())}`);
  const sentences = sentenceCount(text);
  if (sentences > MAX_SPOKEN_SENTENCES) problems.push(`sentences: ${sentences} (at most ${MAX_SPOKEN_SENTENCES})`);
  return problems;
}

/** The first `n` sentences of `text` (ICU rules, as `sentenceCount` counts them). */
export function firstSentences(text: string, n: number): string {
  const kept: string[] = [];
  for (const { segment } of SEGMENTER.segment(text)) {
    if (kept.filter((s) => /[\p{L}\p{N}]/u.test(s)).length >= n && /[\p{L}\p{N}]/u.test(segment)) break;
    kept.push(segment);
  }
  return kept.join('').trim();
}
