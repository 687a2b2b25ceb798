import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyZaloSignature, zaloSignature } from '../../../../src/channels/zalo/zalo-signature.js';

const APP_ID = '1234567890123456789';
const OA_SECRET = 'oa-secret-key-ABC';
const NOW = 1_760_000_000_000;
const TS = String(NOW - 10_000);
const BODY = Buffer.from(`{"app_id":"${APP_ID}","event_name":"user_send_text","message":{"text":"Đăng ký khai sinh","msg_id":"m1"},"timestamp":"${TS}"}`);

const mac = (body = BODY, ts = TS, secret = OA_SECRET) => createHash('sha256').update(APP_ID + body.toString('utf8') + ts + secret).digest('hex');
const check = (header: string | undefined, over: Partial<Parameters<typeof verifyZaloSignature>[0]> = {}) =>
  verifyZaloSignature({ header, rawBody: BODY, timestamp: TS, appId: APP_ID, oaSecretKey: OA_SECRET, now: NOW, ...over });

describe('Zalo X-ZEvent-Signature', () => {
  it('is the plain SHA-256 of app id + raw body + timestamp + OA secret key', () => {
    expect(zaloSignature(APP_ID, BODY, TS, OA_SECRET)).toBe(mac());
  });

  it('accepts the signature with and without the mac= prefix, in either case', () => {
    expect(check(`mac=${mac()}`)).toEqual({ ok: true });
    expect(check(mac())).toEqual({ ok: true });
    expect(check(`mac=${mac().toUpperCase()}`)).toEqual({ ok: true });
  });

  it('rejects a tampered body', () => {
    const tampered = Buffer.from(BODY.toString('utf8').replace('khai sinh', 'kết hôn'));
    expect(check(`mac=${mac()}`, { rawBody: tampered })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects a signature made with the wrong key (e.g. the app secret instead of the OA secret)', () => {
    expect(check(`mac=${mac(BODY, TS, 'app-secret-key')}`)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects an HMAC-SHA256 made from the same parts', () => {
    const hmac = createHmac('sha256', OA_SECRET).update(APP_ID + BODY.toString('utf8') + TS).digest('hex');
    expect(check(`mac=${hmac}`)).toEqual({ ok: false, reason: 'mismatch' });
    const hmacBody = createHmac('sha256', OA_SECRET).update(BODY).digest('hex');
    expect(check(`mac=${hmacBody}`)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects a missing or malformed header', () => {
    expect(check(undefined)).toEqual({ ok: false, reason: 'missing_header' });
    expect(check('')).toEqual({ ok: false, reason: 'missing_header' });
    expect(check('mac=xyz')).toEqual({ ok: false, reason: 'malformed_header' });
    expect(check(`sha256=${mac()}`)).toEqual({ ok: false, reason: 'malformed_header' });
  });

  it('rejects a body without a timestamp', () => {
    expect(check(`mac=${mac(BODY, '')}`, { timestamp: null })).toEqual({ ok: false, reason: 'missing_timestamp' });
  });

  it('rejects stale and future timestamps beyond five minutes, even when correctly signed', () => {
    const at = (offsetMs: number) => {
      const ts = String(NOW + offsetMs);
      const body = Buffer.from(BODY.toString('utf8').replace(TS, ts));
      return check(`mac=${mac(body, ts)}`, { rawBody: body, timestamp: ts });
    };
    expect(at(-4 * 60_000)).toEqual({ ok: true });
    expect(at(4 * 60_000)).toEqual({ ok: true });
    expect(at(-5 * 60_000 - 1)).toEqual({ ok: false, reason: 'stale' });
    expect(at(5 * 60_000 + 1)).toEqual({ ok: false, reason: 'stale' });
  });

  it('hashes the raw bytes, so escaped and unescaped Vietnamese are different bodies', () => {
    const escaped = Buffer.from(BODY.toString('utf8').replace('Đăng', '\\u0110\\u0103ng'));
    expect(check(`mac=${mac()}`, { rawBody: escaped })).toEqual({ ok: false, reason: 'mismatch' });
    expect(check(`mac=${mac(escaped)}`, { rawBody: escaped })).toEqual({ ok: true });
  });
});
