import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelSenders } from '../../../../src/channels/channel-sender.js';
import { SqliteWebOutbox } from '../../../../src/channels/web/sqlite-web-outbox.js';
import { WebSender } from '../../../../src/channels/web/web-sender.js';

const dirs: string[] = [];
const open: SqliteWebOutbox[] = [];
function outbox(dataDir?: string, ttlMs?: number, now?: () => number): SqliteWebOutbox {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'ccai-outbox-'));
  if (!dataDir) dirs.push(dir);
  const o = new SqliteWebOutbox({ dataDir: dir }, ttlMs, now);
  open.push(o);
  return o;
}
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SqliteWebOutbox and WebSender', () => {
  it('the web sender writes each message to its session, read back in order after an id', async () => {
    const box = outbox();
    const senders = new ChannelSenders();
    senders.register(new WebSender(box));
    await senders.send('web', 'session-aaaaaaaa', { author: 'system', text: 'Vị trí 1' });
    await senders.send('web', 'session-bbbbbbbb', { author: 'system', text: 'khác' });
    await senders.send('web', 'session-aaaaaaaa', { author: 'staff', text: 'Chào anh', staffName: 'Lan' });

    const all = await box.after('session-aaaaaaaa', 0);
    expect(all.map((e) => e.message.text)).toEqual(['Vị trí 1', 'Chào anh']);
    expect(all[1]?.message).toMatchObject({ author: 'staff', staffName: 'Lan' });
    expect(all[0]!.id).toBeLessThan(all[1]!.id);
    expect(await box.after('session-aaaaaaaa', all[0]!.id)).toHaveLength(1);
    expect(await box.after('session-aaaaaaaa', all[1]!.id)).toEqual([]);
  });

  it('what one worker writes, another worker on the same file reads', async () => {
    const writer = outbox();
    const dir = dirs[0]!;
    const reader = outbox(dir);
    await new WebSender(writer).send('session-cccccccc', { author: 'staff', text: 'Tôi là cán bộ Minh' });
    expect((await reader.after('session-cccccccc', 0)).map((e) => e.message.text)).toEqual(['Tôi là cán bộ Minh']);
  });

  it('old entries are swept after the retention time', async () => {
    let t = 1_000_000;
    const box = outbox(undefined, 60_000, () => t);
    await box.append('session-dddddddd', { author: 'system', text: 'old' });
    t += 120_000;
    // The sweep runs every 500 writes.
    for (let i = 0; i < 499; i++) await box.append('session-eeeeeeee', { author: 'system', text: String(i) });
    expect(await box.after('session-dddddddd', 0)).toEqual([]);
  });
});
