import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZaloChannel } from '../../../../src/channels/zalo/create-zalo-channel.js';

const base = { ZALO_API_BASE_URL: 'http://127.0.0.1:9', ZALO_OAUTH_BASE_URL: 'http://127.0.0.1:9', ZALO_OA_REFRESH_TOKEN: undefined, ZALO_APP_SECRET_KEY: undefined };
const full = { ...base, ZALO_APP_ID: '1', ZALO_OA_SECRET_KEY: 's', ZALO_OA_ACCESS_TOKEN: 'AT' };
let dataDir: string;
let warnings: string[];
const log = { info() {}, warn: (_o: object, m: string) => void warnings.push(m), error() {} };

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-zalo-channel-'));
  warnings = [];
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('createZaloChannel', () => {
  it.each(['ZALO_APP_ID', 'ZALO_OA_SECRET_KEY', 'ZALO_OA_ACCESS_TOKEN'] as const)('is not mounted without %s', (key) => {
    expect(createZaloChannel({ ...full, [key]: undefined }, { dataDir, log })).toBeNull();
  });

  it('mounts /webhooks/zalo (and nothing is mounted without it), and closes cleanly', async () => {
    const channel = createZaloChannel(full, { dataDir, log })!;
    expect(channel.sender.channel).toBe('zalo');
    expect(warnings.join()).toMatch(/will not be refreshed/);
    const app = Fastify();
    channel.register(app, { handle: async () => ({ outcome: 'duplicate' as const, replies: [] }) });
    await app.ready();
    const res = await app.inject({ method: 'POST', url: '/webhooks/zalo', payload: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(401);
    await app.close();
    await channel.close();

    const bare = Fastify();
    await bare.ready();
    expect((await bare.inject({ method: 'POST', url: '/webhooks/zalo', payload: '{}' })).statusCode).toBe(404);
    await bare.close();
  });
});
