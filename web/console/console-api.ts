/** The staff console API's shapes as the page reads them (see src/http/routes/console-api.ts). */
export interface Staff {
  id: string;
  username?: string;
  name: string;
  role: 'officer' | 'supervisor';
}

export interface ConversationView {
  id: string;
  channel: string;
  sessionId: string;
  reason: 'citizen_request' | 'unanswered_twice' | 'negative_rating' | 'complaint';
  status: 'waiting' | 'claimed' | 'returned' | 'closed';
  position: number | null;
  waitingSince: string;
  claimedBy: { id: string; name: string } | null;
  procedureIds: string[];
  outcome: string | null;
  lastMessage: { author: string; text: string; at: string } | null;
}

export interface Turn {
  role: string;
  text: string;
  at?: string;
  status?: string;
}

export interface MessageView {
  id: string;
  author: 'citizen' | 'staff' | 'bot' | 'system';
  staffName: string | null;
  text: string;
  at: string;
}

export interface ConversationDetail {
  conversation: ConversationView;
  transcript: Turn[];
  messages: MessageView[];
}

export interface Ticket {
  id: string;
  kind: 'message' | 'callback' | 'feedback' | 'complaint';
  channel: string;
  text: string;
  phone: string | null;
  procedureIds: string[];
  status: 'open' | 'done';
  createdAt: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One call to the console API. The login cookie goes along by itself (same origin); every
 * state-changing call carries `x-requested-with: console`, the API's guard against forged
 * cross-site requests.
 */
export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-requested-with'] = 'console';
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const data = (await res.json().catch(() => ({}))) as { message?: string };
  if (!res.ok) throw new ApiError(res.status, data.message ?? res.statusText);
  return data as T;
}
