import { describe, expect, it } from 'vitest';
import { elementsOf, parseTwiml, textOf, type TwimlElement } from '../../../../src/telephony/turn/parse-twiml.js';
import {
  APOLOGY_HANGUP,
  APOLOGY_TRANSFER,
  renderApologyTwiml,
  renderHoldKeyTwiml,
  renderHoldTwiml,
  renderOperatorTwiml,
  renderWhisperTwiml,
} from '../../../../src/telephony/turn/queue-twiml.js';
import type { TelephonyConfig } from '../../../../src/telephony/voice-turn.js';

const QUEUE: TelephonyConfig = {
  publicBaseUrl: 'https://tongdai.example.gov.vn',
  authToken: 'token',
  mode: 'turn',
  voice: 'Google.vi-VN-Wavenet-A',
  transfer: { kind: 'queue', queueName: 'hanh-chinh-cong' },
};
const verbs = (xml: string) => elementsOf(parseTwiml(xml)).map((e) => e.name);
const el = (xml: string, index: number) => elementsOf(parseTwiml(xml))[index] as TwimlElement;

describe('hold places in words', () => {
  it('reads the place as a Vietnamese ordinal (nhất, tư), never digits', () => {
    const place = (n: number) => textOf(el(renderHoldTwiml(QUEUE, { position: String(n) }), 0)).split('.')[0];
    expect([1, 2, 4, 15, 21].map(place)).toEqual([
      'Anh chị đang ở vị trí thứ nhất trong hàng chờ',
      'Anh chị đang ở vị trí thứ hai trong hàng chờ',
      'Anh chị đang ở vị trí thứ tư trong hàng chờ',
      'Anh chị đang ở vị trí thứ mười lăm trong hàng chờ',
      'Anh chị đang ở vị trí thứ hai mươi mốt trong hàng chờ',
    ]);
  });
});

describe('renderHoldTwiml', () => {
  it('says the place in words, then a 15 s pause (Twilio replays the waitUrl)', () => {
    const xml = renderHoldTwiml(QUEUE, { position: '2', queueTimeS: '40' });
    expect(verbs(xml)).toEqual(['Say', 'Pause']);
    expect(textOf(el(xml, 0))).toBe('Anh chị đang ở vị trí thứ hai trong hàng chờ. Cán bộ sẽ nghe máy ngay khi rảnh, anh chị vui lòng giữ máy.');
    expect(el(xml, 0).attrs.language).toBe('vi-VN');
    expect(el(xml, 1).attrs).toEqual({ length: '15' });
  });

  it('without a usable position says the caller is waiting, with no digits', () => {
    const text = textOf(el(renderHoldTwiml(QUEUE, { position: 'abc' }), 0));
    expect(text).toContain('Anh chị đang trong hàng chờ gặp cán bộ.');
    expect(text).not.toMatch(/\d/);
  });

  it('after five minutes offers key 1 for a call-back inside a dtmf Gather posting to hold-key', () => {
    const xml = renderHoldTwiml(QUEUE, { position: '3', queueTimeS: '310' });
    expect(verbs(xml)).toEqual(['Gather', 'Pause']);
    const gather = el(xml, 0);
    expect(gather.attrs).toMatchObject({ input: 'dtmf', numDigits: '1', action: '/telephony/voice/hold-key', method: 'POST' });
    const say = textOf(elementsOf(gather)[0] as TwimlElement);
    expect(say).toContain('vị trí thứ ba');
    expect(say).toContain('đã chờ năm phút');
    expect(say).toContain('nhấn phím một để được gọi lại');
    expect(say).not.toMatch(/\d/);
  });
});

describe('hold key, whisper, operator, apology', () => {
  it('key 1 leaves the queue; another key keeps waiting', () => {
    expect(verbs(renderHoldKeyTwiml(QUEUE, '1'))).toEqual(['Leave']);
    expect(verbs(renderHoldKeyTwiml(QUEUE, '5'))).toEqual(['Say']);
  });

  it('whisper says the summary, or a generic line for an unknown call', () => {
    expect(textOf(el(renderWhisperTwiml(QUEUE, 'Công dân hỏi về khai sinh.'), 0))).toBe('Công dân hỏi về khai sinh.');
    expect(verbs(renderWhisperTwiml(QUEUE, null))).toEqual(['Say']);
  });

  it('operator: the queued summary then Dial/Queue with the connecting url; nobody waiting → Say + Hangup', () => {
    const xml = renderOperatorTwiml(QUEUE, 'Công dân hỏi về khai sinh.');
    expect(verbs(xml)).toEqual(['Say', 'Dial']);
    const queue = elementsOf(el(xml, 1))[0] as TwimlElement;
    expect(queue.name).toBe('Queue');
    expect(queue.attrs).toEqual({ url: '/telephony/voice/connecting', method: 'POST' });
    expect(textOf(queue)).toBe('hanh-chinh-cong');
    const none = renderOperatorTwiml(QUEUE, null);
    expect(verbs(none)).toEqual(['Say', 'Hangup']);
    expect(textOf(el(none, 0))).toBe('Không có cuộc gọi nào đang chờ.');
  });

  it('apology then transfer, or apology then hang-up', () => {
    const transfer = renderApologyTwiml(QUEUE, 'CA1', 'transfer');
    expect(verbs(transfer)).toEqual(['Say', 'Enqueue']);
    expect(textOf(el(transfer, 0))).toBe(APOLOGY_TRANSFER);
    const hangup = renderApologyTwiml(QUEUE, 'CA1', 'hangup');
    expect(verbs(hangup)).toEqual(['Say', 'Hangup']);
    expect(textOf(el(hangup, 0))).toBe(APOLOGY_HANGUP);
  });
});
