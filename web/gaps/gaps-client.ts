/** The gaps API's shapes as the page reads them (see src/http/routes/gaps-api.ts). */
export interface Counted {
  key: string;
  count: number;
}

export interface OutOfScopeMark {
  key: string;
  label: string;
  comment: string | null;
  by: { id: string; name: string };
  at: string;
}

export interface GapGroup {
  key: string;
  kind: 'wording' | 'procedure';
  label: string;
  representative: string;
  count: number;
  examples: string[];
  statuses: Counted[];
  reasons: Counted[];
  channels: Counted[];
  procedures: Array<{ id: string; name: string | null; count: number }>;
  firstSeen: string;
  lastSeen: string;
  outOfScope: OutOfScopeMark | null;
}

export interface GapsPage {
  from: string;
  to: string;
  channel: string | null;
  by: 'wording' | 'procedure';
  turns: number;
  total: number;
  hidden: number;
  offset: number;
  limit: number;
  truncated: boolean;
  groups: GapGroup[];
}

export interface GapAction {
  seq: number;
  at: string;
  by: { id: string; name: string };
  action: 'alias' | 'note' | 'out_of_scope' | 'in_scope';
  groupKey: string | null;
  procedureId: string | null;
  text: string | null;
  comment: string | null;
}

export interface OverlayResult {
  ok: boolean;
  procedureId: string;
  name: string | null;
  created: boolean;
  aliases: string[];
  notes: string[];
  reloaded: boolean;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One call to the staff API. The login cookie goes along by itself (same origin); every
 * state-changing call carries `x-requested-with: console`, the API's guard against forged
 * cross-site requests.
 */
export async function gapsApi<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-requested-with'] = 'console';
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const data = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
  if (!res.ok) throw new ApiError(res.status, data.error ?? String(res.status), data.message ?? res.statusText);
  return data as T;
}
