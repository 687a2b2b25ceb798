import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSenders } from '../../../../src/channels/channel-sender.js';
import { MiniAppConversationStore } from '../../../../src/channels/mini-app/miniapp-conversation-store.js';
import { miniAppUserKey } from '../../../../src/channels/mini-app/miniapp-user-id.js';
import { MiniAppSender } from '../../../../src/channels/mini-app/mini-app-sender.js';

let clock = Date.parse('2026-03-02T08:00:00.000Z');
let store: MiniAppConversationStore;

beforeEach(() => {
  store = new MiniAppConversationStore(':memory:', 7 * 24 * 3600_000, () => clock);
});
afterEach(() => store.close());

describe('MiniAppSender', () => {
  it('keeps system and bot messages for the history; officers\' words are the queue\'s to keep', async () => {
    const senders = new ChannelSenders();
    senders.register(new MiniAppSender(store));
    await senders.send('mini_app', 'user-a', { author: 'system', text: 'Cán bộ Lan đã tiếp nhận.' });
    await senders.send('mini_app', 'user-a', { author: 'staff', text: 'Chào anh.' });
    clock += 1000;
    await senders.send('mini_app', 'user-a', { author: 'bot', text: 'Tôi tiếp tục trả lời.' });
    await senders.send('mini_app', 'user-b', { author: 'system', text: 'Khác.' });
    expect(store.notices('user-a').map((n) => [n.author, n.text])).toEqual([
      ['system', 'Cán bộ Lan đã tiếp nhận.'],
      ['bot', 'Tôi tiếp tục trả lời.'],
    ]);
  });

  it('forgets notices and the last conversation after the retention period', () => {
    store.addNotice('user-a', 'system', 'cũ');
    store.rememberConversation('user-a', 'conv-1');
    store.rememberConversation('user-a', 'conv-2');
    expect(store.lastConversation('user-a')).toBe('conv-2');
    clock += 7 * 24 * 3600_000 + 1;
    expect(store.notices('user-a')).toEqual([]);
    expect(store.lastConversation('user-a')).toBeUndefined();
  });
});

describe('miniAppUserKey', () => {
  it('is a keyed hash: stable, per app, per secret, and usable as a session id', () => {
    const k = miniAppUserKey('secret-0123456789abcdef', 'ihanoi', '0912345678');
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(k).not.toContain('0912345678');
    expect(miniAppUserKey('secret-0123456789abcdef', 'ihanoi', '0912345678')).toBe(k);
    expect(miniAppUserKey('secret-0123456789abcdef', 'staging', '0912345678')).not.toBe(k);
    expect(miniAppUserKey('another-secret-01234567', 'ihanoi', '0912345678')).not.toBe(k);
  });
});
