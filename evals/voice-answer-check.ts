/**
 * The voice check of the answers eval: every question, dialogue and control message of the
 * answer datasets is asked again as a caller would (channel `voice`, style `voice`), the reply
 * goes through `speakable` exactly as the phone line speaks it, and `spokenTextProblems` lists
 * what a TTS voice would still misread (digits, addresses, abbreviations, markup, > 3 sentences).
 * Target: 0 answers with problems.
 */
import { speakable } from '../src/text/speakable.js';
import { spokenTextProblems } from '../src/text/spoken-text-check.js';
import type { AnswersDatasets } from './answers-dataset.js';

/** What the check needs from the answer service (the answers eval's `ChatService`). */
interface VoiceService {
  handle(input: { sessionId?: string; channel: string; message: string; style?: 'chat' | 'voice' }): Promise<{ sessionId: string; status: string; text: string }>;
}

export interface VoiceAnswerProblem {
  suite: 'single' | 'dialogue' | 'control';
  id: string;
  message: string;
  status: string;
  problems: string[];
  /** The reply as composed, and as it would be spoken. */
  text: string;
  spoken: string;
}

export interface VoiceCheckReport {
  answers: number;
  withProblems: number;
  /** Answers whose only problem is length (more than three sentences): the composer's, not speakable's. */
  tooLong: number;
  problems: VoiceAnswerProblem[];
}

/** The spoken form of a reply and what a voice would misread in it; an empty reply is a problem too. */
export function checkVoiceAnswer(text: string): { spoken: string; problems: string[] } {
  const spoken = speakable(text);
  const problems = spoken ? spokenTextProblems(spoken) : ['empty: no answer to speak'];
  return { spoken, problems };
}

async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

interface Asked {
  suite: VoiceAnswerProblem['suite'];
  id: string;
  message: string;
  status: string;
  text: string;
}

async function ask(service: VoiceService, message: string, sessionId?: string): Promise<{ sessionId?: string; status: string; text: string }> {
  try {
    return await service.handle({ sessionId, channel: 'voice', message, style: 'voice' });
  } catch (e) {
    return { sessionId, status: `exception: ${(e as Error).message}`, text: '' };
  }
}

/** Asks every dataset message in the voice style and checks each reply as it would be spoken. */
export async function runVoiceCheck(service: VoiceService, datasets: AnswersDatasets, concurrency = 4): Promise<VoiceCheckReport> {
  const single = await mapPool(datasets.single, concurrency, async (q): Promise<Asked> => ({ suite: 'single', id: q.id, message: q.question, ...(await ask(service, q.question)) }));
  const dialogues = await mapPool(datasets.dialogues, concurrency, async (d) => {
    const out: Asked[] = [];
    let sessionId: string | undefined;
    for (const [i, turn] of d.turns.entries()) {
      const reply = await ask(service, turn.message, sessionId);
      sessionId = reply.sessionId || sessionId;
      out.push({ suite: 'dialogue', id: `${d.id}#${i + 1}`, message: turn.message, status: reply.status, text: reply.text });
    }
    return out;
  });
  const control = await mapPool(datasets.control, concurrency, async (c): Promise<Asked> => ({ suite: 'control', id: c.id, message: c.message, ...(await ask(service, c.message)) }));

  const asked = [...single, ...dialogues.flat(), ...control];
  const problems: VoiceAnswerProblem[] = [];
  for (const a of asked) {
    const { spoken, problems: found } = checkVoiceAnswer(a.text);
    if (found.length) problems.push({ suite: a.suite, id: a.id, message: a.message, status: a.status, problems: found, text: a.text, spoken });
  }
  return {
    answers: asked.length,
    withProblems: problems.length,
    tooLong: problems.filter((p) => p.problems.every((x) => x.startsWith('sentences:'))).length,
    problems,
  };
}

/** "voice: N answers, M with problems" and the first few, for the console. */
export function voiceCheckLines(report: VoiceCheckReport, first = 5): string[] {
  return [
    `voice: ${report.answers} answers, ${report.withProblems} with problems${report.tooLong ? ` (${report.tooLong} only too long)` : ''}`,
    ...report.problems.slice(0, first).map((p) => `  ${p.suite} ${p.id} [${p.status}]: ${p.problems.slice(0, 3).join('; ')} — «${p.spoken.slice(0, 120)}»`),
  ];
}
