import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZaloTokenError, ZaloTokenStore, type ZaloTokenStoreOptions } from '../../../../src/channels/zalo/zalo-token-store.js';
import { type FakeZaloApi, startFakeZaloApi } from '../../../support/fake-zalo-api.js';

const APP_ID = '3608465249409039671';
const APP_SECRET = 'app-secret-key';

let api: FakeZaloApi;
let dataDir: string;
let now: number;
const stores: ZaloTokenStore[] = [];

const open = (over: Partial<ZaloTokenStoreOptions> = {}) => {
  const store = new ZaloTokenStore(
    { dataDir },
    { appId: APP_ID, appSecretKey: APP_SECRET, oauthBaseUrl: api.baseUrl, seed: { accessToken: 'AT-seed', refreshToken: 'RT-seed' }, now: () => now, ...over },
  );
  stores.push(store);
  return store;
};

beforeEach(async () => {
  api = await startFakeZaloApi({ appId: APP_ID, appSecretKey: APP_SECRET, accessTokens: ['AT-seed'], refreshTokens: ['RT-seed'] });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-zalo-tokens-'));
  now = 1_760_000_000_000;
});

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  await api.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('ZaloTokenStore', () => {
  it('rotates the seed at first use (its age is unknown) through OAuth v4 with the documented request', async () => {
    const store = open();
    expect(await store.accessToken()).toBe('AT-1');
    expect(api.refreshes).toEqual([
      { secretKey: APP_SECRET, form: { refresh_token: 'RT-seed', app_id: APP_ID, grant_type: 'refresh_token' }, error: 0 },
    ]);
    // expires_in "90000" is a string of seconds.
    expect(store.expiresAt()).toBe(now + 90_000_000);
  });

  it('keeps the token until shortly before expiry, then refreshes before it expires', async () => {
    const store = open();
    await store.accessToken();
    now += 20 * 3600_000;
    expect(await store.accessToken()).toBe('AT-1');
    expect(api.refreshes).toHaveLength(1);
    now += 4.6 * 3600_000; // 24.6 h: within the 30-minute margin, still valid
    expect(await store.accessToken()).toBe('AT-2');
    expect(api.refreshes.map((r) => r.form.refresh_token)).toEqual(['RT-seed', 'RT-1']);
  });

  it('keeps the rotated pair across restarts (the env seed is single-use) and takes a new seed from env', async () => {
    await open().accessToken();
    await stores.pop()!.close();
    const again = open();
    expect(await again.accessToken()).toBe('AT-1');
    expect(api.refreshes).toHaveLength(1);
    await stores.pop()!.close();

    api.validRefreshTokens.add('RT-new');
    const reseeded = open({ seed: { accessToken: 'AT-new', refreshToken: 'RT-new' } });
    expect(await reseeded.accessToken()).toBe('AT-2');
    expect(api.refreshes.at(-1)?.form.refresh_token).toBe('RT-new');
  });

  it('runs one refresh at a time: concurrent callers share it', async () => {
    const store = open();
    const tokens = await Promise.all([store.accessToken(), store.accessToken(), store.refresh('AT-seed'), store.accessToken()]);
    expect(new Set(tokens)).toEqual(new Set(['AT-1']));
    expect(api.refreshes).toHaveLength(1);
  });

  it('does not refresh again for a token another caller already replaced', async () => {
    const store = open();
    await store.accessToken();
    expect(await store.refresh('AT-seed')).toBe('AT-1');
    expect(api.refreshes).toHaveLength(1);
    expect(await store.refresh('AT-1')).toBe('AT-2');
    expect(api.refreshes).toHaveLength(2);
  });

  it('two stores on the same file (two workers) do not spend the single-use refresh token twice', async () => {
    const a = open();
    const b = open();
    const [ta, tb] = await Promise.all([a.refresh('AT-seed'), b.refresh('AT-seed')]);
    expect(ta).toBe('AT-1');
    expect(tb).toBe('AT-1');
    expect(api.refreshes.filter((r) => r.error === 0)).toHaveLength(1);
    expect(api.refreshes.filter((r) => r.error !== 0)).toHaveLength(0);
  });

  it('reports a refused refresh with Zalo\'s error code, and keeps using a still-valid token meanwhile', async () => {
    const store = open();
    await store.accessToken();
    api.failRefreshes(1, { error: -14014, message: 'Invalid refresh_token' });
    await expect(store.refresh('AT-1')).rejects.toMatchObject({ name: 'ZaloTokenError', code: -14014 });

    // Proactive refresh failing before expiry: the current token is still served.
    now += 24.8 * 3600_000;
    api.failRefreshes(1, { error: -14014, message: 'Invalid refresh_token' });
    expect(await store.accessToken()).toBe('AT-1');
    // After expiry, a failed refresh is an error.
    now += 3600_000;
    api.failRefreshes(5, { error: -14014, message: 'Invalid refresh_token' });
    now += 120_000;
    await expect(store.accessToken()).rejects.toBeInstanceOf(ZaloTokenError);
  });

  it('without a refresh token or app secret, serves the seed and cannot refresh', async () => {
    const store = open({ appSecretKey: undefined });
    expect(await store.accessToken()).toBe('AT-seed');
    await expect(store.refresh('AT-seed')).rejects.toBeInstanceOf(ZaloTokenError);
    expect(api.refreshes).toHaveLength(0);
  });
});

describe('ZaloTokenStore.keepFresh', () => {
  it('refreshes a quiet OA\'s token when due, without any send', async () => {
    const store = open();
    const stop = store.keepFresh(20);
    try {
      for (let i = 0; i < 50 && api.refreshes.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(api.refreshes).toHaveLength(1);
      now += 24.7 * 3600_000;
      for (let i = 0; i < 50 && api.refreshes.length === 1; i++) await new Promise((r) => setTimeout(r, 10));
      expect(api.refreshes).toHaveLength(2);
    } finally {
      stop();
    }
  });
});
