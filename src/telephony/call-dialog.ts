import { createHash, randomUUID } from 'node:crypto';
import { cannedReply } from '../domain/canned-replies.js';
import { statusFamily } from '../domain/answer.js';
import { detectSmalltalk } from '../conversation/smalltalk.js';
import { redactPersonalData } from '../guardrails/personal-data.js';
import type { OfficeHours } from '../handoff/flows/office-hours.js';
import { findPhoneNumber } from '../handoff/flows/phone-number.js';
import { readYesNo, saysWrong, words } from '../handoff/flows/read-choice.js';
import type { TicketStore } from '../handoff/ticket-store.js';
import type { AnswerService, ChatTurnOutput } from '../pipeline/answer-service.js';
import type { QaLogStore } from '../qa-log/qa-log-store.js';
import { speakable } from '../text/speakable.js';
import { initialCallState, type CallRecord, type CallState, type CallStore } from './call-store.js';
import { MENU_KEYS, VOICE_PROMPTS as P } from './voice-prompts.js';
import type { CallEnd, CallerInput, CallStart, ListenSpec, TransferOutcome, TransferReason, VoiceAction, VoiceDialog, VoiceTurn } from './voice-turn.js';

export interface CallDialogDeps {
  answers: Pick<AnswerService, 'handle'>;
  calls: CallStore;
  tickets: Pick<TicketStore, 'create'>;
  qaLog: Pick<QaLogStore, 'recordRating'>;
  hours: OfficeHours;
  /** Speech hints (the lexicon's procedure words), read per call so a knowledge reload applies. */
  hints: () => readonly string[];
  /** Below this recognition confidence the caller is asked to confirm what was heard. */
  lowConfidence: number;
  /** Ask for a 1–5 rating before saying goodbye after an answered call. */
  satisfaction: boolean;
  /** False when the Media Streams mode has no speech recogniser (VOICE_STT=none): keys only. */
  mediaHearsSpeech?: boolean;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  now?: () => Date;
  /** Turns text into what a TTS voice reads correctly (default `speakable`). */
  speak?: (text: string) => string;
}

/** Seconds to wait for a question, a typed number, a spoken message. */
const ASK_TIMEOUT_S = 6;
const NUMBER_TIMEOUT_S = 15;
const MESSAGE_TIMEOUT_S = 10;
/** Turns in a row the bot could not help with before the caller goes to a person. */
const MAX_FAILURES = 2;
/** How much of a doubtful transcript is read back in "Anh chị hỏi về … phải không?". */
const CONFIRM_WORDS = 12;
/** Twilio's `From` for a withheld number, and anything that is not a phone number. */
const DIALABLE = /^\+?\d{9,15}$/;

/** What the next key or utterance in the `ask` phase means, after the pipeline's last turn. */
type Expect = 'menu' | 'options' | 'status_digits';

/** Internal: the reply being built for one input. */
interface Reply {
  says: string[];
  end: { kind: 'listen'; listen: ListenSpec } | { kind: 'transfer'; reason: TransferReason } | { kind: 'hangup' };
}

/**
 * The callbot's conversation, shared by the three call modes: greeting and key menu (1
 * procedures, 2 application status, 0 operator, * repeat), questions through the answer pipeline
 * in its `voice` style, confirmation of doubtful transcripts, re-prompts on silence, transfer to an
 * operator (on request, after repeated failure, for a status lookup it cannot finish, for a
 * complaint) or — outside office hours or when no operator answers — a call-back or a message
 * left as a console ticket, and a keypad rating at the end. State lives in the call store, so any
 * worker can take a call's next webhook; everything said goes through `speakable`.
 */
export class CallDialog implements VoiceDialog {
  private readonly now: () => Date;
  private readonly speak: (text: string) => string;

  constructor(private readonly deps: CallDialogDeps) {
    this.now = deps.now ?? (() => new Date());
    this.speak = deps.speak ?? speakable;
  }

  async start(call: CallStart): Promise<VoiceTurn> {
    const callerNumber = DIALABLE.test(call.from) ? call.from : null;
    const record = await this.deps.calls.begin({
      callSid: call.callSid,
      // A withheld number is one caller per call: counted, never merged with others.
      userKey: hashCaller(callerNumber ?? `call:${call.callSid}`),
      mode: call.mode,
      state: initialCallState(callerNumber),
    });
    if (!record.state) return this.render(record, null, { says: [P.goodbye], end: { kind: 'hangup' } });
    // A retried /incoming (or a reconnecting stream) greets again from the stored state.
    const state = record.state;
    const keysOnly = call.mode === 'media' && this.deps.mediaHearsSpeech === false;
    return this.finish(record, state, { says: [keysOnly ? P.keysOnly : P.greeting], end: { kind: 'listen', listen: this.askListen() } });
  }

  async input(callSid: string, input: CallerInput): Promise<VoiceTurn> {
    const record = await this.deps.calls.get(callSid);
    if (!record?.state) return this.render(record ?? null, null, { says: [P.goodbye], end: { kind: 'hangup' } });
    const state = record.state;
    try {
      const reply = await this.step(record, state, input);
      return await this.finish(record, state, reply);
    } catch (err) {
      this.deps.log.error({ err, callSid }, 'voice turn failed');
      return this.finish(record, state, await this.toPerson(record, state, 'repeated_failure', [P.systemError]));
    }
  }

  async interrupted(_callSid: string, _heard: string | null): Promise<void> {
    // Nothing to undo: the caller's next utterance is the next input. The transcript of what was
    // heard before the cut stays with the socket's log, not with the call record.
  }

  async afterStream(callSid: string): Promise<VoiceTurn> {
    const record = await this.deps.calls.get(callSid);
    if (!record?.state) return this.render(record ?? null, null, { says: [], end: { kind: 'hangup' } });
    const state = record.state;
    const after = state.after;
    state.after = null;
    // What the stream already said is not said again: only the transfer or the hang-up is left.
    if (after?.kind === 'transfer') return this.finish(record, state, { says: [], end: { kind: 'transfer', reason: after.reason } });
    if (after?.kind === 'hangup') return this.finish(record, state, { says: [], end: { kind: 'hangup' } });
    // The stream dropped (speech provider down, socket lost): the call goes on in turn mode.
    state.phase = 'ask';
    return this.finish(record, state, { says: [P.streamDropped, P.anythingElse], end: { kind: 'listen', listen: this.askListen() } });
  }

  async transferEnded(callSid: string, outcome: TransferOutcome): Promise<VoiceTurn> {
    const record = await this.deps.calls.get(callSid);
    if (!record?.state) return this.render(record ?? null, null, { says: [], end: { kind: 'hangup' } });
    const state = record.state;
    await this.deps.calls.update(callSid, { queuedAt: null });
    if (outcome === 'answered') return this.finish(record, state, this.closing(state, P.afterTransferGoodbye));
    // Nobody took the call: it is the bot's again, and the caller may leave a way to reach them.
    await this.deps.calls.update(callSid, { outcome: null });
    record.outcome = null;
    if (outcome === 'left_queue') return this.finish(record, state, this.callbackStart(state, []));
    state.phase = 'offer';
    return this.finish(record, state, { says: [P.operatorsBusy], end: { kind: 'listen', listen: keyListen() } });
  }

  async summary(callSid: string): Promise<string | null> {
    const record = await this.deps.calls.get(callSid);
    return record?.state ? summaryOf(record.state, record.transferReason, this.speak) : null;
  }

  async queuedSummary(): Promise<string | null> {
    const record = await this.deps.calls.oldestQueued();
    return record?.state ? summaryOf(record.state, record.transferReason, this.speak) : null;
  }

  async ended(callSid: string, end: CallEnd): Promise<void> {
    await this.deps.calls.end(callSid, { endedAt: this.now().toISOString(), durationS: end.durationS, status: end.status });
  }

  // ── One input ──────────────────────────────────────────────────────────────────────────────

  private async step(record: CallRecord, state: CallState, input: CallerInput): Promise<Reply> {
    if (input.kind === 'silence') return this.silence(state);
    state.silences = 0;
    const digits = input.kind === 'digits' ? input.digits.replace(/#+$/, '') : null;
    const text = input.kind === 'speech' ? input.text.trim() : null;
    if (digits === MENU_KEYS.repeat && state.phase !== 'callback_number') return this.repeat(state);

    switch (state.phase) {
      case 'confirm':
        return this.confirmStep(record, state, digits, text);
      case 'offer':
        return this.offerStep(record, state, digits, text);
      case 'callback_confirm':
        return this.callbackConfirmStep(record, state, digits, text);
      case 'callback_number':
        return this.callbackNumberStep(state, digits, text);
      case 'message':
        return this.messageStep(record, state, text);
      case 'rating':
        return this.ratingStep(record, state, digits);
      default:
        state.phase = 'ask';
        return this.askStep(record, state, digits, text, input.kind === 'speech' ? input.confidence : undefined);
    }
  }

  private async askStep(record: CallRecord, state: CallState, digits: string | null, text: string | null, confidence: number | undefined): Promise<Reply> {
    const expect = expectOf(state);
    if (digits !== null) {
      if (digits === MENU_KEYS.operator) return this.toPerson(record, state, 'caller_request');
      // A typed receipt code or the phone's last digits, and a chosen option, are the pipeline's.
      if (expect === 'status_digits' && digits.length > 0) return this.ask(record, state, digits);
      if (expect === 'options' && /^[1-9]$/.test(digits)) return this.ask(record, state, digits);
      if (digits === MENU_KEYS.status) return this.ask(record, state, P.statusIntent);
      if (digits === MENU_KEYS.procedures) return { says: [P.askProcedure], end: { kind: 'listen', listen: this.askListen() } };
      return { says: [P.unknownKey], end: { kind: 'listen', listen: this.askListen() } };
    }
    if (!text) return this.silence(state);
    const smalltalk = detectSmalltalk(text);
    if (smalltalk === 'goodbye' || (smalltalk === 'thanks' && state.answered > 0)) return this.closing(state, P.goodbye);
    if (confidence !== undefined && confidence > 0 && confidence < this.deps.lowConfidence) {
      state.phase = 'confirm';
      state.pendingQuestion = text;
      const heard = text.split(/\s+/).slice(0, CONFIRM_WORDS).join(' ').replace(/[?.!,;:]+$/, '');
      return { says: [P.confirm(heard)], end: { kind: 'listen', listen: keyListen(this.deps.hints()) } };
    }
    return this.ask(record, state, text);
  }

  private async confirmStep(record: CallRecord, state: CallState, digits: string | null, text: string | null): Promise<Reply> {
    const answer = digits === '1' ? 'yes' : digits === '2' ? 'no' : text ? readYesNo(text) : null;
    const question = state.pendingQuestion;
    state.pendingQuestion = null;
    state.phase = 'ask';
    if (answer === 'yes' && question) return this.ask(record, state, question);
    if (digits === MENU_KEYS.operator) return this.toPerson(record, state, 'caller_request');
    if (answer === 'no' || saysWrong(text ?? '')) {
      state.failures += 1;
      if (state.failures >= MAX_FAILURES) return this.toPerson(record, state, 'repeated_failure');
      return { says: [P.sayAgain], end: { kind: 'listen', listen: this.askListen() } };
    }
    // Neither yes nor no: the caller simply said the question again.
    if (text) return this.ask(record, state, text);
    return { says: [P.sayAgain], end: { kind: 'listen', listen: this.askListen() } };
  }

  private async offerStep(record: CallRecord, state: CallState, digits: string | null, text: string | null): Promise<Reply> {
    const choice = digits ?? offerChoiceOf(text ?? '');
    if (choice === '1') return this.callbackStart(state, []);
    if (choice === '2') {
      state.phase = 'message';
      return { says: [P.messageAsk], end: { kind: 'listen', listen: { digits: 'one', hints: [], timeoutS: MESSAGE_TIMEOUT_S } } };
    }
    if (choice === '3') {
      state.phase = 'ask';
      state.failures = 0;
      return { says: [P.backToBot], end: { kind: 'listen', listen: this.askListen() } };
    }
    if (choice === MENU_KEYS.operator && this.deps.hours.isOpen(this.now())) return this.toPerson(record, state, 'caller_request');
    return { says: [P.offerAgain], end: { kind: 'listen', listen: keyListen() } };
  }

  private callbackStart(state: CallState, says: string[]): Reply {
    if (state.callerNumber) {
      state.phase = 'callback_confirm';
      // Officers call back national numbers; the caller also knows their number that way.
      state.callbackNumber = nationalNumber(state.callerNumber);
      return { says: [...says, P.callbackReadBack(state.callbackNumber)], end: { kind: 'listen', listen: keyListen() } };
    }
    state.phase = 'callback_number';
    return { says: [...says, P.callbackAskNumber], end: { kind: 'listen', listen: numberListen() } };
  }

  private async callbackConfirmStep(record: CallRecord, state: CallState, digits: string | null, text: string | null): Promise<Reply> {
    const answer = digits === '1' ? 'yes' : digits === '2' ? 'no' : text ? (saysWrong(text) ? 'no' : readYesNo(text)) : null;
    if (answer === 'yes' && state.callbackNumber) {
      const ticket = await this.deps.tickets.create({
        kind: 'callback',
        channel: 'voice',
        userId: record.userKey,
        sessionId: state.sessionId ?? record.callSid,
        text: summaryOf(state, record.transferReason, (s) => s),
        phone: state.callbackNumber,
        consentAt: this.now().toISOString(),
        procedureIds: state.lastTopic?.procedureId ? [state.lastTopic.procedureId] : [],
      });
      this.deps.log.warn({ callSid: record.callSid, ticket: ticket.id }, 'call-back requested by phone');
      // The ticket holds the number now; the call's state (the read-back included) lets it go.
      state.callbackNumber = null;
      state.callerNumber = null;
      state.lastSaid = '';
      await this.deps.calls.update(record.callSid, { outcome: 'callback' });
      return { says: [P.callbackTaken(this.nextOpening())], end: { kind: 'hangup' } };
    }
    if (answer === 'no') {
      state.callbackNumber = null;
      state.phase = 'callback_number';
      return { says: [P.callbackAskNumber], end: { kind: 'listen', listen: numberListen() } };
    }
    return { says: [P.callbackReadBack(state.callbackNumber ?? '')], end: { kind: 'listen', listen: keyListen() } };
  }

  private callbackNumberStep(state: CallState, digits: string | null, text: string | null): Reply {
    const number = findPhoneNumber(digits ?? text ?? '');
    if (!number) {
      state.failures += 1;
      if (state.failures > MAX_FAILURES) {
        state.failures = 0;
        state.phase = 'offer';
        return { says: [P.callbackDeclined, P.offerAgain], end: { kind: 'listen', listen: keyListen() } };
      }
      return { says: [P.callbackBadNumber], end: { kind: 'listen', listen: numberListen() } };
    }
    state.failures = 0;
    state.phase = 'callback_confirm';
    state.callbackNumber = number;
    return { says: [P.callbackReadBack(number)], end: { kind: 'listen', listen: keyListen() } };
  }

  private async messageStep(record: CallRecord, state: CallState, text: string | null): Promise<Reply> {
    if (!text) return { says: [P.messageAsk], end: { kind: 'listen', listen: { digits: 'one', hints: [], timeoutS: MESSAGE_TIMEOUT_S } } };
    await this.deps.tickets.create({
      kind: 'message',
      channel: 'voice',
      userId: record.userKey,
      sessionId: state.sessionId ?? record.callSid,
      text: redactPersonalData(text).text,
      phone: null,
      consentAt: null,
      procedureIds: state.lastTopic?.procedureId ? [state.lastTopic.procedureId] : [],
    });
    await this.deps.calls.update(record.callSid, { outcome: 'message' });
    return { says: [P.messageTaken(this.nextOpening())], end: { kind: 'hangup' } };
  }

  private async ratingStep(record: CallRecord, state: CallState, digits: string | null): Promise<Reply> {
    const score = digits && /^[1-5]$/.test(digits) ? Number(digits) : null;
    if (score === null) return { says: [P.goodbye], end: { kind: 'hangup' } };
    await this.deps.qaLog.recordRating?.({
      id: randomUUID(),
      at: this.now().toISOString(),
      channel: 'voice',
      userKey: record.userKey,
      sessionId: state.sessionId ?? record.callSid,
      useful: null,
      score,
    });
    await this.deps.calls.update(record.callSid, { rating: score });
    return { says: [P.ratingThanks], end: { kind: 'hangup' } };
  }

  private silence(state: CallState): Reply {
    if (state.phase === 'rating') return { says: [P.goodbye], end: { kind: 'hangup' } };
    if (state.phase === 'message') {
      state.phase = 'offer';
      return { says: [P.messageEmpty, P.offerAgain], end: { kind: 'listen', listen: keyListen() } };
    }
    state.silences += 1;
    if (state.silences > 2) return { says: [P.silenceGoodbye], end: { kind: 'hangup' } };
    // In a menu or a read-back, the question itself is the best re-prompt.
    if (state.phase !== 'ask' && state.lastListen) return { says: [state.lastSaid], end: { kind: 'listen', listen: state.lastListen } };
    return { says: [state.silences === 1 ? P.silence1 : P.silence2], end: { kind: 'listen', listen: this.askListen() } };
  }

  private repeat(state: CallState): Reply {
    if (!state.lastSaid || !state.lastListen) return { says: [P.nothingToRepeat], end: { kind: 'listen', listen: this.askListen() } };
    return { says: [state.lastSaid], end: { kind: 'listen', listen: state.lastListen } };
  }

  /** A question (or a typed code, or a chosen option) through the answer pipeline. */
  private async ask(record: CallRecord, state: CallState, text: string): Promise<Reply> {
    const turn = await this.deps.answers.handle({ channel: 'voice', userId: record.callSid, userKey: record.userKey, message: text, style: 'voice' });
    state.sessionId = turn.sessionId;
    record.turns += 1;
    await this.deps.calls.update(record.callSid, { turns: record.turns });
    state.expect = expectAfter(turn);

    if (turn.handoff) {
      const complaint = turn.text.includes(cannedReply('complaint_handoff', 'vi')) || turn.text.includes(cannedReply('complaint_handoff', 'en'));
      return this.toPerson(record, state, complaint ? 'complaint' : 'caller_request');
    }
    if (turn.status === 'status_lookup_failed') return this.toPerson(record, state, 'status_unfinished');
    const family = statusFamily(turn.status);
    if (family === 'unanswerable' || family === 'error') {
      state.failures += 1;
      if (state.failures >= MAX_FAILURES) return this.toPerson(record, state, 'repeated_failure');
      return { says: [turn.text], end: { kind: 'listen', listen: this.askListen() } };
    }
    state.failures = 0;
    if (turn.status === 'answered' || turn.status === 'answered_fallback' || turn.status === 'status_lookup_answered') {
      state.answered += 1;
      const cited = turn.citations[0];
      if (cited) state.lastTopic = { procedureId: cited.id, procedureName: cited.name, aspect: turn.aspect };
      return { says: [turn.text, P.anythingElse], end: { kind: 'listen', listen: this.askListen() } };
    }
    const listen = state.expect === 'status_digits' ? numberListen() : this.askListen();
    return { says: [turn.text], end: { kind: 'listen', listen } };
  }

  /** To an operator in office hours; otherwise a call-back, a message, or back to the bot. */
  private async toPerson(record: CallRecord, state: CallState, reason: TransferReason, before: string[] = []): Promise<Reply> {
    state.pendingQuestion = null;
    state.expect = 'menu';
    if (!this.deps.hours.isOpen(this.now())) {
      state.phase = 'offer';
      return { says: [...before.filter((s) => !mentionsHotline(s)), P.outOfHours(this.deps.hours.describe())], end: { kind: 'listen', listen: keyListen() } };
    }
    state.phase = 'transferred';
    record.transferReason = reason;
    await this.deps.calls.update(record.callSid, { outcome: 'transferred', transferReason: reason, queuedAt: this.now().toISOString() });
    const prompt = reason === 'repeated_failure' ? P.transferAfterFailures : reason === 'status_unfinished' ? P.transferStatus : reason === 'complaint' ? P.transferComplaint : P.transferring;
    return { says: [...before.filter((s) => !mentionsHotline(s)), prompt], end: { kind: 'transfer', reason } };
  }

  /** The caller is done: the rating when something was answered and it is enabled, else goodbye. */
  private closing(state: CallState, goodbye: string): Reply {
    if (this.deps.satisfaction && state.answered > 0 && state.phase !== 'rating') {
      state.phase = 'rating';
      return { says: [P.ratingAsk], end: { kind: 'listen', listen: keyListen() } };
    }
    return { says: [goodbye], end: { kind: 'hangup' } };
  }

  private askListen(): ListenSpec {
    return { digits: 'one', hints: this.deps.hints(), timeoutS: ASK_TIMEOUT_S };
  }

  private nextOpening(): string {
    const now = this.now();
    const next = this.deps.hours.nextOpening(now);
    return next ? this.deps.hours.describeMoment(next, now) : 'giờ làm việc tới';
  }

  // ── Output ─────────────────────────────────────────────────────────────────────────────────

  /** Remembers what was said (for `*` and re-prompts) and what streaming modes do after, saves, renders. */
  private async finish(record: CallRecord, state: CallState, reply: Reply): Promise<VoiceTurn> {
    const said = reply.says.filter((s) => s.trim().length > 0);
    if (reply.end.kind === 'listen') {
      if (said.length > 0) state.lastSaid = said.join(' ');
      state.lastListen = reply.end.listen;
      state.after = null;
    } else if (reply.end.kind === 'transfer') {
      state.after = { kind: 'transfer', reason: reply.end.reason, summary: summaryOf(state, reply.end.reason, this.speak) };
    } else {
      state.after = { kind: 'hangup' };
    }
    await this.deps.calls.update(record.callSid, { state });
    return this.render(record, state, reply);
  }

  private render(record: CallRecord | null, state: CallState | null, reply: Reply): VoiceTurn {
    const actions: VoiceAction[] = reply.says.filter((s) => s.trim().length > 0).map((text) => ({ kind: 'say', text: this.speak(text) }));
    if (reply.end.kind === 'listen') actions.push({ kind: 'listen', listen: reply.end.listen });
    else if (reply.end.kind === 'transfer') {
      const summary = state ? summaryOf(state, record?.transferReason ?? reply.end.reason, this.speak) : '';
      actions.push({ kind: 'transfer', reason: reply.end.reason, summary });
    } else actions.push({ kind: 'hangup' });
    return { actions };
  }
}

function keyListen(hints: readonly string[] = []): ListenSpec {
  return { digits: 'one', hints, timeoutS: ASK_TIMEOUT_S };
}

function numberListen(): ListenSpec {
  return { digits: 'many', hints: [], timeoutS: NUMBER_TIMEOUT_S };
}

function expectOf(state: CallState): Expect {
  return state.expect ?? 'menu';
}

function expectAfter(turn: ChatTurnOutput): Expect {
  if (turn.status === 'clarification' && turn.options?.length) return 'options';
  if (turn.status === 'status_lookup_verify') return 'status_digits';
  return 'menu';
}

/** "gọi lại" → 1, "để lại lời nhắn" → 2, "tiếp tục", "hỏi tiếp" → 3: the offer answered in words. */
function offerChoiceOf(text: string): string | null {
  const w = words(text).join(' ');
  if (/\bgoi lai\b/.test(w)) return '1';
  if (/\b(loi nhan|nhan lai|de lai)\b/.test(w)) return '2';
  if (/\b(tiep tuc|hoi tiep|tro ly)\b/.test(w)) return '3';
  if (/\b(mot)\b/.test(w)) return '1';
  if (/\b(hai)\b/.test(w)) return '2';
  if (/\b(ba)\b/.test(w)) return '3';
  return null;
}

/** A hotline caller is on the hotline: "gọi tổng đài 19001009" is no advice to them. */
function mentionsHotline(text: string): boolean {
  return text.includes('19001009');
}

/** +84912345678 → 0912345678, the way a caller knows their own number. */
function nationalNumber(number: string): string {
  const digits = number.replace(/^\+/, '');
  return digits.startsWith('84') && digits.length >= 11 ? `0${digits.slice(2)}` : digits;
}

const REASON_WORDS: Record<TransferReason, string> = {
  caller_request: 'theo yêu cầu của người gọi',
  repeated_failure: 'vì trợ lý chưa trả lời được',
  status_unfinished: 'để tra cứu tình trạng hồ sơ',
  complaint: 'để tiếp nhận phản ánh, kiến nghị',
};

const ASPECT_WORDS: Record<string, string> = {
  fee: 'lệ phí',
  time: 'thời hạn giải quyết',
  documents: 'hồ sơ cần nộp',
  where: 'nơi nộp',
  online: 'nộp trực tuyến',
  conditions: 'điều kiện',
  steps: 'trình tự thực hiện',
  result: 'kết quả',
  legal_basis: 'căn cứ pháp lý',
};

/** One sentence for the operator: why the call came, and what it was about. */
function summaryOf(state: CallState, reason: TransferReason | null, speak: (text: string) => string): string {
  const why = reason ? `Cuộc gọi chuyển ${REASON_WORDS[reason]}` : 'Người gọi để lại yêu cầu';
  const topic = state.lastTopic
    ? `; câu hỏi gần nhất về thủ tục ${state.lastTopic.procedureName}${state.lastTopic.aspect && ASPECT_WORDS[state.lastTopic.aspect] ? `, phần ${ASPECT_WORDS[state.lastTopic.aspect]}` : ''}`
    : state.answered === 0
      ? '; người gọi chưa hỏi thủ tục nào'
      : '';
  return speak(`${why}${topic}.`);
}

/** sha256 of the caller's number, truncated like the Q&A log's user keys: counted, not identified. */
export function hashCaller(number: string): string {
  return createHash('sha256').update(`voice:${number}`).digest('hex').slice(0, 24);
}
