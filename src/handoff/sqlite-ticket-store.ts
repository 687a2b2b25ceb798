import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqliteDatabase } from '../sqlite/open-sqlite-database.js';
import { applyMigrations, type SqliteLocation } from '../catalogue/sqlite-catalogue-store.js';
import { HANDOFF_MIGRATIONS } from './sqlite-handoff-migrations.js';
import type { NewTicket, Ticket, TicketKind, TicketStatus, TicketStore } from './ticket-store.js';

interface TicketRow {
  id: string;
  kind: TicketKind;
  channel: string;
  user_id: string;
  session_id: string;
  text: string;
  phone: string | null;
  consent_at: string | null;
  procedure_ids_json: string;
  status: TicketStatus;
  created_at: string;
  handled_by: string | null;
  handled_at: string | null;
  note: string | null;
}

/** A ticket that does not exist (or no longer does). */
export class TicketNotFound extends Error {
  constructor(id: string) {
    super(`no ticket ${id}`);
    this.name = 'TicketNotFound';
  }
}

/**
 * Tickets in the `tickets` table of `${dataDir}/handoff.sqlite`, beside the queue they complete:
 * one file for everything the console works from. A call-back's phone number sits in its own
 * column, only ever written with the consent time.
 */
export class SqliteTicketStore implements TicketStore {
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly stmt;

  constructor(location: SqliteLocation, options: { now?: () => Date } = {}) {
    this.db = openSqliteDatabase(location, 'handoff.sqlite');
    applyMigrations(this.db, HANDOFF_MIGRATIONS);
    this.now = options.now ?? (() => new Date());
    this.stmt = {
      insert: this.db.prepare(
        `INSERT INTO tickets (id, kind, channel, user_id, session_id, text, phone, consent_at, procedure_ids_json, status, created_at)
         VALUES (@id, @kind, @channel, @userId, @sessionId, @text, @phone, @consentAt, @procedureIds, 'open', @createdAt)`,
      ),
      get: this.db.prepare<[string], TicketRow>('SELECT * FROM tickets WHERE id = ?'),
      list: this.db.prepare<[number], TicketRow>('SELECT * FROM tickets ORDER BY seq DESC LIMIT ?'),
      listByStatus: this.db.prepare<[TicketStatus, number], TicketRow>('SELECT * FROM tickets WHERE status = ? ORDER BY seq DESC LIMIT ?'),
      done: this.db.prepare<[string, string, string | null, string]>(
        "UPDATE tickets SET status = 'done', handled_by = ?, handled_at = ?, note = ? WHERE id = ? AND status = 'open'",
      ),
    };
  }

  async create(ticket: NewTicket): Promise<Ticket> {
    const id = randomUUID();
    // A phone number without consent is never stored, whatever the caller passed.
    const phone = ticket.kind === 'callback' && ticket.consentAt ? ticket.phone : null;
    this.stmt.insert.run({
      id,
      kind: ticket.kind,
      channel: ticket.channel,
      userId: ticket.userId,
      sessionId: ticket.sessionId,
      text: ticket.text,
      phone,
      consentAt: phone ? ticket.consentAt : null,
      procedureIds: JSON.stringify(ticket.procedureIds),
      createdAt: this.now().toISOString(),
    });
    return toTicket(this.stmt.get.get(id)!);
  }

  async get(id: string): Promise<Ticket | undefined> {
    const row = this.stmt.get.get(id);
    return row ? toTicket(row) : undefined;
  }

  async list(options: { status?: TicketStatus; limit?: number } = {}): Promise<Ticket[]> {
    const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
    const rows = options.status ? this.stmt.listByStatus.all(options.status, limit) : this.stmt.list.all(limit);
    return rows.map(toTicket);
  }

  /** Marks an open ticket done; a ticket already done is returned as it was (first officer's note kept). */
  async markDone(id: string, staffId: string, note: string | null): Promise<Ticket> {
    this.stmt.done.run(staffId, this.now().toISOString(), note, id);
    const row = this.stmt.get.get(id);
    if (!row) throw new TicketNotFound(id);
    return toTicket(row);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function toTicket(r: TicketRow): Ticket {
  return {
    id: r.id,
    kind: r.kind,
    channel: r.channel,
    userId: r.user_id,
    sessionId: r.session_id,
    text: r.text,
    phone: r.phone,
    consentAt: r.consent_at,
    procedureIds: JSON.parse(r.procedure_ids_json) as string[],
    status: r.status,
    createdAt: r.created_at,
    handledBy: r.handled_by,
    handledAt: r.handled_at,
    note: r.note,
  };
}
