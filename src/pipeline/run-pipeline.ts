import type { AnswerResult } from '../domain/answer.js';
import type { AnswerContext, Step } from './answer-context.js';

export interface StepTiming {
  step: string;
  ms: number;
}

/**
 * Runs the steps in order until one ends the turn. A step that throws ends the turn with
 * `error_internal` (or `error_timeout` when the turn's signal fired), never with a crash: the
 * citizen always gets a reply, and what was stored before stays stored.
 */
export async function runPipeline(
  steps: readonly Step[],
  ctx: AnswerContext,
  fallbackText: { internal: string; timeout: string },
): Promise<{ result: AnswerResult; timings: StepTiming[]; error?: unknown }> {
  const timings: StepTiming[] = [];
  try {
    for (const step of steps) {
      if (ctx.done) break;
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('aborted');
      const started = performance.now();
      await step.run(ctx);
      timings.push({ step: step.name, ms: performance.now() - started });
    }
  } catch (error) {
    const timedOut = ctx.signal.aborted;
    ctx.result = {
      status: timedOut ? 'error_timeout' : 'error_internal',
      text: timedOut ? fallbackText.timeout : fallbackText.internal,
      citations: [],
      handoff: false,
    };
    return { result: ctx.result, timings, error };
  }
  if (!ctx.result) {
    // A pipeline whose last step is the answer check always sets a result; this guards the list.
    ctx.result = { status: 'error_internal', text: fallbackText.internal, citations: [], handoff: false };
    return { result: ctx.result, timings, error: new Error('pipeline ended without a result') };
  }
  return { result: ctx.result, timings };
}
