/**
 * What citizens leave for the Center's staff outside a live conversation: a message left
 * outside office hours, a call-back request (with explicit consent to keep the phone number),
 * feedback and complaints (phản ánh, kiến nghị) the bot took down. They wait in the console.
 */
export type TicketKind = 'message' | 'callback' | 'feedback' | 'complaint';
export type TicketStatus = 'open' | 'done';

export interface Ticket {
  id: string;
  kind: TicketKind;
  channel: string;
  userId: string;
  sessionId: string;
  /** The citizen's words, redacted (the phone of a call-back is kept apart, below). */
  text: string;
  /** Only for `callback`, only with consent: the number to call, as the citizen confirmed it. */
  phone: string | null;
  /** When the citizen agreed to the number being stored (ISO), for `callback`. */
  consentAt: string | null;
  /** Procedures discussed before, most recent first. */
  procedureIds: string[];
  status: TicketStatus;
  createdAt: string;
  handledBy: string | null;
  handledAt: string | null;
  /** The officer's note when done. */
  note: string | null;
}

export type NewTicket = Pick<Ticket, 'kind' | 'channel' | 'userId' | 'sessionId' | 'text' | 'phone' | 'consentAt' | 'procedureIds'>;

export interface TicketStore {
  create(ticket: NewTicket): Promise<Ticket>;
  get(id: string): Promise<Ticket | undefined>;
  /** Newest first; `status` filters. */
  list(options?: { status?: TicketStatus; limit?: number }): Promise<Ticket[]>;
  markDone(id: string, staffId: string, note: string | null): Promise<Ticket>;
  close(): Promise<void>;
}
