import { createHash, timingSafeEqual } from 'node:crypto';

export const ZALO_SIGNATURE_HEADER = 'x-zevent-signature';
/** Zalo puts the timestamp inside the signed string, so a replay older than this is refused. */
export const ZALO_SIGNATURE_WINDOW_MS = 5 * 60_000;

/**
 * `X-ZEvent-Signature` as Zalo computes it: plain SHA-256 (not an HMAC) of
 * `appId + rawBody + timestamp + OA secret key`, hex. The raw bytes are hashed as received:
 * re-serialising the parsed body would not reproduce them.
 */
export function zaloSignature(appId: string, rawBody: Buffer, timestamp: string, oaSecretKey: string): string {
  return createHash('sha256').update(appId).update(rawBody).update(timestamp).update(oaSecretKey).digest('hex');
}

export type ZaloSignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing_header' | 'malformed_header' | 'missing_timestamp' | 'mismatch' | 'stale' };

export interface ZaloSignatureInput {
  header: string | string[] | undefined;
  rawBody: Buffer;
  /** The `timestamp` field of the body, as its digits (ms). */
  timestamp: string | null;
  appId: string;
  oaSecretKey: string;
  now?: number;
  windowMs?: number;
}

/** Checks the header (with or without `mac=`) in constant time, then the timestamp window. */
export function verifyZaloSignature(input: ZaloSignatureInput): ZaloSignatureCheck {
  const header = Array.isArray(input.header) ? input.header[0] : input.header;
  if (!header) return { ok: false, reason: 'missing_header' };
  const given = header.trim().replace(/^mac=/i, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: 'malformed_header' };
  if (!input.timestamp || !/^\d{1,16}$/.test(input.timestamp)) return { ok: false, reason: 'missing_timestamp' };
  const expected = zaloSignature(input.appId, input.rawBody, input.timestamp, input.oaSecretKey);
  if (!timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'))) return { ok: false, reason: 'mismatch' };
  // Only a signed timestamp means anything, so the window is checked once the signature holds.
  const age = (input.now ?? Date.now()) - Number(input.timestamp);
  if (Math.abs(age) > (input.windowMs ?? ZALO_SIGNATURE_WINDOW_MS)) return { ok: false, reason: 'stale' };
  return { ok: true };
}
