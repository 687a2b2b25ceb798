import { randomBytes } from 'node:crypto';
import type { MiniAppAuthStore } from './miniapp-auth-store.js';
import { sha256Hex, verifySignature } from './miniapp-signature.js';

/** What the authenticator reads from a request: nothing Fastify-specific, so it is unit-testable. */
export interface MiniAppRequest {
  method: string;
  /** Path and query as sent on the request line. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body bytes (empty for GET). */
  body: Buffer;
}

export type MiniAppAuth =
  | {
      ok: true;
      appId: string;
      via: 'signature' | 'bearer';
      /** For a bearer token issued for one user: that user's key; the request may act only as them. */
      boundUserKey: string | null;
    }
  /** `reason` is for the operator's log only; the caller gets a bare 401. */
  | { ok: false; reason: string };

export interface MiniAppAuthenticatorOptions {
  /** How far a request's timestamp may be from the server's clock, either way (default 5 min). */
  windowMs?: number;
  /** Bearer token lifetime (default 1 hour). */
  tokenTtlMs?: number;
  now?: () => number;
}

const TIMESTAMP = /^\d{1,16}$/;
/** At least 16 characters: a nonce is meant to be random (a UUID, or 16+ random bytes in base64url). */
const NONCE = /^[A-Za-z0-9_-]{16,128}$/;
const BEARER = /^Bearer ([A-Za-z0-9_-]{32,128})$/;

/**
 * Per-app authentication of /api/v1/miniapp (the scheme is spelled out in docs/miniapp-api.md):
 *
 * (a) Signed request: `x-app-id`, `x-timestamp` (ms), `x-nonce`, `x-signature` = hex
 *     HMAC-SHA256(app secret, METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nNONCE\nsha256hex(raw body)).
 *     Accepted when the app is known, |now − timestamp| ≤ 5 min, the signature matches
 *     (constant-time) and the nonce was not used by that app within the window.
 * (b) `Authorization: Bearer <token>` issued by `POST /api/v1/miniapp/token` (itself signed);
 *     only sha256(token) is stored; valid one hour.
 *
 * Checks run cheapest first and the nonce is recorded only after the signature is verified, so
 * a forged request cannot fill the nonce table or burn a legitimate client's nonce.
 */
export class MiniAppAuthenticator {
  private readonly windowMs: number;
  private readonly tokenTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly keys: Readonly<Record<string, string>>,
    private readonly store: MiniAppAuthStore,
    options: MiniAppAuthenticatorOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 5 * 60_000;
    this.tokenTtlMs = options.tokenTtlMs ?? 60 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The app's secret, or undefined for an unknown app (own keys only: no `__proto__` surprises). */
  secretOf(appId: string): string | undefined {
    return Object.hasOwn(this.keys, appId) ? this.keys[appId] : undefined;
  }

  /** A signed request if it carries `x-signature`, else a bearer token. */
  authenticate(req: MiniAppRequest): MiniAppAuth {
    if (req.headers['x-signature'] !== undefined) return this.verifySigned(req);
    const authorization = header(req, 'authorization');
    if (authorization !== undefined) return this.verifyBearer(authorization);
    return { ok: false, reason: 'no credentials' };
  }

  verifySigned(req: MiniAppRequest): MiniAppAuth {
    const appId = header(req, 'x-app-id');
    const timestamp = header(req, 'x-timestamp');
    const nonce = header(req, 'x-nonce');
    const signature = header(req, 'x-signature');
    if (!appId || !timestamp || !nonce || !signature) return { ok: false, reason: 'missing signature header' };
    const secret = this.secretOf(appId);
    if (secret === undefined) return { ok: false, reason: 'unknown app' };
    if (!TIMESTAMP.test(timestamp)) return { ok: false, reason: 'bad timestamp' };
    if (!NONCE.test(nonce)) return { ok: false, reason: 'bad nonce' };
    const ts = Number(timestamp);
    if (Math.abs(this.now() - ts) > this.windowMs) return { ok: false, reason: 'stale timestamp' };
    if (!verifySignature(secret, { method: req.method, path: req.url, timestamp, nonce, body: req.body }, signature)) {
      return { ok: false, reason: 'bad signature' };
    }
    // Remembered until the request's own window closes: after that the timestamp check rejects it.
    if (!this.store.useNonce(appId, nonce, ts + this.windowMs)) return { ok: false, reason: 'replayed nonce' };
    return { ok: true, appId, via: 'signature', boundUserKey: null };
  }

  verifyBearer(authorization: string): MiniAppAuth {
    const match = BEARER.exec(authorization);
    if (!match) return { ok: false, reason: 'malformed authorization' };
    // Looked up by hash: the stored value is useless to whoever reads the database, and the
    // lookup's timing depends on the hash of the guess, not on how much of the token was right.
    const record = this.store.getToken(sha256Hex(match[1]!));
    if (!record) return { ok: false, reason: 'unknown or expired token' };
    if (this.secretOf(record.appId) === undefined) return { ok: false, reason: 'token of a removed app' };
    return { ok: true, appId: record.appId, via: 'bearer', boundUserKey: record.userKey };
  }

  /** A new random bearer token for the app (optionally bound to one user); only its hash is kept. */
  issueToken(appId: string, userKey: string | null): { token: string; expiresAt: number } {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + this.tokenTtlMs;
    this.store.putToken(sha256Hex(token), { appId, userKey, expiresAt });
    return { token, expiresAt };
  }
}

/** One value per header: a repeated auth header is an attack or a bug, never trusted. */
function header(req: MiniAppRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
