import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerStatus } from '../../../src/domain/answer.js';
import { cannedReply } from '../../../src/domain/canned-replies.js';
import { OfficeHours } from '../../../src/handoff/flows/office-hours.js';
import type { ChatTurnInput, ChatTurnOutput } from '../../../src/pipeline/answer-service.js';
import type { Rating } from '../../../src/qa-log/qa-log-store.js';
import { CallDialog, hashCaller } from '../../../src/telephony/call-dialog.js';
import { SqliteCallStore } from '../../../src/telephony/sqlite-call-store.js';
import { VOICE_PROMPTS as P } from '../../../src/telephony/voice-prompts.js';
import type { VoiceAction, VoiceTurn } from '../../../src/telephony/voice-turn.js';
import { InMemoryTicketStore } from '../../support/in-memory-ticket-store.js';

/**
 * The callbot's conversation on its own: the answer pipeline is scripted (its own tests cover
 * it), the call store is the real SQLite one in memory, and `speak` is the identity so that the
 * prompts can be compared as written (speakable has its own table of cases).
 */
const CALL = 'CA0123456789abcdef0123456789abcdef';
const FROM = '+84912345678';
const OPEN = OfficeHours.parse('Mon-Sun 00:00-24:00');
const CLOSED = OfficeHours.parse('Mon-Fri 08:00-17:00', { closedDates: [] });
/** A Sunday in Hanoi: CLOSED is closed. */
const SUNDAY = new Date('2026-11-29T03:00:00Z');

type Scripted = Partial<ChatTurnOutput> & { status: AnswerStatus; text: string };

class ScriptedAnswers {
  readonly inputs: ChatTurnInput[] = [];
  readonly script: Array<Scripted | Error> = [];
  async handle(input: ChatTurnInput): Promise<ChatTurnOutput> {
    this.inputs.push(input);
    const next = this.script.shift() ?? { status: 'answered', text: 'Một câu trả lời.' };
    if (next instanceof Error) throw next;
    return { citations: [], handoff: false, sessionId: 'sess-voice-1', aspect: null, language: 'vi', latencyMs: 1, ...next };
  }
}

const says = (turn: VoiceTurn) => turn.actions.filter((a): a is Extract<VoiceAction, { kind: 'say' }> => a.kind === 'say').map((a) => a.text);
const last = (turn: VoiceTurn) => turn.actions.at(-1)!;

describe('CallDialog', () => {
  let calls: SqliteCallStore;
  let tickets: InMemoryTicketStore;
  let answers: ScriptedAnswers;
  let ratings: Rating[];
  let errors: string[];

  function dialog(options: { hours?: OfficeHours; satisfaction?: boolean; now?: Date } = {}) {
    return new CallDialog({
      answers,
      calls,
      tickets,
      qaLog: { recordRating: async (r) => void ratings.push(r) },
      hours: options.hours ?? OPEN,
      hints: () => ['căn cước', 'khai sinh'],
      lowConfidence: 0.5,
      satisfaction: options.satisfaction ?? true,
      log: { warn: () => undefined, error: (_o, msg) => void errors.push(msg) },
      now: () => options.now ?? SUNDAY,
      speak: (t) => t,
    });
  }

  beforeEach(() => {
    calls = new SqliteCallStore(':memory:', { now: () => SUNDAY });
    tickets = new InMemoryTicketStore();
    answers = new ScriptedAnswers();
    ratings = [];
    errors = [];
  });
  afterEach(async () => calls.close());

  const start = (d: CallDialog, from = FROM) => d.start({ callSid: CALL, from, to: '+841900', mode: 'turn' });

  it('greets, lists the keys and listens for speech or one key, with the lexicon hints', async () => {
    const turn = await start(dialog());
    expect(says(turn)).toEqual([P.greeting]);
    expect(last(turn)).toEqual({ kind: 'listen', listen: { digits: 'one', hints: ['căn cước', 'khai sinh'], timeoutS: 6 } });
    const record = await calls.get(CALL);
    // The caller is counted by a hash; the number itself is not a column.
    expect(record?.userKey).toBe(hashCaller(FROM));
    expect(JSON.stringify(record)).not.toContain('hashCaller');
  });

  it('in Media Streams mode without a recogniser, greets with the keys only', async () => {
    const d = new CallDialog({
      answers,
      calls,
      tickets,
      qaLog: {},
      hours: OPEN,
      hints: () => [],
      lowConfidence: 0.5,
      satisfaction: true,
      mediaHearsSpeech: false,
      log: { warn: () => undefined, error: () => undefined },
      speak: (t) => t,
    });
    expect(says(await d.start({ callSid: CALL, from: FROM, to: '+841900', mode: 'media' }))).toEqual([P.keysOnly]);
  });

  it('answers a question through the pipeline in the voice style, as the caller, and asks for more', async () => {
    const d = dialog();
    await start(d);
    answers.script.push({ status: 'answered', text: 'Lệ phí là năm mươi nghìn đồng.', citations: [{ id: '1.001193', name: 'Đăng ký khai sinh', url: null }], aspect: 'fee' });
    const turn = await d.input(CALL, { kind: 'speech', text: 'làm khai sinh mất bao nhiêu tiền', confidence: 0.9 });
    expect(answers.inputs[0]).toMatchObject({ channel: 'voice', userId: CALL, userKey: hashCaller(FROM), style: 'voice', message: 'làm khai sinh mất bao nhiêu tiền' });
    expect(says(turn)).toEqual(['Lệ phí là năm mươi nghìn đồng.', P.anythingElse]);
    expect(last(turn).kind).toBe('listen');
    expect((await calls.get(CALL))?.turns).toBe(1);
  });

  it('confirms a doubtful transcript before answering it; "có" or key 1 goes on with it', async () => {
    const d = dialog();
    await start(d);
    const confirm = await d.input(CALL, { kind: 'speech', text: 'làm lại căn cước ở đâu', confidence: 0.31 });
    expect(says(confirm)).toEqual([P.confirm('làm lại căn cước ở đâu')]);
    expect(answers.inputs).toHaveLength(0);
    await d.input(CALL, { kind: 'speech', text: 'dạ có' });
    expect(answers.inputs.map((i) => i.message)).toEqual(['làm lại căn cước ở đâu']);

    await d.input(CALL, { kind: 'speech', text: 'còn giấy tờ', confidence: 0.2 });
    await d.input(CALL, { kind: 'digits', digits: '1' });
    expect(answers.inputs.map((i) => i.message)).toEqual(['làm lại căn cước ở đâu', 'còn giấy tờ']);
  });

  it('asks again after a "no", and passes the caller to an operator after two', async () => {
    const d = dialog();
    await start(d);
    await d.input(CALL, { kind: 'speech', text: 'abc', confidence: 0.2 });
    expect(says(await d.input(CALL, { kind: 'digits', digits: '2' }))).toEqual([P.sayAgain]);
    await d.input(CALL, { kind: 'speech', text: 'xyz', confidence: 0.2 });
    const turn = await d.input(CALL, { kind: 'speech', text: 'không' });
    expect(says(turn)).toEqual([P.transferAfterFailures]);
    expect(last(turn)).toMatchObject({ kind: 'transfer', reason: 'repeated_failure' });
  });

  it('re-prompts twice on silence, then says goodbye and hangs up', async () => {
    const d = dialog();
    await start(d);
    expect(says(await d.input(CALL, { kind: 'silence' }))).toEqual([P.silence1]);
    expect(says(await d.input(CALL, { kind: 'silence' }))).toEqual([P.silence2]);
    const bye = await d.input(CALL, { kind: 'silence' });
    expect(says(bye)).toEqual([P.silenceGoodbye]);
    expect(last(bye)).toEqual({ kind: 'hangup' });
  });

  it('repeats the last thing said on *', async () => {
    const d = dialog();
    await start(d);
    answers.script.push({ status: 'answered', text: 'Hồ sơ gồm tờ khai.' });
    await d.input(CALL, { kind: 'speech', text: 'khai sinh cần gì', confidence: 0.9 });
    const again = await d.input(CALL, { kind: 'digits', digits: '*' });
    expect(says(again)).toEqual([`Hồ sơ gồm tờ khai. ${P.anythingElse}`]);
    expect(answers.inputs).toHaveLength(1);
  });

  it('key 0 in office hours: transfer with a one-sentence summary; the queue whisper; rating after the operator', async () => {
    const d = dialog();
    await start(d);
    answers.script.push({ status: 'answered', text: 'Lệ phí…', citations: [{ id: '1.001193', name: 'Đăng ký khai sinh', url: null }], aspect: 'fee' });
    await d.input(CALL, { kind: 'speech', text: 'lệ phí khai sinh', confidence: 0.9 });
    const transfer = await d.input(CALL, { kind: 'digits', digits: '0' });
    expect(says(transfer)).toEqual([P.transferring]);
    const summary = 'Cuộc gọi chuyển theo yêu cầu của người gọi; câu hỏi gần nhất về thủ tục Đăng ký khai sinh, phần lệ phí.';
    expect(last(transfer)).toEqual({ kind: 'transfer', reason: 'caller_request', summary });
    expect(await d.summary(CALL)).toBe(summary);
    expect(await d.queuedSummary()).toBe(summary);
    expect((await calls.get(CALL))?.outcome).toBe('transferred');

    const after = await d.transferEnded(CALL, 'answered');
    expect(await d.queuedSummary()).toBeNull();
    expect(says(after)).toEqual([P.ratingAsk]);
    const bye = await d.input(CALL, { kind: 'digits', digits: '5' });
    expect(says(bye)).toEqual([P.ratingThanks]);
    expect(last(bye)).toEqual({ kind: 'hangup' });
    expect(ratings).toMatchObject([{ channel: 'voice', score: 5, userKey: hashCaller(FROM), sessionId: 'sess-voice-1' }]);
    expect((await calls.get(CALL))?.rating).toBe(5);
  });

  it('outside office hours offers a call-back: reads the number back, stores it with consent, hangs up', async () => {
    const d = dialog({ hours: CLOSED });
    await start(d);
    const offer = await d.input(CALL, { kind: 'digits', digits: '0' });
    expect(says(offer)).toEqual([P.outOfHours(CLOSED.describe())]);
    const readBack = await d.input(CALL, { kind: 'digits', digits: '1' });
    expect(says(readBack)).toEqual([P.callbackReadBack('0912345678')]);
    const done = await d.input(CALL, { kind: 'digits', digits: '1' });
    expect(last(done)).toEqual({ kind: 'hangup' });
    expect(says(done)[0]).toContain('Tôi đã ghi nhận yêu cầu gọi lại');
    expect(tickets.tickets).toMatchObject([{ kind: 'callback', channel: 'voice', phone: '0912345678', consentAt: SUNDAY.toISOString() }]);
    expect((await calls.get(CALL))?.outcome).toBe('callback');
    // The number is not kept in the call's state once the ticket holds it.
    expect(JSON.stringify((await calls.get(CALL))?.state)).not.toContain('912345678');
  });

  it('a withheld number or a "no" asks for another number on the keypad, ended by #', async () => {
    const d = dialog({ hours: CLOSED });
    await start(d, 'anonymous');
    await d.input(CALL, { kind: 'digits', digits: '0' });
    const ask = await d.input(CALL, { kind: 'digits', digits: '1' });
    expect(says(ask)).toEqual([P.callbackAskNumber]);
    expect(last(ask)).toMatchObject({ kind: 'listen', listen: { digits: 'many' } });
    expect(says(await d.input(CALL, { kind: 'digits', digits: '123#' }))).toEqual([P.callbackBadNumber]);
    expect(says(await d.input(CALL, { kind: 'digits', digits: '0987654321#' }))).toEqual([P.callbackReadBack('0987654321')]);
    await d.input(CALL, { kind: 'digits', digits: '1' });
    expect(tickets.tickets[0]).toMatchObject({ kind: 'callback', phone: '0987654321' });
  });

  it('takes a spoken message as a redacted ticket', async () => {
    const d = dialog({ hours: CLOSED });
    await start(d);
    await d.input(CALL, { kind: 'digits', digits: '0' });
    expect(says(await d.input(CALL, { kind: 'digits', digits: '2' }))).toEqual([P.messageAsk]);
    const done = await d.input(CALL, { kind: 'speech', text: 'tôi cần hỏi về sổ đỏ, số tôi là 0912345678' });
    expect(last(done)).toEqual({ kind: 'hangup' });
    expect(tickets.tickets).toHaveLength(1);
    expect(tickets.tickets[0]).toMatchObject({ kind: 'message', channel: 'voice', phone: null });
    expect(tickets.tickets[0]!.text).not.toContain('0912345678');
    expect((await calls.get(CALL))?.outcome).toBe('message');
  });

  it('a complaint the pipeline hands off goes to an operator as a complaint', async () => {
    const d = dialog();
    await start(d);
    answers.script.push({ status: 'handoff_requested', text: cannedReply('complaint_handoff', 'vi'), handoff: true });
    const turn = await d.input(CALL, { kind: 'speech', text: 'tôi muốn phản ánh cán bộ', confidence: 0.9 });
    expect(last(turn)).toMatchObject({ kind: 'transfer', reason: 'complaint' });
  });

  it('a status lookup asks for a typed code; the digits go to the pipeline; a failed lookup goes to an operator', async () => {
    const d = dialog();
    await start(d);
    answers.script.push({ status: 'status_lookup_verify', text: 'Anh chị vui lòng đọc mã hồ sơ.' });
    const ask = await d.input(CALL, { kind: 'digits', digits: '2' });
    expect(answers.inputs[0]!.message).toBe(P.statusIntent);
    expect(last(ask)).toMatchObject({ kind: 'listen', listen: { digits: 'many' } });
    answers.script.push({ status: 'status_lookup_failed', text: 'Hệ thống tra cứu không phản hồi. Gọi tổng đài 19001009.' });
    const turn = await d.input(CALL, { kind: 'digits', digits: '250101000123#' });
    expect(answers.inputs[1]!.message).toBe('250101000123');
    expect(last(turn)).toMatchObject({ kind: 'transfer', reason: 'status_unfinished' });
  });

  it('after two unanswerable questions in a row the caller goes to an operator', async () => {
    const d = dialog();
    await start(d);
    answers.script.push({ status: 'unanswerable_no_content', text: 'Tôi chưa tìm thấy.' }, { status: 'unanswerable_no_content', text: 'Tôi chưa tìm thấy.' });
    expect(last(await d.input(CALL, { kind: 'speech', text: 'a', confidence: 0.9 })).kind).toBe('listen');
    expect(last(await d.input(CALL, { kind: 'speech', text: 'b', confidence: 0.9 }))).toMatchObject({ kind: 'transfer', reason: 'repeated_failure' });
  });

  it('a goodbye after an answer asks for the rating; without satisfaction it just says goodbye', async () => {
    const d = dialog({ satisfaction: false });
    await start(d);
    await d.input(CALL, { kind: 'speech', text: 'khai sinh', confidence: 0.9 });
    const bye = await d.input(CALL, { kind: 'speech', text: 'cảm ơn, tạm biệt' });
    expect(says(bye)).toEqual([P.goodbye]);
    expect(last(bye)).toEqual({ kind: 'hangup' });
  });

  it('a streaming mode ends its stream; afterStream does what was decided, or goes on in turn mode when it dropped', async () => {
    const d = dialog();
    await d.start({ callSid: CALL, from: FROM, to: '+841900', mode: 'media' });
    expect(says(await d.afterStream(CALL))).toEqual([P.streamDropped, P.anythingElse]);
    await d.input(CALL, { kind: 'digits', digits: '0' });
    const after = await d.afterStream(CALL);
    expect(after.actions).toHaveLength(1);
    expect(last(after)).toMatchObject({ kind: 'transfer', reason: 'caller_request' });
  });

  it('a failing pipeline gives an apology and an operator, not silence', async () => {
    const d = dialog();
    await start(d);
    answers.script.push(new Error('boom'));
    const turn = await d.input(CALL, { kind: 'speech', text: 'khai sinh', confidence: 0.9 });
    expect(says(turn)).toEqual([P.systemError, P.transferAfterFailures]);
    expect(last(turn)).toMatchObject({ kind: 'transfer' });
    expect(errors).toContain('voice turn failed');
  });

  it('the status callback ends the call: duration kept, state wiped, later webhooks hang up', async () => {
    const d = dialog();
    await start(d);
    await d.ended(CALL, { durationS: 95, status: 'completed' });
    await d.ended(CALL, { durationS: 999, status: 'completed' });
    const record = await calls.get(CALL);
    expect(record).toMatchObject({ durationS: 95, endStatus: 'completed', outcome: 'abandoned', state: null });
    expect(last(await d.input(CALL, { kind: 'speech', text: 'alo' }))).toEqual({ kind: 'hangup' });
  });
});
