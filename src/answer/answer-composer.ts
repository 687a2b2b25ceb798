import type { AnswerStyle, Citation, Language } from '../domain/answer.js';
import type { Procedure } from '../domain/procedure.js';
import type { Aspect } from '../text/aspects.js';

/** What a composer needs to answer one question about one procedure. */
export interface ComposeInput {
  /** The citizen's (redacted) question. */
  question: string;
  procedure: Procedure;
  /** Other retrieved records the composer may mention (e.g. a closely related procedure). */
  related: Procedure[];
  aspect: Aspect | null;
  style: AnswerStyle;
  language: Language;
}

/** Streaming pieces of an answer: text deltas, then the citations, then done. */
export type AnswerEvent = { type: 'delta'; text: string } | { type: 'citations'; citations: Citation[] } | { type: 'done' };

/** Writes the answer text for a resolved procedure. Grounded (no LLM) by default. */
export interface AnswerComposer {
  readonly id: string;
  compose(input: ComposeInput, options: { signal: AbortSignal }): AsyncIterable<AnswerEvent>;
}

/** Collects a composer's stream into text and citations. */
export async function collectAnswer(events: AsyncIterable<AnswerEvent>): Promise<{ text: string; citations: Citation[] }> {
  let text = '';
  let citations: Citation[] = [];
  for await (const e of events) {
    if (e.type === 'delta') text += e.text;
    else if (e.type === 'citations') citations = e.citations;
  }
  return { text, citations };
}
