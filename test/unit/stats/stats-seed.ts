import type { AnswerStatus } from '../../../src/domain/answer.js';
import type { HandoffReason } from '../../../src/handoff/handoff-queue.js';
import { SqliteHandoffQueue } from '../../../src/handoff/sqlite-handoff-queue.js';
import type { QaTurn, Rating } from '../../../src/qa-log/qa-log-store.js';
import { SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';
import { initialCallState, type CallState } from '../../../src/telephony/call-store.js';
import { SqliteCallStore } from '../../../src/telephony/sqlite-call-store.js';
import type { TransferReason } from '../../../src/telephony/voice-turn.js';
import type { Aspect } from '../../../src/text/aspects.js';

/**
 * A known log written through the real stores (qa-log, calls, handoff) into a DATA_DIR, with the
 * expected figures worked out by hand in stats-service.test.ts. Hanoi = UTC+7: 16:59:59Z is
 * 23:59:59 the same Hanoi day, 17:00:00Z is 00:00 the next one.
 */
export const P1 = '1.001193';
export const P2 = '2.000488';
export const P3 = '1.003002';
export const PROCEDURE_NAMES: Record<string, string> = { [P1]: 'Đăng ký khai sinh', [P2]: 'Cấp bản sao trích lục hộ tịch' };

type T = [id: string, channel: string, user: string, session: string, at: string, status: AnswerStatus, procedures: string[], aspect: Aspect | null];

export const TURNS: readonly T[] = [
  ['t1', 'web', 'uA', 'sW1', '2026-11-28T16:59:59.000Z', 'answered', [P1], 'fee'],
  ['t2', 'web', 'uA', 'sW1', '2026-11-28T17:00:00.000Z', 'answered', [P1, P2, P1], 'time'],
  ['t3', 'web', 'uB', 'sW2', '2026-11-29T02:00:00.000Z', 'unanswerable_no_content', [], null],
  ['t4', 'zalo', 'uC', 'sZ1', '2026-11-29T03:00:00.000Z', 'guardrail_injection', [], null],
  ['t5', 'zalo', 'uC', 'sZ1', '2026-11-29T03:01:00.000Z', 'answered', [P1], 'documents'],
  ['t6', 'messenger', 'uD', 'sM1', '2026-11-30T01:00:00.000Z', 'error_llm', [P3], null],
  ['t7', 'web', 'uA', 'sW3', '2026-11-30T04:00:00.000Z', 'answered', [P2], 'fee'],
  ['t8', 'voice', 'c1', 'sV1', '2026-11-29T05:00:10.000Z', 'answered', [P1], 'fee'],
  ['t9', 'voice', 'c1', 'sV1', '2026-11-29T05:01:00.000Z', 'unanswerable_out_of_scope', [], null],
  // Around the year end: 2026-12-31 is a Thursday (ISO 2026-W53), 2027-01-04 a Monday (2027-W01).
  ['y1', 'web', 'uE', 'sY1', '2026-12-31T03:00:00.000Z', 'answered', [P2], 'fee'],
  ['y2', 'web', 'uE', 'sY2', '2027-01-02T17:30:00.000Z', 'answered', [P2], null],
  ['y3', 'web', 'uE', 'sY3', '2027-01-04T01:00:00.000Z', 'answered', [P1], null],
];

type R = [id: string, channel: string, user: string, session: string, at: string, useful: boolean | null, score: number | null];
export const RATINGS: readonly R[] = [
  ['r1', 'web', 'uA', 'sW1', '2026-11-28T17:05:00.000Z', true, null],
  ['r2', 'zalo', 'uC', 'sZ1', '2026-11-29T03:05:00.000Z', false, 2],
  ['r3', 'voice', 'c1', 'sV1', '2026-11-29T05:03:00.000Z', null, 5],
  ['r4', 'messenger', 'uD', 'sM1', '2026-11-30T01:10:00.000Z', null, 4],
];

type C = [sid: string, caller: string, startedAt: string, durationS: number, turns: number, transfer: TransferReason | null];
export const CALLS: readonly C[] = [
  ['CA1', 'c1', '2026-11-29T05:00:00.000Z', 200, 2, null],
  ['CA2', 'c2', '2026-11-29T06:00:00.000Z', 3400, 1, 'caller_request'],
  ['CA3', 'c2', '2026-11-30T07:00:00.000Z', 10, 0, null],
  ['CA4', 'c3', '2026-11-28T16:59:00.000Z', 3600, 1, null],
];

type H = [channel: string, userId: string, session: string, at: string, reason: HandoffReason];
export const HANDOFFS: readonly H[] = [
  ['web', 'web-user-b', 'sW2', '2026-11-29T02:01:00.000Z', 'unanswered_twice'],
  ['zalo', 'zalo-user-c', 'sZ1', '2026-11-29T03:02:00.000Z', 'complaint'],
];

export function qaTurn([id, channel, user, session, at, status, procedures, aspect]: T): QaTurn {
  return { id, at, channel, userKey: user, sessionId: session, question: 'câu hỏi', answer: 'trả lời', status, procedureIds: procedures, aspect, composer: null, latencyMs: 1 };
}

export function qaRating([id, channel, user, session, at, useful, score]: R): Rating {
  return { id, at, channel, userKey: user, sessionId: session, useful, score };
}

const STATE: CallState = initialCallState(null);

/** Writes the whole known log into `dataDir`; returns the open Q&A store (for deletions). */
export async function seedKnownLog(dataDir: string): Promise<SqliteQaLogStore> {
  const qa = new SqliteQaLogStore({ dataDir });
  for (const t of TURNS) await qa.record(qaTurn(t));
  for (const r of RATINGS) await qa.recordRating!(qaRating(r));

  let now = new Date(0);
  const calls = new SqliteCallStore({ dataDir }, { now: () => now });
  for (const [sid, caller, startedAt, durationS, turns, transfer] of CALLS) {
    now = new Date(startedAt);
    await calls.begin({ callSid: sid, userKey: caller, mode: 'turn', state: STATE });
    if (turns > 0) await calls.update(sid, { turns });
    if (transfer) await calls.update(sid, { outcome: 'transferred', transferReason: transfer });
    await calls.end(sid, { endedAt: new Date(Date.parse(startedAt) + durationS * 1000).toISOString(), durationS, status: 'completed' });
  }
  // A call still running: no outcome and no duration yet; it counts as a call, not in containment.
  now = new Date('2026-10-15T03:00:00.000Z');
  await calls.begin({ callSid: 'CA-live', userKey: 'c9', mode: 'turn', state: STATE });
  await calls.close();

  const handoff = new SqliteHandoffQueue({ dataDir }, { now: () => now });
  for (const [channel, userId, sessionId, at, reason] of HANDOFFS) {
    now = new Date(at);
    await handoff.enqueue({ channel, userId, sessionId, reason, transcript: [], procedureIds: [] });
  }
  await handoff.close();
  return qa;
}
