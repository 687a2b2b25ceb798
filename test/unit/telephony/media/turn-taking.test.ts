import alawmulaw from 'alawmulaw';
import { describe, expect, it } from 'vitest';
import { TurnTaking, type TurnTakingDecision } from '../../../../src/telephony/media/turn-taking.js';
import { VoiceActivityDetector } from '../../../../src/telephony/media/voice-activity-detector.js';
import type { ListenSpec } from '../../../../src/telephony/voice-turn.js';

const SPEC: ListenSpec = { digits: 'one', hints: [], timeoutS: 5 };
const FRAME_SILENCE = new Uint8Array(160).fill(0xff);
// A loud vowel-like tone (about −15 dBFS) standing in for voice; the real detector classifies it.
const FRAME_VOICE = alawmulaw.mulaw.encode(Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 200 * i) / 8000))));

/** The policy driven by a real voice activity detector, 20 ms at a time. */
class Call {
  readonly vad = new VoiceActivityDetector();
  readonly decisions: Array<TurnTakingDecision & { atMs: number }> = [];
  readonly tt = new TurnTaking((d) => this.decisions.push({ ...d, atMs: this.vad.nowMs }));

  voice(ms: number): this {
    return this.feed(ms, FRAME_VOICE);
  }
  quiet(ms: number): this {
    return this.feed(ms, FRAME_SILENCE);
  }
  /** Audio until `until` returns true (or `maxMs`), returning the audio time it took. */
  quietUntil(until: () => boolean, maxMs = 20_000): number {
    const from = this.vad.nowMs;
    while (!until() && this.vad.nowMs - from < maxMs) this.quiet(20);
    return this.vad.nowMs - from;
  }
  get inputs() {
    return this.decisions.filter((d) => d.kind === 'input').map((d) => (d.kind === 'input' ? d.input : null));
  }
  get interrupts() {
    return this.decisions.filter((d) => d.kind === 'interrupt').length;
  }
  private feed(ms: number, frame: Uint8Array): this {
    for (let t = 0; t < ms; t += 20) {
      const event = this.vad.push(frame);
      this.tt.audio(this.vad.state(), event);
    }
    return this;
  }
}

function listening(spec: ListenSpec = SPEC, botSpeaking = false): Call {
  const call = new Call().quiet(200);
  if (botSpeaking) call.tt.botStarted();
  call.tt.listen(spec);
  return call;
}

describe('TurnTaking: end of the caller turn', () => {
  it('ends the turn a short gap after the last voice once the final transcript is in', () => {
    const call = listening().voice(900);
    call.tt.final('Cho tôi hỏi thủ tục khai sinh', 0.9);
    const lastVoice = call.vad.lastVoiceAtMs;
    call.quietUntil(() => call.inputs.length > 0);
    expect(call.inputs).toEqual([{ kind: 'speech', text: 'Cho tôi hỏi thủ tục khai sinh', confidence: 0.9 }]);
    const waited = call.decisions[0]!.atMs - lastVoice;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThanOrEqual(280);
    expect(call.tt.listening).toBe(false);
  });

  it('ends at once when the final comes after the gap (the provider endpointed later than us)', () => {
    const call = listening().voice(900).quiet(600);
    expect(call.inputs).toEqual([]);
    call.tt.final('làm căn cước ở đâu', null);
    expect(call.inputs).toEqual([{ kind: 'speech', text: 'làm căn cước ở đâu' }]);
  });

  it('does not cut off a question that ends in "không"', () => {
    const call = listening().voice(900);
    call.tt.final('có cần mang giấy tờ gì không', null);
    expect(call.quietUntil(() => call.inputs.length > 0)).toBeLessThan(400);
  });

  it('waits through the pauses of a number read out in groups, then gives it as one input', () => {
    const call = listening().voice(1000);
    call.tt.final('số điện thoại của tôi là không chín một hai', 0.8);
    call.quiet(900).voice(700);
    call.tt.final('ba bốn năm', 0.95);
    call.quiet(1200).voice(700);
    call.tt.final('sáu bảy tám', 0.7);
    expect(call.inputs).toEqual([]);
    const lastVoice = call.vad.lastVoiceAtMs;
    call.quietUntil(() => call.inputs.length > 0);
    expect(call.inputs).toEqual([{ kind: 'speech', text: 'số điện thoại của tôi là không chín một hai ba bốn năm sáu bảy tám', confidence: 0.7 }]);
    expect(call.decisions[0]!.atMs - lastVoice).toBeGreaterThanOrEqual(1800);
  });

  it('takes a partial that never became final, and forgets sound nobody recognised', () => {
    const call = listening().voice(600);
    call.tt.partial('thủ tục đăng ký');
    call.quietUntil(() => call.inputs.length > 0);
    expect(call.inputs).toEqual([{ kind: 'speech', text: 'thủ tục đăng ký' }]);

    const cough = listening({ ...SPEC, timeoutS: 3 }).voice(300);
    const quiet = cough.quietUntil(() => cough.inputs.length > 0);
    // Nothing recognised: the silence timeout runs again from the end of the noise.
    expect(cough.inputs).toEqual([{ kind: 'silence' }]);
    expect(quiet).toBeGreaterThanOrEqual(3000);
  });
});

describe('TurnTaking: barge-in and backchannels', () => {
  it('interrupts the bot when the caller talks over it for long enough, then hears the whole turn', () => {
    const call = listening(SPEC, true).voice(400);
    expect(call.interrupts).toBe(0);
    call.voice(120);
    expect(call.interrupts).toBe(1);
    expect(call.tt.botIsSpeaking).toBe(false);
    call.voice(600);
    call.tt.final('thôi cho tôi gặp cán bộ', null);
    call.quietUntil(() => call.inputs.length > 0);
    expect(call.inputs).toEqual([{ kind: 'speech', text: 'thôi cho tôi gặp cán bộ' }]);
    expect(call.interrupts).toBe(1);
  });

  it('interrupts on two real words of a partial, before 500 ms of voice', () => {
    const call = listening(SPEC, true).voice(300);
    call.tt.partial('dạ cho');
    expect(call.interrupts).toBe(0);
    call.tt.partial('dạ cho tôi');
    expect(call.interrupts).toBe(1);
  });

  it('lets a backchannel pass: no interrupt, no input, and the silence timeout still runs', () => {
    const call = listening({ ...SPEC, timeoutS: 2 }, true).voice(360);
    call.tt.partial('dạ');
    call.quiet(300);
    call.tt.final('dạ', 0.9);
    call.quiet(1000);
    expect(call.decisions).toEqual([]);
    call.tt.botFinished();
    call.quietUntil(() => call.inputs.length > 0);
    expect(call.interrupts).toBe(0);
    expect(call.inputs).toEqual([{ kind: 'silence' }]);
  });

  it('lets a longer "dạ vâng" pass when the partial shows it is only a backchannel', () => {
    const call = listening(SPEC, true);
    call.voice(200);
    call.tt.partial('dạ vâng');
    call.voice(500);
    expect(call.interrupts).toBe(0);
  });

  it('interrupts on a one-word final answer said over the bot', () => {
    const call = listening(SPEC, true).voice(240);
    call.tt.final('không', null);
    expect(call.interrupts).toBe(1);
    call.quietUntil(() => call.inputs.length > 0);
    expect(call.inputs).toEqual([{ kind: 'speech', text: 'không' }]);
  });

  it('takes "vâng" as an answer once the bot has finished speaking', () => {
    const call = listening().voice(360);
    call.tt.final('vâng', null);
    call.quietUntil(() => call.inputs.length > 0);
    expect(call.inputs).toEqual([{ kind: 'speech', text: 'vâng' }]);
  });

  it('ignores everything while not listening', () => {
    const call = new Call().quiet(100);
    call.tt.botStarted();
    call.voice(1000);
    call.tt.partial('cho tôi hỏi');
    call.tt.final('cho tôi hỏi', null);
    call.tt.digit('1');
    call.quiet(10_000);
    expect(call.decisions).toEqual([]);
  });
});

describe('TurnTaking: keys and silence', () => {
  it('gives each key at once in `one` mode, interrupting the bot first', () => {
    const call = listening(SPEC, true);
    call.tt.digit('0');
    expect(call.decisions.map((d) => d.kind)).toEqual(['interrupt', 'input']);
    expect(call.inputs).toEqual([{ kind: 'digits', digits: '0' }]);
  });

  it('collects `many` keys until # or 5 s after the last key', () => {
    const many: ListenSpec = { digits: 'many', hints: [], timeoutS: 5 };
    const call = listening(many);
    for (const k of ['0', '9', '1']) call.quiet(800).tt.digit(k);
    call.quiet(3000);
    expect(call.inputs).toEqual([]);
    call.tt.digit('#');
    expect(call.inputs).toEqual([{ kind: 'digits', digits: '091' }]);

    const noHash = listening(many);
    noHash.tt.digit('1');
    noHash.quiet(4000).tt.digit('2');
    const waited = noHash.quietUntil(() => noHash.inputs.length > 0);
    expect(noHash.inputs).toEqual([{ kind: 'digits', digits: '12' }]);
    expect(waited).toBeGreaterThanOrEqual(5000);
    expect(waited).toBeLessThanOrEqual(5020);
  });

  it('counts the silence timeout from the moment the bot finished, not while it speaks', () => {
    const call = listening({ ...SPEC, timeoutS: 3 }, true).quiet(8000);
    expect(call.inputs).toEqual([]);
    call.tt.botFinished();
    const waited = call.quietUntil(() => call.inputs.length > 0);
    expect(call.inputs).toEqual([{ kind: 'silence' }]);
    expect(waited).toBeGreaterThanOrEqual(3000);
    expect(waited).toBeLessThanOrEqual(3020);
  });
});
