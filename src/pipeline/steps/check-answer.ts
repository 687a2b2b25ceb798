import { collectAnswer, type AnswerComposer } from '../../answer/answer-composer.js';
import { checkAnswer } from '../../answer/answer-check.js';
import type { AnswerStyle, Language } from '../../domain/answer.js';
import type { Procedure } from '../../domain/procedure.js';
import type { LocalNotices } from '../../knowledge/local-notices.js';
import type { AnswerContext, Step } from '../answer-context.js';
import { noticesFor } from './compose-answer.js';
import { firstSentences, MAX_SPOKEN_SENTENCES, sentenceCount } from '../../text/spoken-text-check.js';

export interface CheckAnswerOptions {
  /** The grounded composer, whose text comes from the record and replaces a draft that fails. */
  fallback: AnswerComposer;
  procedures: ReadonlyMap<string, Procedure>;
  /**
   * The Center's notices around an answer about a procedure (online-only rule, recent change,
   * Hanoi notes). Added after the check: they come from the Center's lists, not the record.
   */
  localNotices?: (procedureId: string, style: AnswerStyle, language: Language) => LocalNotices;
}

/**
 * The last line of defence: every amount, duration, count, date, link and procedure code in the
 * draft must come from a cited record. A draft that fails is never sent; the grounded answer is
 * sent instead with status `answered_fallback`.
 */
export function createCheckAnswerStep(options: CheckAnswerOptions): Step {
  return {
    name: 'check-answer',
    async run(ctx: AnswerContext) {
      const draft = ctx.draft;
      if (!draft) return; // an earlier step ended the turn
      const records = draft.citations.map((c) => options.procedures.get(c.id)).filter((p): p is Procedure => p !== undefined);
      const cited = records.length > 0 && records.length === draft.citations.length;
      // The grounded composer copies the record (its own property test checks every record and
      // aspect), so only other composers' drafts pay for the check on the hot path.
      const grounded = ctx.composerId === options.fallback.id;
      const verdict = !cited
        ? { ok: false, problems: [{ kind: 'citation' as const, detail: 'citation not among records' }] }
        : grounded
          ? { ok: true, problems: [] }
          : checkAnswer(draft.text, records, { aspect: ctx.aspect ?? undefined, language: ctx.language });
      let { text, status, citations } = draft;
      if (!verdict.ok) {
        ctx.trace.push(...verdict.problems.map((p) => `check_failed:${p.kind}`));
        if (ctx.composerId !== options.fallback.id && ctx.procedure) {
          const grounded = await collectAnswer(
            options.fallback.compose(
              { question: ctx.text, procedure: ctx.procedure, related: [], aspect: ctx.aspect, style: ctx.input.style, language: ctx.language },
              { signal: ctx.signal },
            ),
          );
          ({ text, citations } = grounded);
          status = 'answered_fallback';
          ctx.composerId = options.fallback.id;
        }
      }
      const notices = noticesFor(ctx);
      const primary = citations[0]?.id;
      const local = primary && options.localNotices ? options.localNotices(primary, ctx.input.style, ctx.language) : { before: [], after: [] };
      if (local.before.length + local.after.length > 0) ctx.trace.push('local_notices');
      const parts =
        ctx.input.style === 'voice'
          ? fitSpokenBudget([...notices, ...local.before], text, local.after)
          : [...notices, ...local.before, text, ...local.after];
      ctx.abort({ status, text: parts.join('\n\n'), citations, handoff: false });
    },
  };
}

/**
 * A caller hears at most three sentences. Notices before the answer (personal data hidden, the
 * procedure is online-only) stay, since they change what the caller should do; the "recently
 * updated" notice after it goes first; then the answer keeps as many of its first sentences as fit
 * (at least one).
 */
function fitSpokenBudget(before: string[], text: string, after: string[]): string[] {
  const count = (xs: readonly string[]) => xs.reduce((n, s) => n + sentenceCount(s), 0);
  let tail = after;
  if (count(before) + sentenceCount(text) + count(tail) > MAX_SPOKEN_SENTENCES) tail = [];
  const budget = Math.max(1, MAX_SPOKEN_SENTENCES - count(before) - count(tail));
  return [...before, sentenceCount(text) > budget ? firstSentences(text, budget) : text, ...tail];
}
