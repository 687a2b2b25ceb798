import { randomUUID } from 'node:crypto';
import {
  HandoffConflict,
  type EnqueueInput,
  type HandoffAuthor,
  type HandoffConversation,
  type HandoffEvent,
  type HandoffMessage,
  type HandoffQueue,
} from '../../src/handoff/handoff-queue.js';

/** A HandoffQueue in memory, for unit tests of the code around the queue (not of the queue). */
export class InMemoryHandoffQueue implements HandoffQueue {
  readonly conversations: HandoffConversation[] = [];
  readonly msgs: HandoffMessage[] = [];
  private readonly listeners = new Set<(e: HandoffEvent) => void>();

  async enqueue(input: EnqueueInput) {
    const open = await this.findOpen(input.channel, input.userId);
    if (open) return { conversation: open, position: await this.position(open.id), created: false };
    const c: HandoffConversation = {
      id: randomUUID(),
      ...input,
      status: 'waiting',
      createdAt: new Date().toISOString(),
      claimedBy: null,
      claimedAt: null,
      endedAt: null,
      outcome: null,
    };
    this.conversations.push(c);
    this.emit({ type: 'queued', conversation: c });
    return { conversation: c, position: await this.position(c.id), created: true };
  }
  async findOpen(channel: string, userId: string) {
    return this.conversations.find((c) => c.channel === channel && c.userId === userId && (c.status === 'waiting' || c.status === 'claimed'));
  }
  async get(id: string) {
    return this.conversations.find((c) => c.id === id);
  }
  async position(id: string) {
    const waiting = this.conversations.filter((c) => c.status === 'waiting');
    const i = waiting.findIndex((c) => c.id === id);
    return i < 0 ? null : i + 1;
  }
  async open() {
    return this.conversations.filter((c) => c.status === 'waiting' || c.status === 'claimed');
  }
  async appendMessage(id: string, author: HandoffAuthor, text: string, staffId?: string) {
    const m: HandoffMessage = { id: randomUUID(), conversationId: id, author, staffId: staffId ?? null, text, at: new Date().toISOString() };
    this.msgs.push(m);
    this.emit({ type: 'message', conversation: (await this.get(id))!, message: m });
    return m;
  }
  async messages(id: string) {
    return this.msgs.filter((m) => m.conversationId === id);
  }
  async claim(id: string, staffId: string) {
    const c = (await this.get(id))!;
    if (c.status !== 'waiting') throw new HandoffConflict('not waiting');
    Object.assign(c, { status: 'claimed', claimedBy: staffId, claimedAt: new Date().toISOString() });
    this.emit({ type: 'claimed', conversation: c });
    return c;
  }
  async release(id: string) {
    const c = (await this.get(id))!;
    Object.assign(c, { status: 'returned', endedAt: new Date().toISOString() });
    this.emit({ type: 'returned', conversation: c });
    return c;
  }
  async end(id: string, _staffId: string, outcome: string) {
    const c = (await this.get(id))!;
    Object.assign(c, { status: 'closed', outcome, endedAt: new Date().toISOString() });
    this.emit({ type: 'closed', conversation: c });
    return c;
  }
  async averageWaitMs() {
    return null;
  }
  subscribe(listener: (e: HandoffEvent) => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  async close() {}
  private emit(e: HandoffEvent) {
    for (const l of this.listeners) l(e);
  }
}
