import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroundedComposer } from '../../../src/answer/grounded-composer.js';
import type { Procedure } from '../../../src/domain/procedure.js';
import { loadStarterProcedures } from '../../../src/knowledge/load-starter-procedures.js';
import { createAnswerPipeline } from '../../../src/pipeline/answer-pipeline.js';
import { AnswerService, type ChatTurnOutput } from '../../../src/pipeline/answer-service.js';
import type { QaLogStore, QaTurn } from '../../../src/qa-log/qa-log-store.js';
import { LexicalRetriever } from '../../../src/retrieval/lexical-retriever.js';
import { InMemorySessionStore } from '../../../src/sessions/in-memory-session-store.js';
import { type ApplicationStatusSource, StatusBackendUnavailable } from '../../../src/status-lookup/application-status.js';
import { ephemeralLookupSecrets } from '../../../src/status-lookup/lookup-secrets.js';
import { containsReceiptCode } from '../../../src/status-lookup/receipt-code.js';
import { demoApplications } from '../../../src/status-lookup/seed-demo-applications.js';
import { SqliteStatusLookupGuard } from '../../../src/status-lookup/sqlite-status-lookup-guard.js';
import { SqliteStatusSource } from '../../../src/status-lookup/sqlite-status-source.js';
import { loadLexicon } from '../../../src/text/lexicon.js';

/**
 * The real answer pipeline with the status-lookup step, the answer service, in-memory sessions
 * and a recording Q&A log: the conversations a citizen has, and what is stored of them.
 */

class RecordingQaLog implements QaLogStore {
  readonly turns: QaTurn[] = [];
  async record(turn: QaTurn) {
    this.turns.push(turn);
  }
  async recent(limit: number) {
    return this.turns.slice(-limit).reverse();
  }
  async count() {
    return this.turns.length;
  }
  async close() {}
}

const KNOWLEDGE_DIR = path.resolve('knowledge');
const MIN = 60_000;
const start = new Date('2025-01-20T03:00:00Z');
const demo = demoApplications(start);
const byCode = (code: string) => demo.find((r) => r.receiptCode === code)!;
const BIRTH = '000.00.18.H26-250115-0001'; // completed_ready, Nguyễn Văn An
const LATE = '000.00.21.H26-250108-0005'; // in_progress, due 4 days ago
const last4 = (code: string) => byCode(code).phone.slice(-4);
const wrong = (code: string, n: number) => String((Number(last4(code)) + n) % 10000).padStart(4, '0');

let clock: Date;
let procedures: Map<string, Procedure>;
let store: SqliteStatusSource;
let guard: SqliteStatusLookupGuard;
let qaLog: RecordingQaLog;
let sessions: InMemorySessionStore;
let errors: unknown[];

function service(source: ApplicationStatusSource = store) {
  const lexicon = loadLexicon(path.join(KNOWLEDGE_DIR, 'lexicon.json'));
  const grounded = new GroundedComposer();
  const steps = createAnswerPipeline({
    procedures,
    retriever: LexicalRetriever.build(procedures.values(), lexicon),
    composer: grounded,
    grounded,
    lexicon,
    maxMessageChars: 2000,
    statusLookup: { source, guard, secrets: ephemeralLookupSecrets(), now: () => clock },
  });
  return new AnswerService({ steps, sessions, qaLog, log: { error: (obj) => void errors.push(obj) }, turnTimeoutMs: 10_000, now: () => clock });
}

beforeEach(() => {
  clock = start;
  procedures = new Map(loadStarterProcedures(KNOWLEDGE_DIR).procedures.map((p) => [p.id, p]));
  store = new SqliteStatusSource(':memory:');
  store.upsert(demo);
  guard = new SqliteStatusLookupGuard(':memory:');
  qaLog = new RecordingQaLog();
  sessions = new InMemorySessionStore({ now: () => clock });
  errors = [];
});

afterEach(async () => {
  await store.close();
  await guard.close();
});

function chat(answers: AnswerService, userId: string, style: 'chat' | 'voice' = 'chat') {
  return (message: string): Promise<ChatTurnOutput> => answers.handle({ channel: 'test', userId, message, style });
}

/** Every stored text: questions and answers in the Q&A log, and the session's turns. */
async function storedTexts(userIds: string[]): Promise<string[]> {
  const texts = qaLog.turns.flatMap((t) => [t.question, t.answer]);
  for (const userId of userIds) {
    const s = await sessions.load({ channel: 'test', userId });
    // The whole stored session too, but not its random parts (the session id, the sealed code and
    // its keyed hash): random hex or base64 may hold any four digits by chance.
    const pending = s.statusLookup ? { ...s.statusLookup, codeCipher: '[sealed]', codeHash: '[hash]' } : null;
    texts.push(...s.turns.map((t) => t.text), JSON.stringify({ ...s, id: '[random]', statusLookup: pending }));
  }
  return texts;
}

describe('status lookup in the answer pipeline', () => {
  it('asks for the code, then the digits; locks the code after three wrong answers; answers once unlocked', async () => {
    const answers = service();
    const say = chat(answers, 'citizen-1');

    const ask = await say('Hồ sơ của tôi đến đâu rồi?');
    expect(ask.status).toBe('status_lookup_verify');
    expect(ask.text).toContain('mã hồ sơ');

    const code = await say(BIRTH);
    expect(code.status).toBe('status_lookup_verify');
    expect(code.text).toContain('4 số cuối');
    expect(code.text).toContain('…0001');
    expect(code.text).not.toContain(BIRTH);
    const pending = (await sessions.load({ channel: 'test', userId: 'citizen-1' })).statusLookup;
    expect(pending).toMatchObject({ attempts: 0, startedAt: start.toISOString() });
    expect(JSON.stringify(pending)).not.toContain('250115');

    const first = await say(wrong(BIRTH, 1));
    expect(first.status).toBe('status_lookup_verify');
    expect(first.text).toContain('còn 2 lần');
    expect((await say(`4 số cuối là ${wrong(BIRTH, 2)}`)).text).toContain('còn 1 lần');
    const third = await say(wrong(BIRTH, 3));
    expect(third.status).toBe('status_lookup_failed');
    expect(third.text).toContain('tạm khóa');
    expect(third.text).toContain('19001009');
    // The lookup stays pending while locked: digits typed again get the lock explained.
    const again = await say(last4(BIRTH));
    expect(again.status).toBe('status_lookup_failed');
    expect(again.text).toContain('tạm khóa');

    // Locked for this code, whoever asks, even with the right digits in the same message.
    const other = chat(answers, 'citizen-2');
    expect((await other(`mã hồ sơ ${BIRTH}, 4 số cuối ${last4(BIRTH)}`)).status).toBe('status_lookup_failed');
    clock = new Date(start.getTime() + 14 * MIN);
    expect((await say(`tra cứu hồ sơ ${BIRTH}`)).text).toContain('tạm khóa');

    // Fifteen minutes after the lock, the right digits get the answer.
    clock = new Date(start.getTime() + 15 * MIN + 1000);
    expect((await say(`tra cứu hồ sơ ${BIRTH.toLowerCase()}`)).status).toBe('status_lookup_verify');
    const answer = await say(last4(BIRTH));
    expect(answer.status).toBe('status_lookup_answered');
    expect(answer.text).toContain('Đăng ký khai sinh (mã 1.001193)');
    expect(answer.text).toContain('Nguyễn V** A**');
    expect(answer.text).toContain(`********${last4(BIRTH).slice(-2)}`);
    expect(answer.text).toContain('Đã có kết quả');
    expect(answer.text).toContain('Giấy tiếp nhận hồ sơ và hẹn trả kết quả');
    expect(answer.text).not.toContain('Nguyễn Văn An');
    expect(answer.text).not.toContain(byCode(BIRTH).phone);
    expect(answer.citations.map((c) => c.id)).toEqual(['1.001193']);
    expect((await sessions.load({ channel: 'test', userId: 'citizen-1' })).statusLookup).toBeNull();

    // What was stored: the code and the digits never together; the code never in a question.
    const texts = await storedTexts(['citizen-1', 'citizen-2']);
    for (const text of texts) {
      const hasCode = containsReceiptCode(text, BIRTH);
      const hasDigits = [last4(BIRTH), wrong(BIRTH, 1), wrong(BIRTH, 2), wrong(BIRTH, 3)].some((d) => text.includes(d));
      expect(hasCode && hasDigits, text).toBe(false);
      expect(hasDigits, text).toBe(false);
    }
    for (const t of qaLog.turns) expect(containsReceiptCode(t.question, BIRTH), t.question).toBe(false);
    expect(qaLog.turns.map((t) => t.question)).toContain('[4 số cuối]');
    expect(qaLog.turns.map((t) => t.question)).toContain('[mã hồ sơ]');
    expect(errors).toEqual([]);
  });

  it('says how late an overdue application is, and answers in a voice style without links', async () => {
    clock = new Date(start.getTime() + 2 * MIN);
    const say = chat(service(), 'citizen-3');
    expect((await say(`ho so ${LATE} cua toi da xong chua`)).status).toBe('status_lookup_verify');
    const answer = await say(last4(LATE));
    expect(answer.status).toBe('status_lookup_answered');
    expect(answer.text).toContain('đã quá hạn 4 ngày');
    expect(answer.text).toContain('Đang được giải quyết');

    const voice = chat(service(), 'citizen-4', 'voice');
    await voice(`mã hồ sơ ${LATE}`);
    const spoken = await voice(`bốn số cuối ${last4(LATE)}`);
    expect(spoken.status).toBe('status_lookup_answered');
    expect(spoken.text).toContain('quá hạn 4 ngày');
    expect(spoken.text).not.toMatch(/https?:|\n|\*/);
    expect(spoken.text.split(/(?<=\.)\s/).length).toBeLessThanOrEqual(3);
  });

  it('tells an unknown code apart and points to the receipt', async () => {
    const say = chat(service(), 'citizen-5');
    const unknown = await say('mã hồ sơ 000.00.18.H26-250115-9999');
    expect(unknown.status).toBe('status_lookup_failed');
    expect(unknown.text).toContain('không tìm thấy');
    expect(unknown.text).toContain('Giấy tiếp nhận hồ sơ và hẹn trả kết quả');
    expect(qaLog.turns.at(-1)?.question).toBe('mã hồ sơ [mã hồ sơ]');
  });

  it('apologises with the hotline when the city’s system does not answer, and never guesses', async () => {
    const down: ApplicationStatusSource = {
      find: async () => {
        throw new StatusBackendUnavailable('timeout');
      },
      close: async () => {},
    };
    const say = chat(service(down), 'citizen-6');
    const reply = await say(`kiểm tra tình trạng hồ sơ ${BIRTH}`);
    expect(reply.status).toBe('status_lookup_failed');
    expect(reply.text).toContain('Xin lỗi');
    expect(reply.text).toContain('19001009');
    expect(reply.text).not.toMatch(/đang được giải quyết|đã có kết quả/i);
    expect(errors).toEqual([]);
  });

  it('limits how many codes one user may try', async () => {
    const say = chat(service(), 'citizen-7');
    const codes = demo.slice(0, 6).map((r) => r.receiptCode);
    for (const c of codes.slice(0, 5)) expect((await say(`tra cứu hồ sơ ${c}`)).status).toBe('status_lookup_verify');
    const sixth = await say(`tra cứu hồ sơ ${codes[5]}`);
    expect(sixth.status).toBe('status_lookup_failed');
    expect(sixth.text).toContain('nhiều mã hồ sơ');
  });

  it('drops a pending verification when the citizen asks something else, and lets it expire', async () => {
    const say = chat(service(), 'citizen-8');
    await say(`mã hồ sơ ${BIRTH}`);
    const other = await say('Đăng ký khai sinh cần những giấy tờ gì?');
    expect(other.status).toBe('answered');
    expect(other.citations[0]?.id).toBe('1.001193');
    expect((await sessions.load({ channel: 'test', userId: 'citizen-8' })).statusLookup).toBeNull();

    await say(`mã hồ sơ ${BIRTH}`);
    expect((await say('tôi không nhớ số điện thoại đã đăng ký')).status).toBe('status_lookup_failed');

    await say(`mã hồ sơ ${BIRTH}`);
    const stop = await say('thôi nhé');
    expect(stop.status).toBe('answered_smalltalk');
    expect(stop.text).toContain('dừng tra cứu');
    expect((await sessions.load({ channel: 'test', userId: 'citizen-8' })).statusLookup).toBeNull();

    await say(`mã hồ sơ ${BIRTH}`);
    clock = new Date(start.getTime() + 11 * MIN);
    const late = await say(last4(BIRTH));
    expect(late.status).toBe('status_lookup_verify');
    expect(late.text).toContain('hết thời gian');
    expect(qaLog.turns.at(-1)?.question).toBe('[4 số cuối]');
  });

  it('leaves procedure questions alone', async () => {
    const say = chat(service(), 'citizen-9');
    const q = await say('Hồ sơ đăng ký khai sinh gồm những gì?');
    expect(q.status).toBe('answered');
    expect(q.citations[0]?.id).toBe('1.001193');
  });
});
