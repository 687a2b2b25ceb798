import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MiniAppAuthStore } from '../../../../src/channels/mini-app/miniapp-auth-store.js';
import { MiniAppAuthenticator, type MiniAppRequest } from '../../../../src/channels/mini-app/miniapp-authenticator.js';
import { signRequest } from '../../../../src/channels/mini-app/miniapp-signature.js';

const KEYS = { ihanoi: 'ihanoi-secret-0123456789', other: 'other-app-secret-987654' };
const T0 = 1_800_000_000_000;
let clock = T0;
const now = () => clock;
let dataDir: string;
let stores: MiniAppAuthStore[];

function authenticator(): MiniAppAuthenticator {
  const store = new MiniAppAuthStore({ dataDir }, now);
  stores.push(store);
  return new MiniAppAuthenticator(KEYS, store, { now });
}

let seq = 0;
function signed(
  opts: { appId?: string; secret?: string; ts?: number; nonce?: string; method?: string; url?: string; body?: string } = {},
): MiniAppRequest {
  const appId = opts.appId ?? 'ihanoi';
  const secret = opts.secret ?? KEYS.ihanoi;
  const timestamp = String(opts.ts ?? clock);
  const nonce = opts.nonce ?? `nonce-${++seq}-abcdefghijklmnop`;
  const method = opts.method ?? 'POST';
  const url = opts.url ?? '/api/v1/miniapp/chat';
  const body = opts.body ?? '{"message":"hi"}';
  const signature = signRequest(secret, { method, path: url, timestamp, nonce, body });
  return { method, url, body: Buffer.from(body), headers: { 'x-app-id': appId, 'x-timestamp': timestamp, 'x-nonce': nonce, 'x-signature': signature } };
}

beforeEach(() => {
  clock = T0;
  stores = [];
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-miniapp-auth-'));
});
afterEach(() => {
  for (const s of stores) s.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('MiniAppAuthenticator: signed requests', () => {
  it('accepts a well-signed request and names the app', () => {
    expect(authenticator().authenticate(signed())).toEqual({ ok: true, appId: 'ihanoi', via: 'signature', boundUserKey: null });
  });

  it('accepts a timestamp up to 5 minutes off either way, and nothing beyond', () => {
    const auth = authenticator();
    expect(auth.authenticate(signed({ ts: T0 - 5 * 60_000 })).ok).toBe(true);
    expect(auth.authenticate(signed({ ts: T0 + 5 * 60_000 })).ok).toBe(true);
    expect(auth.authenticate(signed({ ts: T0 - 5 * 60_000 - 1 }))).toEqual({ ok: false, reason: 'stale timestamp' });
    expect(auth.authenticate(signed({ ts: T0 + 5 * 60_000 + 1 }))).toEqual({ ok: false, reason: 'stale timestamp' });
  });

  it.each(['x-app-id', 'x-timestamp', 'x-nonce', 'x-signature'])('rejects a request without %s', (name) => {
    const req = signed();
    // Without x-signature the request is read as a bearer request with no token.
    delete req.headers[name];
    expect(authenticator().authenticate(req).ok).toBe(false);
  });

  it('rejects a tampered body, path or method, a wrong key and an unknown app', () => {
    const auth = authenticator();
    const tampered = signed();
    tampered.body = Buffer.from('{"message":"hi!"}');
    expect(auth.authenticate(tampered)).toEqual({ ok: false, reason: 'bad signature' });
    const moved = signed();
    moved.url = '/api/v1/miniapp/rating';
    expect(auth.authenticate(moved)).toEqual({ ok: false, reason: 'bad signature' });
    const method = signed();
    method.method = 'GET';
    expect(auth.authenticate(method)).toEqual({ ok: false, reason: 'bad signature' });
    // Signed with another app's secret but claiming to be ihanoi.
    expect(auth.authenticate(signed({ secret: KEYS.other }))).toEqual({ ok: false, reason: 'bad signature' });
    expect(auth.authenticate(signed({ appId: 'stranger', secret: 'stranger-secret-0123456' }))).toEqual({ ok: false, reason: 'unknown app' });
    expect(auth.authenticate(signed({ appId: '__proto__' }))).toEqual({ ok: false, reason: 'unknown app' });
  });

  it('rejects malformed timestamps and short nonces', () => {
    const auth = authenticator();
    const ts = signed();
    ts.headers['x-timestamp'] = `${clock}.5`;
    expect(auth.authenticate(ts)).toEqual({ ok: false, reason: 'bad timestamp' });
    expect(auth.authenticate(signed({ nonce: 'short' }))).toEqual({ ok: false, reason: 'bad nonce' });
  });

  it('rejects a repeated header (two values) rather than picking one', () => {
    const req = signed();
    req.headers['x-app-id'] = ['ihanoi', 'ihanoi'];
    expect(authenticator().authenticate(req).ok).toBe(false);
  });

  it('refuses a replayed nonce, also on another worker sharing channels.sqlite', () => {
    const req = signed();
    expect(authenticator().authenticate(req).ok).toBe(true);
    expect(authenticator().authenticate(req)).toEqual({ ok: false, reason: 'replayed nonce' });
    // Same nonce, re-signed with a new timestamp: still a replay within the window.
    clock += 60_000;
    expect(authenticator().authenticate(signed({ nonce: req.headers['x-nonce'] as string }))).toEqual({ ok: false, reason: 'replayed nonce' });
    // Another app may use the same nonce string.
    expect(authenticator().authenticate(signed({ appId: 'other', secret: KEYS.other, nonce: req.headers['x-nonce'] as string })).ok).toBe(true);
  });

  it('does not record the nonce of a request that failed the signature check', () => {
    const auth = authenticator();
    const nonce = 'nonce-unburnt-0123456789';
    expect(auth.authenticate(signed({ nonce, secret: KEYS.other })).ok).toBe(false);
    expect(auth.authenticate(signed({ nonce })).ok).toBe(true);
  });
});

describe('MiniAppAuthenticator: bearer tokens', () => {
  it('issues a token usable as Authorization: Bearer, stored only as its hash', () => {
    const auth = authenticator();
    const { token, expiresAt } = auth.issueToken('ihanoi', null);
    expect(expiresAt).toBe(T0 + 60 * 60_000);
    expect(auth.authenticate({ method: 'GET', url: '/x', body: Buffer.alloc(0), headers: { authorization: `Bearer ${token}` } })).toEqual({
      ok: true,
      appId: 'ihanoi',
      via: 'bearer',
      boundUserKey: null,
    });
    // Another worker (another handle on the file) accepts it too.
    expect(authenticator().verifyBearer(`Bearer ${token}`).ok).toBe(true);
  });

  it('carries the user a token was bound to', () => {
    const auth = authenticator();
    const { token } = auth.issueToken('ihanoi', 'user-key-1');
    expect(auth.verifyBearer(`Bearer ${token}`)).toMatchObject({ ok: true, boundUserKey: 'user-key-1' });
  });

  it('expires tokens after an hour', () => {
    const auth = authenticator();
    const { token } = auth.issueToken('ihanoi', null);
    clock += 60 * 60_000 - 1;
    expect(auth.verifyBearer(`Bearer ${token}`).ok).toBe(true);
    clock += 1;
    expect(auth.verifyBearer(`Bearer ${token}`)).toEqual({ ok: false, reason: 'unknown or expired token' });
  });

  it('rejects unknown, altered and malformed tokens, and tokens of an app no longer configured', () => {
    const auth = authenticator();
    const { token } = auth.issueToken('ihanoi', null);
    const altered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(auth.verifyBearer(`Bearer ${altered}`).ok).toBe(false);
    expect(auth.verifyBearer(`Basic ${token}`).ok).toBe(false);
    expect(auth.verifyBearer(`Bearer ${token} extra`).ok).toBe(false);
    expect(auth.verifyBearer('Bearer short').ok).toBe(false);
    const removed = new MiniAppAuthenticator({ other: KEYS.other }, stores[0]!, { now });
    expect(removed.verifyBearer(`Bearer ${token}`)).toEqual({ ok: false, reason: 'token of a removed app' });
  });

  it('rejects a request with no credentials at all', () => {
    expect(authenticator().authenticate({ method: 'GET', url: '/x', body: Buffer.alloc(0), headers: {} })).toEqual({ ok: false, reason: 'no credentials' });
  });
});
