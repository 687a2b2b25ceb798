import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createMessengerChannel } from '../../../../src/channels/messenger/create-messenger-channel.js';
import { signMessengerBody } from '../../../../src/channels/messenger/messenger-signature.js';
import { SqliteOutboundFailureLog } from '../../../../src/channels/outbound-queue.js';
import type { InboundMessage } from '../../../../src/channels/inbound-message.js';
import { loadConfig } from '../../../../src/config.js';
import { startFakeGraphApi } from '../../../support/fake-graph-api.js';

const silent = { info() {}, warn() {}, error() {} };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ccai-messenger-'));
  dirs.push(d);
  return d;
};

describe('createMessengerChannel', () => {
  it('is not mounted unless the app secret, verify token and page token are all set', () => {
    const dataDir = tempDir();
    expect(createMessengerChannel(loadConfig({}), { dataDir, log: silent })).toBeNull();
    expect(createMessengerChannel(loadConfig({ MESSENGER_APP_SECRET: 's', MESSENGER_VERIFY_TOKEN: 'v' }), { dataDir, log: silent })).toBeNull();
  });

  it('mounts the webhook, sends through the Send API, keeps failures in channels.sqlite, and finishes its work on close', async () => {
    const dataDir = tempDir();
    const graph = await startFakeGraphApi({ pageToken: 'tok' });
    const channel = createMessengerChannel(
      loadConfig({ MESSENGER_APP_SECRET: 'sec', MESSENGER_VERIFY_TOKEN: 'ver', MESSENGER_PAGE_TOKEN: 'tok', MESSENGER_GRAPH_BASE_URL: graph.baseUrl }),
      { dataDir, log: silent },
    )!;
    const seen: InboundMessage[] = [];
    const app = Fastify();
    channel.register(app, {
      handle: async (msg) => {
        seen.push(msg);
        await channel.sender.send(msg.userId, { author: 'bot', text: 'Đã nhận.' });
        return { outcome: 'answered', replies: [] };
      },
    });
    await app.ready();
    const raw = JSON.stringify({ object: 'page', entry: [{ messaging: [{ sender: { id: 'p1' }, timestamp: Date.now(), message: { mid: 'm1', text: 'hi' } }] }] });
    const res = await app.inject({ method: 'POST', url: '/webhooks/messenger', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMessengerBody(raw, 'sec') }, payload: raw });
    expect(res.statusCode).toBe(200);
    await channel.close();
    expect(seen.map((m) => m.messageId)).toEqual(['m1']);
    expect(graph.delivered().map((b) => b.message?.text)).toEqual(['Đã nhận.']);
    await app.close();
    await graph.close();

    // The failure log it opened is the shared channels.sqlite one.
    const failures = new SqliteOutboundFailureLog({ dataDir });
    expect(await failures.list(5)).toEqual([]);
    await failures.close();
  });
});
