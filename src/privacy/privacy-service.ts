import { redactPersonalData } from '../guardrails/personal-data.js';
import { ConversationEraser, erasureTotal } from './conversation-eraser.js';
import type { DeletionRecord, SqliteDeletionLog } from './deletion-log.js';
import type { MaybeQaLogEraser } from './qa-log-eraser.js';
import { hashSessionId } from './session-hash.js';

/** Nothing under DATA_DIR belongs to that session id (never existed, or already deleted). */
export class ConversationNotFoundError extends Error {
  constructor() {
    super('no stored conversation has that session id');
    this.name = 'ConversationNotFoundError';
  }
}

/**
 * Session ids as the channels make them (UUIDs, the web chat's 8+ character `[A-Za-z0-9_-]` ids,
 * mini-app keys); at least 8 characters, because events are matched by substring. The JSON Schema
 * pattern and the RegExp.
 */
export const SESSION_ID_SOURCE = '^[A-Za-z0-9_.:-]{8,128}$';
export const SESSION_ID_PATTERN = new RegExp(SESSION_ID_SOURCE);

/**
 * A citizen's request to delete their conversation, carried out by an officer: erases it from
 * every store and logs who, when, why and how much, under a hash of the session id.
 */
export class PrivacyService {
  private readonly eraser: ConversationEraser;
  private readonly now: () => Date;

  constructor(private readonly deps: { dataDir: string; qaLog: MaybeQaLogEraser; log: SqliteDeletionLog; now?: () => Date }) {
    this.now = deps.now ?? (() => new Date());
    this.eraser = new ConversationEraser({ dataDir: deps.dataDir, qaLog: deps.qaLog, now: this.now });
  }

  /**
   * Throws `ConversationNotFoundError` when nothing matched (nothing logged) and
   * `ConversationOpenError` while an officer's conversation of the session is open.
   */
  async deleteConversation(request: { sessionId: string; staffId: string; reason: string }): Promise<DeletionRecord> {
    const counts = await this.eraser.erase(request.sessionId, { staffId: request.staffId });
    if (erasureTotal(counts) === 0) throw new ConversationNotFoundError();
    return this.deps.log.record({
      at: this.now().toISOString(),
      staffId: request.staffId,
      sessionHash: hashSessionId(request.sessionId),
      counts,
      // An officer may paste the citizen's message or number into the reason: the log keeps it redacted.
      reason: redactPersonalData(request.reason.trim()).text,
    });
  }

  deletions(options: { limit?: number; sessionId?: string } = {}): DeletionRecord[] {
    return this.deps.log.list({ limit: options.limit, ...(options.sessionId ? { sessionHash: hashSessionId(options.sessionId) } : {}) });
  }
}
