import type { AnswerStatus } from '../../domain/answer.js';
import type { SessionMode, SessionStore } from '../../domain/conversation.js';
import type { HandoffAuthor, HandoffQueue, HandoffReason, HandoffStatus } from '../../handoff/handoff-queue.js';
import { MINI_APP_CHANNEL } from './mini-app-sender.js';
import type { MiniAppConversationStore } from './miniapp-conversation-store.js';

export type HistoryAuthor = 'citizen' | 'assistant' | 'staff' | 'system';

/** One line of the conversation as the mini-app shows it. */
export interface HistoryItem {
  id: string;
  author: HistoryAuthor;
  text: string;
  at: string;
  /** `bot`: the assistant's session; `handoff`: the human part; `notice`: sent later (queue, hand back). */
  source: 'bot' | 'handoff' | 'notice';
  status?: AnswerStatus;
}

export interface MiniAppHistory {
  session_id: string;
  mode: SessionMode;
  /** The citizen's open, or else most recent, conversation with an officer. */
  handoff: { conversation_id: string; status: HandoffStatus; reason: HandoffReason; position: number | null } | null;
  messages: HistoryItem[];
}

export interface MiniAppHistoryDeps {
  sessions: SessionStore;
  handoff: HandoffQueue;
  store: MiniAppConversationStore;
}

const FROM_HANDOFF: Record<HandoffAuthor, HistoryAuthor> = { citizen: 'citizen', staff: 'staff', bot: 'assistant', system: 'system' };

/**
 * The conversation so far, oldest first: the assistant's turns from the session, the officer
 * part from the handoff queue, and notices sent since. Everything is the stored (redacted)
 * text. `since` (ISO) keeps only later items, for polling.
 */
export async function buildMiniAppHistory(deps: MiniAppHistoryDeps, userKey: string, since?: string): Promise<MiniAppHistory> {
  const key = { channel: MINI_APP_CHANNEL, userId: userKey };
  const session = await deps.sessions.load(key);
  const items: HistoryItem[] = session.turns.map((t) => ({
    id: `turn:${t.at}:${t.role}`,
    author: t.role === 'user' ? 'citizen' : 'assistant',
    text: t.text,
    at: t.at,
    source: 'bot',
    ...(t.status ? { status: t.status } : {}),
  }));

  let conversation = await deps.handoff.findOpen(MINI_APP_CHANNEL, userKey);
  if (conversation) {
    deps.store.rememberConversation(userKey, conversation.id);
  } else {
    const last = deps.store.lastConversation(userKey);
    conversation = last ? await deps.handoff.get(last) : undefined;
  }
  let handoff: MiniAppHistory['handoff'] = null;
  if (conversation) {
    handoff = {
      conversation_id: conversation.id,
      status: conversation.status,
      reason: conversation.reason,
      position: conversation.status === 'waiting' ? await deps.handoff.position(conversation.id) : null,
    };
    for (const m of await deps.handoff.messages(conversation.id)) {
      items.push({ id: m.id, author: FROM_HANDOFF[m.author], text: m.text, at: m.at, source: 'handoff' });
    }
  }
  for (const n of deps.store.notices(userKey)) {
    items.push({ id: n.id, author: n.author === 'bot' ? 'assistant' : n.author === 'staff' ? 'staff' : 'system', text: n.text, at: n.at, source: 'notice' });
  }

  const sinceMs = since ? Date.parse(since) : Number.NaN;
  const kept = Number.isNaN(sinceMs) ? items : items.filter((i) => Date.parse(i.at) > sinceMs);
  // Stable: a turn's question stays before its answer when both carry the same time.
  kept.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  // The mini-app's session id is its user key (InboundHandler keeps web/mini-app sessions by it).
  return { session_id: userKey, mode: session.mode, handoff, messages: kept };
}
