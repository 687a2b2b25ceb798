import type { CallerInput, ListenSpec, VoiceDialog, VoiceTurn } from '../voice-turn.js';
import { parseRelayFrame, relayEnd, relayText, type RelayInbound, type RelayOutbound } from './relay-messages.js';
import { DEFAULT_SECONDS_PER_CHAR, planRelayTurn, speakingMs, type RelayTurnPlan } from './relay-turn.js';

export interface RelayLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RelayTiming {
  /** Estimated TTS speed (see `DEFAULT_SECONDS_PER_CHAR`): paces tokens, delays `end`, pads silence. */
  secondsPerChar: number;
  /** `many` keypad mode: the number counts as typed this long after the last key without `#`. */
  digitGapMs: number;
  /** Malformed frames tolerated on one socket before it is closed with 1008. */
  maxMalformed: number;
}

export const DEFAULT_RELAY_TIMING: RelayTiming = { secondsPerChar: DEFAULT_SECONDS_PER_CHAR, digitGapMs: 5_000, maxMalformed: 10 };

/** Said when the dialog itself fails, before the session ends (the `<Connect action>` takes over). */
export const RELAY_APOLOGY = 'Xin lỗi, hệ thống đang gặp sự cố nên tôi chưa trả lời được. Mời bạn gọi lại sau ít phút.';

export interface RelayCallDeps {
  dialog: VoiceDialog;
  log: RelayLog;
  send(message: RelayOutbound): void;
  close(code: number, reason: string): void;
  timing?: Partial<RelayTiming>;
}

/** The turn being spoken: timers for tokens not yet sent, and the `end` still owed. */
interface Speaking {
  timers: NodeJS.Timeout[];
  endPending: boolean;
  plan: RelayTurnPlan;
}

/**
 * One ConversationRelay session (one socket, one call). Twilio does speech recognition and TTS; this
 * turns its messages into `VoiceDialog` calls and the dialog's turns into text tokens and `end`.
 *
 * - Dialog calls run one at a time (a promise chain), so a prompt arriving while the previous answer is
 *   being computed waits for it instead of racing it.
 * - A turn's sentences go out one sentence ahead of what Twilio is estimated to be speaking, so an
 *   interrupt (barge-in) can still drop the sentences the caller never needed to hear.
 * - ConversationRelay reports no silence, so a timer does: the turn's estimated speaking time plus
 *   `listen.timeoutS`, cancelled by any prompt, key or interrupt.
 */
export class RelayCall {
  private readonly timing: RelayTiming;
  private callSid: string | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private malformed = 0;
  private speaking: Speaking | null = null;
  /** How the caller's next keys and silence are read; null while no turn waits for the caller. */
  private listen: ListenSpec | null = null;
  private digits = '';
  private digitTimer: NodeJS.Timeout | null = null;
  /** Set once a turn transferring or hanging up has been received: the session only winds down now. */
  private ending = false;
  private silenceTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: RelayCallDeps) {
    this.timing = { ...DEFAULT_RELAY_TIMING, ...deps.timing };
  }

  /** One text frame from Twilio. Never throws. */
  receive(raw: string): void {
    if (this.closed) return;
    const frame = parseRelayFrame(raw);
    if (frame.kind === 'malformed') return this.rejectFrame(frame.reason);
    if (frame.kind === 'unknown') {
      this.deps.log.info({ callSid: this.callSid, type: frame.tag }, 'ConversationRelay message type not handled; ignored');
      return;
    }
    this.handle(frame.message);
  }

  /** A binary frame: ConversationRelay only sends JSON text. */
  receiveBinary(): void {
    if (!this.closed) this.rejectFrame('binary frame');
  }

  /** The socket closed: stop every timer; dialog calls still in flight finish without sending. */
  shutdown(): void {
    this.closed = true;
    this.stopSpeaking();
    this.clearSilence();
    this.clearDigitTimer();
  }

  private rejectFrame(reason: string): void {
    this.malformed += 1;
    this.deps.log.warn({ callSid: this.callSid, reason, malformed: this.malformed }, 'Malformed ConversationRelay message ignored');
    if (this.malformed >= this.timing.maxMalformed) {
      this.deps.log.warn({ callSid: this.callSid }, 'Too many malformed ConversationRelay messages; closing the socket');
      this.shutdown();
      this.deps.close(1008, 'too many malformed messages');
    }
  }

  private handle(message: RelayInbound): void {
    if (message.type === 'setup') {
      if (this.callSid) {
        this.deps.log.warn({ callSid: this.callSid }, 'Second ConversationRelay setup ignored');
        return;
      }
      const callSid = message.callSid;
      this.callSid = callSid;
      this.deps.log.info({ callSid, sessionId: message.sessionId }, 'ConversationRelay session started');
      this.enqueue(() => this.deps.dialog.start({ callSid, from: message.from, to: message.to, mode: 'relay' }));
      return;
    }
    const callSid = this.callSid;
    if (!callSid) {
      if (message.type === 'error') this.deps.log.warn({ description: message.description }, 'ConversationRelay error before setup');
      else this.deps.log.warn({ type: message.type }, 'ConversationRelay message before setup ignored');
      return;
    }
    switch (message.type) {
      case 'prompt': {
        if (this.ending) {
          // The dialog already decided a transfer or goodbye; what the caller says now is not a new turn.
          this.deps.log.info({ callSid }, 'Prompt while the session is ending; ignored');
          return;
        }
        this.clearSilence();
        if (!message.last) {
          // The caller is mid-utterance (partial prompts on): the final prompt repeats the whole of it.
          if (this.listen) this.armSilence(this.listen.timeoutS * 1000);
          return;
        }
        const text = message.voicePrompt.trim();
        this.dispatch(callSid, text ? { kind: 'speech', text } : { kind: 'silence' });
        return;
      }
      case 'dtmf':
        this.onDigit(callSid, message.digit.toUpperCase());
        return;
      case 'interrupt': {
        this.clearSilence();
        this.stopSpeaking({ sendOwedEnd: true });
        const heard = message.utteranceUntilInterrupt.trim() || null;
        this.deps.log.info({ callSid, durationMs: message.durationUntilInterruptMs ?? null }, 'Caller interrupted the bot');
        // A noise may interrupt without a prompt following; the caller then counts as silent again.
        if (this.listen) this.armSilence(this.listen.timeoutS * 1000);
        this.chain = this.chain.then(async () => {
          try {
            await this.deps.dialog.interrupted(callSid, heard);
          } catch (err) {
            this.deps.log.error({ callSid, err }, 'VoiceDialog.interrupted failed');
          }
        });
        return;
      }
      case 'error':
        this.deps.log.warn({ callSid, description: message.description }, 'ConversationRelay reported an error');
        return;
    }
  }

  private onDigit(callSid: string, digit: string): void {
    const listen = this.listen;
    if (!listen) {
      this.deps.log.info({ callSid }, 'Key pressed while no turn waits for the caller; ignored');
      return;
    }
    this.clearSilence();
    if (listen.digits === 'one') {
      this.dispatch(callSid, { kind: 'digits', digits: digit });
      return;
    }
    if (digit === '#') {
      this.dispatch(callSid, { kind: 'digits', digits: this.digits });
      return;
    }
    this.digits += digit;
    this.clearDigitTimer();
    this.digitTimer = setTimeout(() => {
      this.digitTimer = null;
      if (!this.closed) this.dispatch(callSid, { kind: 'digits', digits: this.digits });
    }, this.timing.digitGapMs);
  }

  /** The caller's answer to the current listen: consumed here, so later keys wait for the next turn. */
  private dispatch(callSid: string, input: CallerInput): void {
    this.clearSilence();
    this.clearDigitTimer();
    this.listen = null;
    this.digits = '';
    this.enqueue(() => this.deps.dialog.input(callSid, input));
  }

  private enqueue(ask: () => Promise<VoiceTurn>): void {
    this.chain = this.chain.then(async () => {
      if (this.closed) return;
      let turn: VoiceTurn;
      try {
        turn = await ask();
      } catch (err) {
        this.deps.log.error({ callSid: this.callSid, err }, 'VoiceDialog failed; apologising and ending the session');
        if (!this.closed) this.speak({ tokens: [RELAY_APOLOGY], listen: null, ending: { reasonCode: 'end-call', reason: 'dialog-error', summary: null } });
        return;
      }
      if (!this.closed) this.speak(planRelayTurn(turn));
    });
  }

  /**
   * Sends the plan's tokens: the first two at once, then each when the one two places before it is
   * estimated to have been spoken, so Twilio always has the next sentence ready and never starves.
   */
  private speak(plan: RelayTurnPlan): void {
    // A newer turn replaces whatever is still queued of the previous one.
    this.stopSpeaking();
    this.listen = plan.listen;
    this.digits = '';
    const speaking: Speaking = { timers: [], endPending: plan.ending !== null, plan };
    this.speaking = speaking;
    const durations = plan.tokens.map((token) => speakingMs(token, this.timing.secondsPerChar));
    let startOfPrevious = 0;
    let startOfCurrent = 0;
    plan.tokens.forEach((token, i) => {
      const message = relayText(token, i === plan.tokens.length - 1);
      const sendAt = i < 2 ? 0 : startOfPrevious;
      if (sendAt === 0) this.send(message);
      else speaking.timers.push(setTimeout(() => this.send(message), sendAt));
      startOfPrevious = startOfCurrent;
      startOfCurrent += durations[i] ?? 0;
    });
    const totalMs = startOfCurrent;
    const ending = plan.ending;
    if (ending) {
      this.ending = true;
      // `end` cuts the session at once, so it waits until the goodbye or transfer notice has been spoken.
      const sendEnd = () => {
        if (this.speaking === speaking) this.speaking = null;
        speaking.endPending = false;
        this.send(relayEnd(ending));
      };
      if (totalMs === 0) sendEnd();
      else speaking.timers.push(setTimeout(sendEnd, totalMs));
    } else if (plan.listen) {
      this.armSilence(totalMs + plan.listen.timeoutS * 1000);
    }
  }

  /**
   * Drops the tokens of the current turn not yet sent. After an interrupt the `end` a turn still owes
   * goes out at once: a transfer or goodbye is a decision, not reply text the caller talked over.
   */
  private stopSpeaking(options: { sendOwedEnd?: boolean } = {}): void {
    const speaking = this.speaking;
    if (!speaking) return;
    this.speaking = null;
    for (const timer of speaking.timers) clearTimeout(timer);
    if (options.sendOwedEnd && speaking.endPending && speaking.plan.ending) {
      speaking.endPending = false;
      this.send(relayEnd(speaking.plan.ending));
    }
  }

  private armSilence(afterMs: number): void {
    this.clearSilence();
    const callSid = this.callSid;
    if (!callSid) return;
    this.silenceTimer = setTimeout(() => {
      this.silenceTimer = null;
      if (!this.closed && this.listen) this.dispatch(callSid, { kind: 'silence' });
    }, afterMs);
  }

  private clearSilence(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = null;
  }

  private clearDigitTimer(): void {
    if (this.digitTimer) clearTimeout(this.digitTimer);
    this.digitTimer = null;
  }

  private send(message: RelayOutbound): void {
    if (!this.closed) this.deps.send(message);
  }
}
