import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { StaffAccount, StaffStore } from '../staff/staff-store.js';
import type { ErrorBody } from './errors.js';

export const STAFF_COOKIE = 'ccai_staff';
/** The header a page can only set through script on its own origin: the CSRF guard for cookie auth. */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'console';

export interface SignedInStaff {
  staff: StaffAccount;
  token: string;
  expiresAt: string;
}

/**
 * The staff login's guards for any staff-only route (console, dashboard, statistics, reviews):
 * `requireStaff` reads the `ccai_staff` session cookie (401 without a live session) and
 * `requireCsrf` refuses a state-changing request that a page on another origin could have sent.
 */
export function staffGuard(staff: Pick<StaffStore, 'findSession'>) {
  const signedIn = new WeakMap<FastifyRequest, SignedInStaff>();
  const fail = (reply: FastifyReply, status: number, error: string, message: string) => reply.code(status).send({ error, message } satisfies ErrorBody);
  const requireCsrf: onRequestHookHandler = async (request, reply) => {
    if (request.headers[CSRF_HEADER] !== CSRF_VALUE) return fail(reply, 403, 'forbidden', `Header ${CSRF_HEADER}: ${CSRF_VALUE} is required`);
  };
  const requireStaff: onRequestHookHandler = async (request, reply) => {
    const token = readCookie(request.headers.cookie, STAFF_COOKIE);
    const found = token ? await staff.findSession(token) : undefined;
    if (!token || !found) return fail(reply, 401, 'unauthorized', 'A console login is required');
    signedIn.set(request, { ...found, token });
  };
  /** The signed-in officer of a request that passed `requireStaff`. */
  const me = (request: FastifyRequest): SignedInStaff => signedIn.get(request)!;
  return { requireStaff, requireCsrf, me, fail };
}

/** One cookie's value from a Cookie header (hand-parsed: one cookie, no new dependency). */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(value) || null;
    } catch {
      return null;
    }
  }
  return null;
}
