import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The iHanoi mini-app request signature (docs/miniapp-api.md, "Authentication").
 *
 *   canonical = METHOD "\n" PATH_WITH_QUERY "\n" TIMESTAMP "\n" NONCE "\n" hex(sha256(raw body))
 *   x-signature = hex(HMAC-SHA256(app secret, canonical))
 *
 * METHOD is upper case; PATH_WITH_QUERY is the request target exactly as sent (`/api/v1/miniapp/chat`,
 * `/api/v1/miniapp/conversation?since=…`), never re-encoded; TIMESTAMP is Unix time in
 * milliseconds as decimal digits; the body hash covers the raw bytes (the empty string for a GET).
 * Pure functions: the replay window and nonce memory live in MiniAppAuthenticator.
 */
export interface SignatureParts {
  method: string;
  /** Path and query string as sent on the request line. */
  path: string;
  timestamp: string;
  nonce: string;
  body: Buffer | string;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function canonicalRequest(parts: SignatureParts): string {
  return [parts.method.toUpperCase(), parts.path, parts.timestamp, parts.nonce, sha256Hex(parts.body)].join('\n');
}

/** What the mini-app's backend (and our tests) put in `x-signature`. */
export function signRequest(secret: string, parts: SignatureParts): string {
  return createHmac('sha256', secret).update(canonicalRequest(parts)).digest('hex');
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * Constant-time check of `x-signature`: both sides are decoded to 32-byte buffers first, so
 * `timingSafeEqual` never sees buffers of different lengths and the compare time does not
 * depend on where the first wrong byte is.
 */
export function verifySignature(secret: string, parts: SignatureParts, signature: string): boolean {
  if (!HEX_SHA256.test(signature)) return false;
  const expected = Buffer.from(signRequest(secret, parts), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
