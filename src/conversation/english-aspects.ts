import type { Aspect } from '../text/aspects.js';
import { PhraseMatcher } from './phrase-matcher.js';

/** English cues, in the same priority order as the Vietnamese ones. */
const CUES: ReadonlyArray<readonly [Aspect, PhraseMatcher]> = [
  ['fee', new PhraseMatcher(['fee', 'fees', 'cost', 'costs', 'how much', 'price', 'charge', 'pay', 'free of charge'])],
  ['time', new PhraseMatcher(['how long', 'how many days', 'processing time', 'time limit', 'when will i get', 'days', 'weeks'])],
  ['documents', new PhraseMatcher(['documents', 'document', 'papers', 'paperwork', 'what do i need', 'what should i bring', 'bring', 'form', 'forms', 'dossier'])],
  ['conditions', new PhraseMatcher(['requirements', 'conditions', 'eligible', 'eligibility', 'who can', 'allowed'])],
  ['online', new PhraseMatcher(['online', 'internet', 'website', 'portal', 'vneid'])],
  ['legal_basis', new PhraseMatcher(['legal basis', 'which law', 'which decree', 'regulation'])],
  ['where', new PhraseMatcher(['where', 'which office', 'which agency', 'address', 'by post', 'submit'])],
  ['result', new PhraseMatcher(['result', 'what will i receive', 'what do i get'])],
  ['steps', new PhraseMatcher(['how do i', 'how to', 'how can i', 'steps', 'process'])],
];

/** The aspect an English question asks about, or null. */
export function detectEnglishAspect(text: string): Aspect | null {
  for (const [aspect, m] of CUES) if (m.test(text)) return aspect;
  return null;
}

/** English words that only say which aspect is asked; they carry no topic. */
export const ENGLISH_ASPECT_WORDS: ReadonlySet<string> = new Set([
  'fee', 'fees', 'cost', 'costs', 'much', 'price', 'charge', 'pay', 'long', 'many', 'days', 'weeks', 'time', 'limit', 'processing',
  'documents', 'document', 'papers', 'paperwork', 'need', 'bring', 'form', 'forms', 'requirements', 'conditions', 'eligible',
  'online', 'internet', 'website', 'portal', 'where', 'office', 'agency', 'address', 'post', 'submit', 'result', 'receive',
  'steps', 'process', 'legal', 'basis', 'law', 'apply',
]);
