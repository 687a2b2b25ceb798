import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteOutboundFailureLog } from '../../../src/channels/outbound-queue.js';
import { MiniAppConversationStore } from '../../../src/channels/mini-app/miniapp-conversation-store.js';
import { SqliteWebOutbox } from '../../../src/channels/web/sqlite-web-outbox.js';
import { newSession } from '../../../src/domain/conversation.js';
import { SqliteHandoffQueue } from '../../../src/handoff/sqlite-handoff-queue.js';
import { SqliteTicketStore } from '../../../src/handoff/sqlite-ticket-store.js';
import { hashUser } from '../../../src/pipeline/answer-service.js';
import { SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';
import { hanoiIsoWeek } from '../../../src/review/hanoi-week.js';
import { openReviewQueue } from '../../../src/review/open-review-queue.js';
import { SqliteSessionStore } from '../../../src/sessions/sqlite-session-store.js';

/**
 * A DATA_DIR seeded through the real stores with three conversations:
 * - OLD: a web conversation 18 months old (turns, a closed handoff with messages, a done
 *   call-back ticket with a phone number, an outbox entry, an expired session) — retention's;
 * - ZALO: a recent Zalo conversation (turns, a rating with a comment, a closed handoff, a
 *   call-back ticket, a failed delivery, a live session, a review sample of its turn) — the one
 *   deleted on request;
 * - KEEP: a recent web conversation that must survive both.
 */
export const NOW = new Date('2026-11-29T05:00:00.000Z');
export const OLD_AT = new Date('2025-05-20T03:00:00.000Z');
export const RECENT_AT = new Date('2026-11-27T02:00:00.000Z');

export const OLD = {
  sessionId: 'web-old-5f1c2a9e',
  question: 'Xin hỏi thủ tục đăng ký khai sinh muộn cho cháu ngoại',
  message: 'Cháu tôi sinh năm ngoái ở quê, giờ đăng ký được không ạ',
  ticket: 'Nhờ cán bộ gọi lại về hồ sơ khai sinh muộn',
  phone: '0912345678',
};
export const ZALO = {
  userId: 'zalo-user-7781234',
  sessionId: 'sess-zalo-9d2b7c41',
  question: 'Cấp đổi thẻ căn cước khi chuyển hộ khẩu sang phường khác thì làm ở đâu',
  message: 'Tôi đang ở trọ gần chợ Hàng Da, có cần giấy xác nhận tạm trú không',
  comment: 'Câu trả lời về căn cước chưa rõ địa điểm',
  ticket: 'Gọi lại giúp tôi về việc đổi căn cước',
  phone: '0987654321',
};
export const KEEP = {
  sessionId: 'web-keep-33aa77cc',
  question: 'Lệ phí cấp bản sao trích lục kết hôn là bao nhiêu',
};

export interface SeededDataDir {
  dataDir: string;
  conversationIds: { old: string; zalo: string };
}

export async function seedDataDir(): Promise<SeededDataDir> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-'));
  const location = { dataDir };
  const at = (d: Date, plusMinutes = 0) => new Date(d.getTime() + plusMinutes * 60_000);

  const qa = new SqliteQaLogStore(location);
  const turn = (id: string, when: Date, channel: string, userId: string, sessionId: string, question: string) =>
    qa.record({
      id,
      at: when.toISOString(),
      channel,
      userKey: hashUser({ channel, userId }),
      sessionId,
      question,
      answer: 'Anh/chị chuẩn bị tờ khai và nộp tại Bộ phận một cửa.',
      status: 'answered',
      procedureIds: ['1.001193'],
      aspect: 'documents',
      composer: 'grounded',
      latencyMs: 12,
    });
  await turn('t-old-1', OLD_AT, 'web', OLD.sessionId, OLD.sessionId, OLD.question);
  await turn('t-zalo-1', RECENT_AT, 'zalo', ZALO.userId, ZALO.sessionId, ZALO.question);
  await turn('t-keep-1', RECENT_AT, 'web', KEEP.sessionId, KEEP.sessionId, KEEP.question);
  await qa.recordRating!({
    id: 'r-zalo-1',
    at: at(RECENT_AT, 2).toISOString(),
    channel: 'zalo',
    userKey: hashUser({ channel: 'zalo', userId: ZALO.userId }),
    sessionId: ZALO.sessionId,
    useful: false,
    score: 2,
    comment: ZALO.comment,
  });
  await qa.recordRating!({
    id: 'r-old-1',
    at: at(OLD_AT, 2).toISOString(),
    channel: 'web',
    userKey: hashUser({ channel: 'web', userId: OLD.sessionId }),
    sessionId: OLD.sessionId,
    useful: true,
    score: 5,
  });
  await qa.close();

  // Sessions: the old one expired long ago (saved last: each save purges what is expired by its clock); the Zalo one is live under its own id.
  for (const [when, channel, userId, id, question] of [
    [RECENT_AT, 'zalo', ZALO.userId, ZALO.sessionId, ZALO.question],
    [RECENT_AT, 'web', KEEP.sessionId, KEEP.sessionId, KEEP.question],
    [OLD_AT, 'web', OLD.sessionId, OLD.sessionId, OLD.question],
  ] as const) {
    const sessions = new SqliteSessionStore(location, { now: () => when, ttlMs: 3 * 24 * 3600_000 });
    const session = newSession({ channel, userId }, id, when);
    session.turns.push({ role: 'user', text: question, at: when.toISOString() });
    await sessions.save(session);
    await sessions.close();
  }

  // Handoffs, closed by an officer, with messages both ways.
  const handoffAt = async (when: Date, channel: string, userId: string, sessionId: string, question: string, message: string) => {
    let clock = when;
    const queue = new SqliteHandoffQueue(location, { now: () => clock });
    const { conversation } = await queue.enqueue({
      channel,
      userId,
      sessionId,
      reason: 'citizen_request',
      transcript: [{ role: 'user', text: question, at: when.toISOString() }],
      procedureIds: ['1.001193'],
    });
    clock = at(when, 1);
    await queue.claim(conversation.id, 'staff-lan');
    await queue.appendMessage(conversation.id, 'citizen', message);
    await queue.appendMessage(conversation.id, 'staff', 'Anh/chị mang theo giấy tờ gốc nhé.', 'staff-lan');
    clock = at(when, 5);
    await queue.end(conversation.id, 'staff-lan', 'answered');
    await queue.close();
    return conversation.id;
  };
  const oldConversation = await handoffAt(OLD_AT, 'web', OLD.sessionId, OLD.sessionId, OLD.question, OLD.message);
  const zaloConversation = await handoffAt(RECENT_AT, 'zalo', ZALO.userId, ZALO.sessionId, ZALO.question, ZALO.message);

  // Call-back tickets with consented phone numbers; the old one was handled.
  let ticketClock = OLD_AT;
  const tickets = new SqliteTicketStore(location, { now: () => ticketClock });
  const oldTicket = await tickets.create({
    kind: 'callback',
    channel: 'web',
    userId: OLD.sessionId,
    sessionId: OLD.sessionId,
    text: OLD.ticket,
    phone: OLD.phone,
    consentAt: OLD_AT.toISOString(),
    procedureIds: [],
  });
  await tickets.markDone(oldTicket.id, 'staff-lan', 'Đã gọi lại');
  ticketClock = RECENT_AT;
  await tickets.create({
    kind: 'callback',
    channel: 'zalo',
    userId: ZALO.userId,
    sessionId: ZALO.sessionId,
    text: ZALO.ticket,
    phone: ZALO.phone,
    consentAt: RECENT_AT.toISOString(),
    procedureIds: [],
  });
  await tickets.close();

  // Deliveries: web outbox entries, a mini-app notice, a failed Zalo send.
  for (const [when, sessionId, text] of [
    [OLD_AT, OLD.sessionId, OLD.message],
    [NOW, KEEP.sessionId, 'Cán bộ đang xem câu hỏi của anh/chị.'],
  ] as const) {
    const outbox = new SqliteWebOutbox(location, 24 * 3600_000, () => when.getTime());
    await outbox.append(sessionId, { author: 'staff', text });
    await outbox.close();
  }
  const miniApp = new MiniAppConversationStore(location, 7 * 24 * 3600_000, () => OLD_AT.getTime());
  miniApp.addNotice('mini-user-old', 'staff', OLD.message);
  miniApp.close();
  const failures = new SqliteOutboundFailureLog(location);
  await failures.record({
    id: 'f-zalo-1',
    at: RECENT_AT.toISOString(),
    channel: 'zalo',
    userId: ZALO.userId,
    payload: JSON.stringify({ text: `Về câu hỏi "${ZALO.question}"` }),
    error: '500',
    attempts: 3,
  });
  await failures.close();

  // The review samples (this week's and the old turn's week) copy the turns' questions.
  const review = openReviewQueue({ DATA_DIR: dataDir, REVIEW_SAMPLE_PER_WEEK: 10 }, { now: () => NOW });
  const week = hanoiIsoWeek(RECENT_AT);
  review.ensureWeek(week);
  review.ensureWeek(hanoiIsoWeek(OLD_AT));
  const zaloItem = review.items(week).find((i) => i.question === ZALO.question);
  if (!zaloItem) throw new Error('the review sample should hold the Zalo turn');
  review.mark(zaloItem.id, { verdict: 'incomplete', comment: 'Thiếu địa chỉ nộp', reviewer: { id: 'staff-boss', name: 'Lê Văn Hùng' } });
  review.close();

  return { dataDir, conversationIds: { old: oldConversation, zalo: zaloConversation } };
}

/** Every text value of every table of every `*.sqlite` under DATA_DIR that contains `needle`, as `file table.column`. */
export function findText(dataDir: string, needle: string, open: (file: string) => import('better-sqlite3').Database): string[] {
  const hits: string[] = [];
  for (const file of fs.readdirSync(dataDir).filter((f) => f.endsWith('.sqlite'))) {
    const db = open(file);
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
      for (const { name } of tables) {
        const cols = db.prepare('SELECT name FROM pragma_table_info(?)').all(name) as Array<{ name: string }>;
        for (const col of cols) {
          const n = db
            .prepare(`SELECT count(*) AS n FROM "${name}" WHERE typeof("${col.name}") = 'text' AND instr("${col.name}", ?) > 0`)
            .get(needle) as { n: number };
          if (n.n > 0) hits.push(`${file} ${name}.${col.name}`);
        }
      }
    } finally {
      db.close();
    }
  }
  return hits;
}
