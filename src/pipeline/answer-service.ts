import { createHash, randomUUID } from 'node:crypto';
import type { AnswerResult, AnswerStyle, Language } from '../domain/answer.js';
import { cannedReply } from '../domain/canned-replies.js';
import type { Session, SessionKey, SessionStore, Turn } from '../domain/conversation.js';
import type { QaLogStore } from '../qa-log/qa-log-store.js';
import type { Aspect } from '../text/aspects.js';
import { AnswerContext, type Step } from './answer-context.js';
import { runPipeline } from './run-pipeline.js';

export interface ChatTurnInput {
  /** Web and mini-app clients keep the id they were given; omitted on the first message. */
  sessionId?: string;
  channel: string;
  /** The channel's user id (Messenger PSID, Zalo user id); web uses the session id. */
  userId?: string;
  message: string;
  style?: AnswerStyle;
  /**
   * The hashed user the Q&A log counts, when it is not the session key's: a call's session is
   * the call, but the user served is the caller (the hash of their number).
   */
  userKey?: string;
}

export interface ChatTurnOutput extends AnswerResult {
  sessionId: string;
  aspect: Aspect | null;
  language: Language;
  latencyMs: number;
}

/** What went wrong in a turn, for the operator's log (never the citizen's text). */
export interface TurnErrorLog {
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface AnswerServiceDeps {
  steps: readonly Step[];
  sessions: SessionStore;
  qaLog: QaLogStore;
  log: TurnErrorLog;
  /** The whole turn's budget. */
  turnTimeoutMs: number;
  now?: () => Date;
}

const SESSION_ID = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_TURNS = 20;
/** How much of each answer the session keeps. */
const SESSION_ANSWER_CHARS = 300;

/**
 * One citizen message, end to end: load the session, run the answer pipeline, remember what
 * the conversation is about, record the turn. Channels call this and hold no policy.
 */
export class AnswerService {
  private readonly now: () => Date;
  private steps: readonly Step[];

  constructor(private readonly deps: AnswerServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.steps = deps.steps;
  }

  /**
   * Replaces the answer policy's steps (after a knowledge reload). A turn already running
   * finishes with the steps it started with.
   */
  useSteps(steps: readonly Step[]): void {
    this.steps = steps;
  }

  async handle(input: ChatTurnInput, options: { signal?: AbortSignal } = {}): Promise<ChatTurnOutput> {
    const started = performance.now();
    // A client-supplied id is only a lookup key; an unusable one starts a new conversation.
    const webId = input.sessionId && SESSION_ID.test(input.sessionId) ? input.sessionId : randomUUID();
    const key: SessionKey = { channel: input.channel, userId: input.userId ?? webId };
    const session = await this.deps.sessions.load(key);
    // On the web the session id is the key the client holds, so the log and the client agree.
    if (input.userId === undefined) session.id = key.userId;
    const signal = options.signal
      ? AbortSignal.any([options.signal, AbortSignal.timeout(this.deps.turnTimeoutMs)])
      : AbortSignal.timeout(this.deps.turnTimeoutMs);
    const ctx = new AnswerContext({ text: input.message, channel: input.channel, style: input.style ?? 'chat' }, session, signal);
    const { result, error } = await runPipeline(this.steps, ctx, {
      internal: cannedReply('error_internal', ctx.language),
      timeout: cannedReply('error_timeout', ctx.language),
    });
    if (error) this.deps.log.error({ err: error, status: result.status, channel: input.channel }, 'answer pipeline failed');

    const at = this.now().toISOString();
    remember(session, ctx, result, at);
    const latencyMs = performance.now() - started;
    // Storing is best effort after the answer exists: a full disk must not swallow the reply.
    try {
      await this.deps.sessions.save(session);
      await this.deps.qaLog.record({
        id: randomUUID(),
        at,
        channel: input.channel,
        userKey: input.userKey ?? hashUser(key),
        sessionId: session.id,
        question: ctx.text,
        answer: result.text,
        status: result.status,
        procedureIds: result.citations.map((c) => c.id),
        aspect: ctx.aspect,
        composer: ctx.composerId,
        latencyMs,
      });
    } catch (err) {
      this.deps.log.error({ err, channel: input.channel }, 'could not store the turn');
    }
    return { ...result, sessionId: session.id, aspect: ctx.aspect, language: ctx.language, latencyMs };
  }
}

/** Updates what the conversation is about after a turn. */
function remember(session: Session, ctx: AnswerContext, result: AnswerResult, at: string): void {
  const userTurn: Turn = { role: 'user', text: ctx.text, at };
  // The session keeps what the conversation needs (what was asked, about which procedure); the
  // full answer is in the Q&A log, so the session row, rewritten every turn, stays small.
  const botTurn: Turn = {
    role: 'assistant',
    text: result.text.length > SESSION_ANSWER_CHARS ? `${result.text.slice(0, SESSION_ANSWER_CHARS)}…` : result.text,
    at,
    status: result.status,
    procedureIds: result.citations.map((c) => c.id),
    aspect: ctx.aspect,
  };
  session.turns.push(userTurn, botTurn);
  if (session.turns.length > MAX_TURNS) session.turns.splice(0, session.turns.length - MAX_TURNS);
  if (result.status === 'answered' || result.status === 'answered_fallback') {
    session.currentProcedureId = result.citations[0]?.id ?? session.currentProcedureId;
    session.currentAspect = ctx.aspect;
    session.pendingOptions = null;
  } else if (result.status === 'clarification') {
    session.pendingOptions = result.options ?? null;
  }
  if (result.handoff) session.mode = 'handoff_pending';
  session.updatedAt = at;
}

/** sha256(channel:userId), truncated: distinct users can be counted, not identified. */
export function hashUser(key: SessionKey): string {
  return createHash('sha256').update(`${key.channel}:${key.userId}`).digest('hex').slice(0, 24);
}
