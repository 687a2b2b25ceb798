import { describe, expect, it } from 'vitest';
import { parseMessengerEvents } from '../../../../src/channels/messenger/messenger-events.js';

const T = 1_750_000_000_000;
const delivery = (...messaging: object[]) => ({ object: 'page', entry: [{ id: 'PAGE', time: T, messaging }] });
const from = (psid: string, extra: object) => ({ sender: { id: psid }, recipient: { id: 'PAGE' }, timestamp: T, ...extra });

describe('parseMessengerEvents', () => {
  it('maps a text message to an InboundMessage (PSID, mid, sent time)', () => {
    const [e] = parseMessengerEvents(delivery(from('123', { message: { mid: 'm_1', text: 'le phi khai sinh' } })));
    expect(e).toEqual({
      kind: 'message',
      psid: '123',
      at: T,
      message: { channel: 'messenger', userId: '123', messageId: 'm_1', text: 'le phi khai sinh', sentAt: new Date(T).toISOString() },
    });
  });

  it('carries a quick reply payload and a postback payload', () => {
    const events = parseMessengerEvents(
      delivery(
        from('1', { message: { mid: 'm_2', text: '2. Đổi', quick_reply: { payload: '3.000347' } } }),
        from('1', { postback: { mid: 'm_3', title: 'Gặp cán bộ', payload: 'HANDOFF' } }),
        from('1', { postback: { title: 'Bắt đầu', payload: 'GET_STARTED' } }),
      ),
    );
    expect(events.map((e) => (e.kind === 'message' ? [e.message.messageId, e.message.text, e.message.payload] : e.kind))).toEqual([
      ['m_2', '2. Đổi', '3.000347'],
      ['m_3', 'Gặp cán bộ', 'HANDOFF'],
      [`postback:1:${T}`, 'Bắt đầu', 'GET_STARTED'],
    ]);
  });

  it('skips echoes, delivery and read receipts, and other events', () => {
    const events = parseMessengerEvents(
      delivery(
        from('PAGE', { message: { mid: 'm_echo', text: 'our own reply', is_echo: true, app_id: 1 } }),
        from('1', { delivery: { mids: ['m_9'], watermark: T } }),
        from('1', { read: { watermark: T } }),
        from('1', { reaction: { mid: 'm_1', action: 'react', emoji: '👍' } }),
        { recipient: { id: 'PAGE' }, timestamp: T, message: { mid: 'x', text: 'no sender' } },
      ),
    );
    expect(events.map((e) => (e.kind === 'skip' ? e.reason : e.kind))).toEqual(['echo', 'delivery', 'read', 'other', 'other']);
  });

  it('tells a non-text attachment apart (the "text only" notice)', () => {
    const [e] = parseMessengerEvents(delivery(from('7', { message: { mid: 'm_img', attachments: [{ type: 'image', payload: { url: 'https://x' } }] } })));
    expect(e).toEqual({ kind: 'attachment', psid: '7', at: T, mid: 'm_img' });
  });

  it('reads every entry in order and ignores what is not a page delivery', () => {
    const body = {
      object: 'page',
      entry: [
        { messaging: [from('1', { message: { mid: 'a', text: 'một' } })] },
        { messaging: [from('2', { message: { mid: 'b', text: 'hai' } })] },
      ],
    };
    expect(parseMessengerEvents(body).map((e) => e.psid)).toEqual(['1', '2']);
    expect(parseMessengerEvents({ object: 'instagram', entry: body.entry })).toEqual([]);
    expect(parseMessengerEvents({ object: 'page', entry: 'x' })).toEqual([]);
    expect(parseMessengerEvents(null)).toEqual([]);
  });
});
