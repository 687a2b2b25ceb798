import { randomUUID } from 'node:crypto';
import type { NewTicket, Ticket, TicketStatus, TicketStore } from '../../src/handoff/ticket-store.js';

/** A TicketStore in memory, for tests of the code that files tickets (not of the store). */
export class InMemoryTicketStore implements TicketStore {
  readonly tickets: Ticket[] = [];
  /** Set to make the next `create` fail, as a full disk would. */
  failNext = false;

  constructor(private readonly now: () => Date = () => new Date()) {}

  async create(input: NewTicket): Promise<Ticket> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('ticket store unavailable');
    }
    const ticket: Ticket = {
      ...input,
      procedureIds: [...input.procedureIds],
      id: randomUUID(),
      status: 'open',
      createdAt: this.now().toISOString(),
      handledBy: null,
      handledAt: null,
      note: null,
    };
    this.tickets.push(ticket);
    return { ...ticket };
  }

  async get(id: string): Promise<Ticket | undefined> {
    const t = this.tickets.find((x) => x.id === id);
    return t ? { ...t } : undefined;
  }

  async list(options: { status?: TicketStatus; limit?: number } = {}): Promise<Ticket[]> {
    const matching = this.tickets.filter((t) => !options.status || t.status === options.status).reverse();
    return matching.slice(0, options.limit ?? matching.length).map((t) => ({ ...t }));
  }

  async markDone(id: string, staffId: string, note: string | null): Promise<Ticket> {
    const t = this.tickets.find((x) => x.id === id);
    if (!t) throw new Error(`no ticket ${id}`);
    Object.assign(t, { status: 'done', handledBy: staffId, handledAt: this.now().toISOString(), note });
    return { ...t };
  }

  async close(): Promise<void> {}
}
