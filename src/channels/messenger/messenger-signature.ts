import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/** `sha256=<hex>` for a body, as Meta computes it (and as tests sign their requests). */
export function signMessengerBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/**
 * Checks `X-Hub-Signature-256` over the raw bytes Meta sent. It must be the raw bytes: Meta
 * escapes non-ASCII as `\uXXXX`, so re-serialising the parsed body of a Vietnamese message would
 * not reproduce what was signed. The legacy SHA-1 header (`sha1=…`) alone is not accepted.
 * Missing or malformed → false; the digests are compared in constant time.
 */
export function verifyMessengerSignature(rawBody: Buffer, header: string | string[] | undefined, appSecret: string): boolean {
  if (typeof header !== 'string' || !appSecret) return false;
  const match = HEADER.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1]!.toLowerCase(), 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  // Equal length is guaranteed by the pattern (64 hex digits), checked again for timingSafeEqual.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Constant-time equality of two secrets of any length (the verify token handshake). */
export function secretsEqual(given: string, expected: string): boolean {
  // Hashing first gives equal-length buffers without leaking the expected length.
  const a = createHmac('sha256', 'verify-token').update(given).digest();
  const b = createHmac('sha256', 'verify-token').update(expected).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}
