import type { CallEnd, CallerInput, CallStart, TransferOutcome, VoiceDialog, VoiceTurn } from '../../../../src/telephony/voice-turn.js';

/**
 * A small scripted `VoiceDialog` for the turn-mode webhook tests, the simulator test and the bench
 * (until the real `CallDialog` is wired): greeting → answers a question by echoing it → key 0
 * transfers → after the operator, asks for a 1–5 rating → thanks and hangs up. Every call is
 * recorded so tests can assert which dialog method each webhook reached, with what.
 */
export const GREETING = 'Xin chào, tôi là trợ lý hành chính công. Anh chị cần hỏi thủ tục gì? Nhấn phím không để gặp cán bộ.';
export const TRANSFER_SAY = 'Tôi chuyển anh chị tới cán bộ, anh chị vui lòng giữ máy.';
export const RATING_ASK = 'Cảm ơn anh chị đã trao đổi với cán bộ. Anh chị chấm điểm cuộc gọi từ một đến năm bằng bàn phím.';
export const GOODBYE = 'Cảm ơn anh chị đã đánh giá. Chào anh chị.';
export const CALLBACK_OFFER = 'Cán bộ sẽ gọi lại cho anh chị trong giờ làm việc. Chào anh chị.';
export const NOT_HEARD = 'Tôi chưa nghe rõ, anh chị nói lại giúp tôi.';
export const answerFor = (question: string) => `Anh chị hỏi về ${question}. Hồ sơ gồm tờ khai và giấy tờ tùy thân.`;
export const summaryFor = (question: string | null) => `Công dân hỏi về ${question ?? 'một thủ tục'}, muốn gặp cán bộ.`;

export type DialogCall =
  | { method: 'start'; call: CallStart }
  | { method: 'input'; callSid: string; input: CallerInput }
  | { method: 'interrupted'; callSid: string; heard: string | null }
  | { method: 'afterStream'; callSid: string }
  | { method: 'transferEnded'; callSid: string; outcome: TransferOutcome }
  | { method: 'summary'; callSid: string }
  | { method: 'queuedSummary' }
  | { method: 'ended'; callSid: string; end: CallEnd };

interface CallState {
  lastQuestion: string | null;
  stage: 'talking' | 'queued' | 'rating' | 'over';
}

const LISTEN_ONE = { kind: 'listen', listen: { digits: 'one', hints: ['khai sinh', 'căn cước'], timeoutS: 5 } } as const;

export class ScriptedVoiceDialog implements VoiceDialog {
  readonly calls: DialogCall[] = [];
  private readonly state = new Map<string, CallState>();
  /** Methods that throw, to exercise the webhooks' apology path. */
  failing = new Set<DialogCall['method']>();

  private check(method: DialogCall['method']) {
    if (this.failing.has(method)) throw new Error(`scripted failure in ${method}`);
  }

  private stateOf(callSid: string): CallState {
    const s = this.state.get(callSid);
    if (!s) throw new Error(`unknown call ${callSid}`);
    return s;
  }

  async start(call: CallStart): Promise<VoiceTurn> {
    this.calls.push({ method: 'start', call });
    this.check('start');
    this.state.set(call.callSid, { lastQuestion: null, stage: 'talking' });
    return { actions: [{ kind: 'say', text: GREETING }, LISTEN_ONE] };
  }

  async input(callSid: string, input: CallerInput): Promise<VoiceTurn> {
    this.calls.push({ method: 'input', callSid, input });
    this.check('input');
    const s = this.stateOf(callSid);
    if (s.stage === 'rating' && input.kind === 'digits') {
      s.stage = 'over';
      return { actions: [{ kind: 'say', text: GOODBYE }, { kind: 'hangup' }] };
    }
    if (input.kind === 'digits' && input.digits === '0') {
      s.stage = 'queued';
      return { actions: [{ kind: 'say', text: TRANSFER_SAY }, { kind: 'transfer', reason: 'caller_request', summary: summaryFor(s.lastQuestion) }] };
    }
    if (input.kind === 'speech') {
      s.lastQuestion = input.text;
      return { actions: [{ kind: 'say', text: answerFor(input.text) }, LISTEN_ONE] };
    }
    return { actions: [{ kind: 'say', text: NOT_HEARD }, LISTEN_ONE] };
  }

  async interrupted(callSid: string, heard: string | null): Promise<void> {
    this.calls.push({ method: 'interrupted', callSid, heard });
  }

  async afterStream(callSid: string): Promise<VoiceTurn> {
    this.calls.push({ method: 'afterStream', callSid });
    this.check('afterStream');
    return { actions: [{ kind: 'say', text: GOODBYE }, { kind: 'hangup' }] };
  }

  async transferEnded(callSid: string, outcome: TransferOutcome): Promise<VoiceTurn> {
    this.calls.push({ method: 'transferEnded', callSid, outcome });
    this.check('transferEnded');
    const s = this.stateOf(callSid);
    if (outcome === 'answered') {
      s.stage = 'rating';
      return { actions: [{ kind: 'say', text: RATING_ASK }, LISTEN_ONE] };
    }
    s.stage = 'over';
    return { actions: [{ kind: 'say', text: CALLBACK_OFFER }, { kind: 'hangup' }] };
  }

  async summary(callSid: string): Promise<string | null> {
    this.calls.push({ method: 'summary', callSid });
    this.check('summary');
    const s = this.state.get(callSid);
    return s ? summaryFor(s.lastQuestion) : null;
  }

  async queuedSummary(): Promise<string | null> {
    this.calls.push({ method: 'queuedSummary' });
    this.check('queuedSummary');
    for (const s of this.state.values()) if (s.stage === 'queued') return summaryFor(s.lastQuestion);
    return null;
  }

  async ended(callSid: string, end: CallEnd): Promise<void> {
    this.calls.push({ method: 'ended', callSid, end });
    this.check('ended');
    const s = this.state.get(callSid);
    if (s) s.stage = 'over';
  }
}
