import { timingSafeEqual } from 'node:crypto';
import type { AnswerStatus, Citation } from '../../domain/answer.js';
import type { Session } from '../../domain/conversation.js';
import type { Procedure } from '../../domain/procedure.js';
import { type ApplicationStatusSource, StatusBackendUnavailable } from '../../status-lookup/application-status.js';
import { asksApplicationStatus, cannotVerify, findVerificationDigits, hasDigits, wantsToStop } from '../../status-lookup/lookup-intent.js';
import { ephemeralLookupSecrets, type LookupSecrets } from '../../status-lookup/lookup-secrets.js';
import { lastFourDigits } from '../../status-lookup/personal-masking.js';
import { cleanForCodes, containsReceiptCode, findReceiptCode, hasReceiptCodeCue, maskReceiptCode } from '../../status-lookup/receipt-code.js';
import type { StatusLookupGuard } from '../../status-lookup/status-lookup-guard.js';
import {
  applicationAnswer,
  askForCodeReply,
  askForDigitsReply,
  backendDownReply,
  cancelledReply,
  cannotVerifyReply,
  digitsNeededReply,
  expiredReply,
  lockedReply,
  noPhoneOnFileReply,
  rateLimitedReply,
  unknownCodeReply,
  wrongDigitsReply,
} from '../../status-lookup/status-replies.js';
import { fold } from '../../text/vietnamese.js';
import type { AnswerContext, Step } from '../answer-context.js';

export interface StatusLookupStepDeps {
  /** The city's procedure-handling system (or the demo store). */
  source: ApplicationStatusSource;
  guard: StatusLookupGuard;
  /**
   * Hashes codes and user keys and seals the pending code in the session. Pass the install's
   * (`loadOrCreateLookupSecrets`) so that every worker can read a pending verification; the
   * default lives only as long as this process.
   */
  secrets?: LookupSecrets;
  /** The catalogue, to cite the application's procedure when it is known. */
  procedures?: ReadonlyMap<string, Procedure>;
  now?: () => Date;
  /** A pending verification is forgotten after this long (default 10 minutes). */
  pendingTtlMs?: number;
}

const DEFAULT_PENDING_TTL_MS = 10 * 60 * 1000;
export const DIGITS_PLACEHOLDER = '[4 số cuối]';
/** What is stored when the code could not be cut out of the text cleanly. */
const OPAQUE_TEXT = '[tra cứu hồ sơ]';
/** Words that say a number is the phone's last digits ("4 số cuối là…", "đuôi 5678"). */
const DIGITS_CUE = /\b(?:so cuoi|duoi|4 so|bon so|so dien thoai|sdt|dien thoai|so dt)\b/;
/** A message this short that holds four digits is an answer to the question, not a new topic. */
const SHORT_ANSWER_WORDS = 6;

/**
 * "Hồ sơ của tôi đến đâu rồi?": the citizen gives the receipt code, then the last four digits of
 * the phone registered with the application, and gets the status, procedure, dates and whether
 * it is overdue, with the applicant's details masked. Runs right after redaction so that the
 * stored text (`ctx.text`) has the code replaced by `[mã hồ sơ]` and the digits by `[4 số cuối]`:
 * no stored turn holds a code together with what verifies it. Codes and digits are read from the
 * raw message, since redaction may have rewritten digit runs.
 */
export function createStatusLookupStep(deps: StatusLookupStepDeps): Step {
  const now = deps.now ?? (() => new Date());
  const secrets = deps.secrets ?? ephemeralLookupSecrets();
  const pendingTtlMs = deps.pendingTtlMs ?? DEFAULT_PENDING_TTL_MS;

  const end = (ctx: AnswerContext, status: AnswerStatus, text: string, citations: Citation[] = []) => {
    ctx.trace.push(`status_lookup:${status}`);
    ctx.abort({ status, text, citations });
  };

  const userHash = (session: Session) => secrets.hashUser(`${session.key.channel}:${session.key.userId}`);

  /** Replaces the code in the stored text; when it cannot, stores nothing of the message. */
  const maskCode = (ctx: AnswerContext, code: string) => {
    ctx.text = maskReceiptCode(ctx.text, code);
    if (containsReceiptCode(ctx.text, code)) ctx.text = OPAQUE_TEXT;
    ctx.topicText = ctx.text;
  };

  /**
   * In a message that answers the verification question every number of two digits or more is
   * part of the answer ("5678", "56 78", a wrong "123"): all are replaced. A lone digit ("4 số
   * cuối") tells nothing and stays.
   */
  const maskDigits = (ctx: AnswerContext) => {
    ctx.text = ctx.text.replace(/\d(?:[ .-]?\d)+/g, DIGITS_PLACEHOLDER);
    ctx.topicText = ctx.text;
  };

  /** The digits, checked against the application; ends the turn. */
  const verify = async (ctx: AnswerContext, code: string, codeHash: string, digits: string, attempts: number) => {
    const style = ctx.input.style;
    const at = now();
    const lockedUntil = await deps.guard.lockedUntil(codeHash, at);
    // While locked, the lookup stays pending (until it expires), so digits typed again get the
    // lock explained rather than being read as a new question.
    if (lockedUntil) return end(ctx, 'status_lookup_failed', lockedReply(lockedUntil, at, style));
    const record = await findOrNull(ctx, code);
    if (record === 'unavailable') return end(ctx, 'status_lookup_failed', backendDownReply(style));
    if (record === null) {
      ctx.session.statusLookup = null;
      return end(ctx, 'status_lookup_failed', unknownCodeReply(style));
    }
    const expected = lastFourDigits(record.phone);
    if (expected === null) {
      ctx.session.statusLookup = null;
      return end(ctx, 'status_lookup_failed', noPhoneOnFileReply(style));
    }
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(digits.padStart(4, '0').slice(-4)))) {
      await deps.guard.recordSuccess(codeHash);
      ctx.session.statusLookup = null;
      const p = record.procedureCode ? deps.procedures?.get(record.procedureCode) : undefined;
      const citations: Citation[] = p ? [{ id: p.id, name: p.name, url: p.url }] : [];
      return end(ctx, 'status_lookup_answered', applicationAnswer(record, at, style), citations);
    }
    const outcome = await deps.guard.recordFailure(codeHash, at);
    if (outcome.lockedUntil) return end(ctx, 'status_lookup_failed', lockedReply(outcome.lockedUntil, at, style));
    ctx.session.statusLookup = { codeHash, codeCipher: secrets.seal(code), attempts: attempts + 1, startedAt: ctx.session.statusLookup?.startedAt ?? at.toISOString() };
    return end(ctx, 'status_lookup_verify', wrongDigitsReply(outcome.attemptsLeft, style));
  };

  /** The application, null when unknown, 'unavailable' when the system did not answer (never a guess). */
  const findOrNull = async (ctx: AnswerContext, code: string) => {
    try {
      return await deps.source.find(code);
    } catch (err) {
      // The reason (timeout, http_503, malformed…) is a fixed word, never the code or the URL.
      ctx.trace.push(`status_backend:${err instanceof StatusBackendUnavailable ? err.reason : 'error'}`);
      return 'unavailable' as const;
    }
  };

  /** A code was given: check the limits and that it exists, then ask for the digits (or verify them at once). */
  const start = async (ctx: AnswerContext, code: string, rawWithoutCode: string) => {
    const style = ctx.input.style;
    const at = now();
    ctx.session.statusLookup = null;
    const codeHash = secrets.hashCode(code);
    // "Mã hồ sơ … , 4 số cuối 5678": both in one message. The digits leave the stored text
    // whatever happens next, since the code is in the same message.
    const digits = findVerificationDigits(rawWithoutCode);
    if (digits) maskDigits(ctx);
    const lockedUntil = await deps.guard.lockedUntil(codeHash, at);
    if (lockedUntil) return end(ctx, 'status_lookup_failed', lockedReply(lockedUntil, at, style));
    const allowance = await deps.guard.allowLookup(userHash(ctx.session), codeHash, at);
    if (!allowance.allowed) return end(ctx, 'status_lookup_failed', rateLimitedReply(allowance.retryAfterMs, style));
    if (digits && DIGITS_CUE.test(fold(rawWithoutCode))) return verify(ctx, code, codeHash, digits.digits, 0);
    const record = await findOrNull(ctx, code);
    if (record === 'unavailable') return end(ctx, 'status_lookup_failed', backendDownReply(style));
    if (record === null) return end(ctx, 'status_lookup_failed', unknownCodeReply(style));
    if (lastFourDigits(record.phone) === null) return end(ctx, 'status_lookup_failed', noPhoneOnFileReply(style));
    ctx.session.statusLookup = { codeHash, codeCipher: secrets.seal(code), attempts: 0, startedAt: at.toISOString() };
    return end(ctx, 'status_lookup_verify', askForDigitsReply(code, style));
  };

  return {
    name: 'status-lookup',
    async run(ctx: AnswerContext) {
      const raw = ctx.input.text;
      const style = ctx.input.style;
      const at = now();
      const asks = asksApplicationStatus(ctx.text);
      const cue = hasReceiptCodeCue(raw);

      let pending = ctx.session.statusLookup ?? null;
      let expired = false;
      if (pending && !(at.getTime() - Date.parse(pending.startedAt) < pendingTtlMs)) {
        ctx.session.statusLookup = pending = null;
        expired = true;
      }
      const pendingCode = pending?.codeCipher ? secrets.open(pending.codeCipher) : null;
      if (pending && (pendingCode === null || secrets.hashCode(pendingCode) !== pending.codeHash)) {
        // Sealed by another install's secret, or altered: start again.
        ctx.session.statusLookup = pending = null;
        expired = true;
      }
      // Just asked for the code: a plain token is taken as one without a cue.
      const awaitingCode = !pending && lastAssistantStatus(ctx.session) === 'status_lookup_verify';

      // A code in the message starts (or restarts) a lookup. While digits are awaited, a bare
      // long number is more likely the whole phone number than a code: it needs a cue then.
      const found = findReceiptCode(raw, { lenient: cue || asks || (awaitingCode && !expired) });
      if (found) {
        maskCode(ctx, found.code);
        return start(ctx, found.code, maskReceiptCode(cleanForCodes(raw), found.code));
      }

      const digits = findVerificationDigits(raw);
      const answersQuestion = digits !== null && (wordCount(raw) <= SHORT_ANSWER_WORDS || DIGITS_CUE.test(fold(raw)));
      if (pending && pendingCode) {
        if (answersQuestion) {
          maskDigits(ctx);
          return verify(ctx, pendingCode, pending.codeHash, digits!.digits, pending.attempts);
        }
        if (wantsToStop(ctx.text)) {
          ctx.session.statusLookup = null;
          return end(ctx, 'answered_smalltalk', cancelledReply(style));
        }
        if (cannotVerify(ctx.text)) {
          ctx.session.statusLookup = null;
          return end(ctx, 'status_lookup_failed', cannotVerifyReply(style));
        }
        if (asks || (hasDigits(raw) && wordCount(raw) <= SHORT_ANSWER_WORDS)) {
          // "123", "hồ sơ của tôi đâu?": still the same lookup, the digits are still missing.
          maskDigits(ctx);
          return end(ctx, 'status_lookup_verify', digitsNeededReply(style));
        }
        // Anything else changes the subject: the lookup is dropped and the turn goes on.
        ctx.session.statusLookup = null;
        ctx.trace.push('status_lookup:dropped');
        return;
      }
      if (expired && answersQuestion) {
        maskDigits(ctx);
        return end(ctx, 'status_lookup_verify', expiredReply(style));
      }
      if (asks) return end(ctx, 'status_lookup_verify', askForCodeReply(style));
    },
  };
}

function lastAssistantStatus(session: Session): AnswerStatus | undefined {
  for (let i = session.turns.length - 1; i >= 0; i--) {
    const t = session.turns[i]!;
    if (t.role === 'assistant') return t.status;
  }
  return undefined;
}

function wordCount(text: string): number {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
}
