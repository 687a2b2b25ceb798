import { randomUUID } from 'node:crypto';
import type { AnswerResult, Language } from '../domain/answer.js';
import { statusFamily } from '../domain/answer.js';
import { cannedReply } from '../domain/canned-replies.js';
import type { Session, SessionStore } from '../domain/conversation.js';
import { redactPersonalData } from '../guardrails/personal-data.js';
import type { HandoffQueue, HandoffReason } from '../handoff/handoff-queue.js';
import type { AnswerService, ChatTurnOutput } from '../pipeline/answer-service.js';
import { hashUser } from '../pipeline/answer-service.js';
import type { QaLogStore } from '../qa-log/qa-log-store.js';
import type { ChannelSenders, OutboundMessage } from './channel-sender.js';
import type { InboundMessage } from './inbound-message.js';

/** Remembers message ids already handled, so a platform's retry is not answered twice. */
export interface MessageDedupe {
  /** True the first time `key` is seen (within the store's memory); false for a repeat. */
  firstSeen(key: string): Promise<boolean>;
}

/** Per-user limit: returns 0 when the message may go on, else the seconds to wait. */
export interface UserLimiter {
  take(key: string): number;
}

/**
 * A conversation flow that may take a message before the answer pipeline (leaving a message
 * outside office hours, a call-back request with consent, taking down a complaint…). Returns the
 * replies when it took the message, or null to let it go on.
 */
export interface InboundFlow {
  readonly name: string;
  run(msg: InboundMessage, session: Session, tools: InboundFlowTools): Promise<OutboundMessage[] | null>;
}

export interface InboundFlowTools {
  /** Queues the conversation for an officer and returns the replies that say so. */
  handoff(reason: HandoffReason): Promise<OutboundMessage[]>;
  sessions: SessionStore;
  now(): Date;
}

/**
 * What happens when the conversation should go to a person: `enqueue` it (the default), or
 * something else (e.g. outside office hours: offer to leave a message or a call-back), returned
 * as the replies to send instead.
 */
export interface HandoffPolicy {
  decide(msg: InboundMessage, reason: HandoffReason, session: Session): Promise<'enqueue' | OutboundMessage[]>;
}

export type InboundOutcome =
  /** Already handled (a platform retry). */
  | 'duplicate'
  /** Older than the replay window. */
  | 'stale'
  /** Over the per-user limit. */
  | 'limited'
  /** A human holds (or will hold) the conversation: the message went to the officer. */
  | 'forwarded'
  /** A flow (out-of-hours message, call-back, complaint intake) took it. */
  | 'flow'
  /** A rating was recorded. */
  | 'rated'
  /** The answer pipeline answered (possibly handing off). */
  | 'answered';

export interface InboundResult {
  outcome: InboundOutcome;
  /** What was (or, with `deliver: false`, is to be) sent to the citizen, in order. */
  replies: OutboundMessage[];
  /** The pipeline's turn, when it ran. */
  turn?: ChatTurnOutput;
  /** The assistant's session id (web and mini-app clients keep it). */
  sessionId?: string;
  /** Set when this message put the conversation in the officers' queue. */
  handoff?: { conversationId: string; position: number | null; reason: HandoffReason };
}

export interface InboundHandlerDeps {
  answers: AnswerService;
  sessions: SessionStore;
  handoff: HandoffQueue;
  senders: ChannelSenders;
  dedupe: MessageDedupe;
  limiter: UserLimiter;
  qaLog?: QaLogStore;
  flows?: readonly InboundFlow[];
  handoffPolicy?: HandoffPolicy;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  now?: () => Date;
  /** Messages older than this are dropped as replays (default 5 minutes). */
  maxAgeMs?: number;
}

/** Channels whose client holds the session id itself (the HTTP reply carries the answer). */
const SESSION_CHANNELS = new Set(['web', 'mini_app']);
const DEFAULT_MAX_AGE_MS = 5 * 60_000;

export const HANDOFF_PAYLOAD = 'HANDOFF';
const RATE_PAYLOAD = /^RATE:([1-5])$/;
const USEFUL_PAYLOAD = /^RATE_USEFUL:(yes|no)$/;

/**
 * One citizen message from any channel, end to end: dedupe → per-user limit → session → if a
 * person holds the conversation, to them → flows → answer pipeline → hand off when needed →
 * send. Channels parse and verify; this holds the policy they share.
 */
export class InboundHandler {
  private readonly now: () => Date;
  private readonly inFlight = new Set<string>();

  constructor(private readonly deps: InboundHandlerDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async handle(msg: InboundMessage, options: { deliver?: boolean; signal?: AbortSignal } = {}): Promise<InboundResult> {
    const deliver = options.deliver ?? true;
    if (!(await this.deps.dedupe.firstSeen(`${msg.channel}:${msg.messageId}`))) return { outcome: 'duplicate', replies: [] };
    const maxAge = this.deps.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    if (msg.sentAt && this.now().getTime() - Date.parse(msg.sentAt) > maxAge) return { outcome: 'stale', replies: [] };

    const userKey = `${msg.channel}:${msg.userId}`;
    // One message in flight per citizen, and a rate per minute: a burst must not queue up answers.
    const wait = this.inFlight.has(userKey) ? 1 : this.deps.limiter.take(userKey);
    if (wait > 0) return this.finish(msg, deliver, { outcome: 'limited', replies: [bot(cannedReply('rate_limited'))] });
    this.inFlight.add(userKey);
    try {
      return await this.route(msg, deliver, options.signal);
    } finally {
      this.inFlight.delete(userKey);
    }
  }

  private async route(msg: InboundMessage, deliver: boolean, signal?: AbortSignal): Promise<InboundResult> {
    const key = { channel: msg.channel, userId: msg.userId };
    const session = await this.deps.sessions.load(key);
    const sessionId = SESSION_CHANNELS.has(msg.channel) ? msg.userId : session.id;

    // A person holds, or is about to hold, the conversation: the message is theirs to read.
    const open = await this.deps.handoff.findOpen(msg.channel, msg.userId);
    if (open) {
      const text = redactPersonalData(msg.text).text;
      await this.deps.handoff.appendMessage(open.id, 'citizen', text);
      const replies: OutboundMessage[] = [];
      if (open.status === 'waiting') replies.push(system(await this.waitingNotice(open.id, 'vi')));
      return this.finish(msg, deliver, { outcome: 'forwarded', replies, sessionId });
    }

    if (msg.payload) {
      const rated = await this.rating(msg, session, sessionId);
      if (rated) return this.finish(msg, deliver, { ...rated, sessionId });
    }

    const tools: InboundFlowTools = {
      handoff: async (reason) => (await this.enqueue(msg, session, sessionId, reason)).replies,
      sessions: this.deps.sessions,
      now: this.now,
    };
    for (const flow of this.deps.flows ?? []) {
      const replies = await flow.run(msg, session, tools);
      if (replies) return this.finish(msg, deliver, { outcome: 'flow', replies, sessionId });
    }

    const text = msg.payload === HANDOFF_PAYLOAD ? 'gặp cán bộ' : this.textOf(msg, session);
    const turn = await this.deps.answers.handle(
      {
        channel: msg.channel,
        message: text,
        style: msg.style ?? 'chat',
        ...(SESSION_CHANNELS.has(msg.channel) ? { sessionId: msg.userId } : { userId: msg.userId }),
      },
      signal ? { signal } : {},
    );
    const replies: OutboundMessage[] = [fromTurn(turn)];
    const result: InboundResult = { outcome: 'answered', replies, turn, sessionId: turn.sessionId };

    const reason = handoffReason(turn, await this.deps.sessions.load(key));
    if (reason) {
      const queued = await this.enqueue(msg, await this.deps.sessions.load(key), turn.sessionId, reason, turn.language);
      // Say "passed to an officer" only when it was; a policy that declined (outside office
      // hours) replaces the pipeline's handoff reply with its own offer.
      if (reason === 'unanswered_twice' && queued.handoff) replies[0] = bot(cannedReply('unanswered_twice_handoff', turn.language));
      if (turn.handoff && !queued.handoff) replies.shift();
      replies.push(...queued.replies);
      if (queued.handoff) result.handoff = queued.handoff;
    }
    return this.finish(msg, deliver, result);
  }

  /** A tapped option arrives as its id: the pipeline reads the choice by its number. */
  private textOf(msg: InboundMessage, session: Session): string {
    const options = session.pendingOptions ?? [];
    const index = msg.payload ? options.findIndex((o) => o.id === msg.payload) : -1;
    return index >= 0 ? String(index + 1) : msg.text;
  }

  private async rating(msg: InboundMessage, session: Session, sessionId: string): Promise<Omit<InboundResult, 'sessionId'> | null> {
    const score = RATE_PAYLOAD.exec(msg.payload ?? '');
    const useful = USEFUL_PAYLOAD.exec(msg.payload ?? '');
    if (!score && !useful) return null;
    await this.deps.qaLog?.recordRating?.({
      id: randomUUID(),
      at: this.now().toISOString(),
      channel: msg.channel,
      userKey: hashUser({ channel: msg.channel, userId: msg.userId }),
      sessionId,
      useful: useful ? useful[1] === 'yes' : null,
      score: score ? Number(score[1]) : null,
    });
    const negative = (useful && useful[1] === 'no') || (score && Number(score[1]) <= 2);
    // A negative rating offers a person; saying yes then hands off with reason `negative_rating`.
    if (negative) session.lastRatingNegative = true;
    await this.deps.sessions.save(session);
    return {
      outcome: 'rated',
      replies: [negative ? { ...bot(cannedReply('rating_more_help')), offerHandoff: true } : bot(cannedReply('rating_thanks'))],
    };
  }

  private async enqueue(
    msg: InboundMessage,
    session: Session,
    sessionId: string,
    reason: HandoffReason,
    language: Language = 'vi',
  ): Promise<{ replies: OutboundMessage[]; handoff?: InboundResult['handoff'] }> {
    const decision = this.deps.handoffPolicy ? await this.deps.handoffPolicy.decide(msg, reason, session) : 'enqueue';
    if (decision !== 'enqueue') return { replies: decision };
    // Most recent first, each once.
    const procedureIds = [...new Set([...session.turns].reverse().flatMap((t) => t.procedureIds ?? []))];
    if (session.lastRatingNegative) {
      session.lastRatingNegative = false;
      await this.deps.sessions.save(session);
    }
    const queued = await this.deps.handoff.enqueue({
      channel: msg.channel,
      userId: msg.userId,
      sessionId,
      reason,
      transcript: session.turns,
      procedureIds,
    });
    // The bot stops answering this citizen until an officer hands the conversation back.
    await this.deps.sessions.setMode({ channel: msg.channel, userId: msg.userId }, queued.conversation.status === 'claimed' ? 'staff' : 'handoff_pending');
    return {
      replies: [system(await this.waitingNotice(queued.conversation.id, language))],
      handoff: { conversationId: queued.conversation.id, position: queued.position, reason },
    };
  }

  private async waitingNotice(conversationId: string, language: Language): Promise<string> {
    const position = (await this.deps.handoff.position(conversationId)) ?? 1;
    const avg = await this.deps.handoff.averageWaitMs();
    const minutes = avg === null ? null : Math.max(1, Math.round((avg * position) / 60_000));
    const wait = minutes === null ? '' : language === 'en' ? `, about ${minutes} min` : `, dự kiến khoảng ${minutes} phút`;
    return cannedReply('handoff_waiting', language, { position, wait });
  }

  private async finish(msg: InboundMessage, deliver: boolean, result: InboundResult): Promise<InboundResult> {
    if (!deliver) return result;
    for (const reply of result.replies) {
      try {
        await this.deps.senders.send(msg.channel, msg.userId, reply);
      } catch (err) {
        // The outbound queue keeps permanent failures with the message; here it is only logged.
        this.deps.log.error({ err, channel: msg.channel }, 'reply could not be sent');
      }
    }
    return result;
  }
}

/**
 * Why this turn should go to a person: the pipeline said so (the citizen asked, or complained),
 * the assistant could not answer twice in a row, or the citizen rated negatively and now asks
 * for more help.
 */
function handoffReason(turn: AnswerResult, session: Session): HandoffReason | null {
  if (turn.handoff) {
    if (session.lastRatingNegative) return 'negative_rating';
    return turn.text.includes(cannedReply('complaint_handoff', 'vi')) || turn.text.includes(cannedReply('complaint_handoff', 'en')) ? 'complaint' : 'citizen_request';
  }
  if (statusFamily(turn.status) === 'unanswerable') {
    const botTurns = session.turns.filter((t) => t.role === 'assistant');
    const last2 = botTurns.slice(-2);
    if (last2.length === 2 && last2.every((t) => t.status && statusFamily(t.status) === 'unanswerable')) return 'unanswered_twice';
  }
  return null;
}

function bot(text: string): OutboundMessage {
  return { author: 'bot', text };
}
function system(text: string): OutboundMessage {
  return { author: 'system', text };
}

function fromTurn(turn: ChatTurnOutput): OutboundMessage {
  return {
    author: 'bot',
    text: turn.text,
    ...(turn.citations.length ? { citations: turn.citations } : {}),
    ...(turn.options?.length ? { options: turn.options } : {}),
    ...(statusFamily(turn.status) === 'unanswerable' ? { offerHandoff: true } : {}),
  };
}
