import { describe, expect, it } from 'vitest';
import { elementsOf, parseTwiml, textOf, type TwimlElement } from '../../../../src/telephony/turn/parse-twiml.js';
import { renderConnectTwiml, renderTwiml } from '../../../../src/telephony/turn/render-twiml.js';
import type { TelephonyConfig, VoiceTurn } from '../../../../src/telephony/voice-turn.js';

const QUEUE: TelephonyConfig = {
  publicBaseUrl: 'https://tongdai.example.gov.vn',
  authToken: 'token',
  mode: 'turn',
  voice: 'Google.vi-VN-Wavenet-A',
  transfer: { kind: 'queue', queueName: 'hanh-chinh-cong' },
};
const DIAL: TelephonyConfig = { ...QUEUE, transfer: { kind: 'dial', number: '+842838000000', timeoutS: 20 } };
const CALL = 'CA0123456789abcdef0123456789abcdef';

const render = (turn: VoiceTurn, config = QUEUE) => parseTwiml(renderTwiml(turn, { config, callSid: CALL }));
const verbs = (root: TwimlElement) => elementsOf(root).map((e) => e.name);

function expectSayVi(say: TwimlElement | undefined, text: string) {
  expect(say?.name).toBe('Say');
  expect(say?.attrs).toEqual({ language: 'vi-VN', voice: 'Google.vi-VN-Wavenet-A' });
  expect(textOf(say as TwimlElement)).toBe(text);
}

describe('renderTwiml', () => {
  it('listen for one key: the says go inside a speech+dtmf Gather, then a Redirect to no-input', () => {
    const root = render({
      actions: [
        { kind: 'say', text: 'Xin chào, tôi là trợ lý hành chính công.' },
        { kind: 'say', text: 'Nhấn phím không để gặp cán bộ.' },
        { kind: 'listen', listen: { digits: 'one', hints: ['căn cước', 'khai sinh'], timeoutS: 6 } },
      ],
    });
    expect(root.name).toBe('Response');
    expect(verbs(root)).toEqual(['Gather', 'Redirect']);
    const [gather, redirect] = elementsOf(root) as [TwimlElement, TwimlElement];
    expect(gather.attrs).toEqual({
      input: 'speech dtmf',
      language: 'vi-VN',
      action: '/telephony/voice/gather',
      method: 'POST',
      actionOnEmptyResult: 'true',
      speechTimeout: 'auto',
      timeout: '6',
      hints: 'căn cước, khai sinh',
      numDigits: '1',
    });
    const says = elementsOf(gather);
    expect(says).toHaveLength(2);
    expectSayVi(says[0], 'Xin chào, tôi là trợ lý hành chính công.');
    expectSayVi(says[1], 'Nhấn phím không để gặp cán bộ.');
    expect(redirect.attrs).toEqual({ method: 'POST' });
    expect(textOf(redirect)).toBe('/telephony/voice/no-input');
  });

  it('listen for many keys ends on # with no numDigits, and no hints attribute when there are none', () => {
    const root = render({ actions: [{ kind: 'say', text: 'Anh chị nhập mã hồ sơ rồi nhấn phím thăng.' }, { kind: 'listen', listen: { digits: 'many', hints: [], timeoutS: 10 } }] });
    const gather = elementsOf(root)[0] as TwimlElement;
    expect(gather.attrs.finishOnKey).toBe('#');
    expect(gather.attrs.numDigits).toBeUndefined();
    expect(gather.attrs.hints).toBeUndefined();
    expect(gather.attrs.timeout).toBe('10');
  });

  it('escapes < and & in spoken text instead of breaking the XML', () => {
    const text = 'Phí <50.000 đồng> & lệ phí "khác"';
    const raw = renderTwiml({ actions: [{ kind: 'say', text }, { kind: 'hangup' }] }, { config: QUEUE, callSid: CALL });
    expect(raw).toContain('Phí &lt;50.000 đồng&gt; &amp; lệ phí');
    expect(raw).not.toContain('<50.000');
    expectSayVi(elementsOf(parseTwiml(raw))[0], text);
  });

  it('hangup: the says, then Hangup', () => {
    const root = render({ actions: [{ kind: 'say', text: 'Cảm ơn anh chị đã gọi.' }, { kind: 'hangup' }] });
    expect(verbs(root)).toEqual(['Say', 'Hangup']);
    expectSayVi(elementsOf(root)[0], 'Cảm ơn anh chị đã gọi.');
  });

  it('transfer to a queue: Say then Enqueue with the hold waitUrl and the queue-result action', () => {
    const root = render({ actions: [{ kind: 'say', text: 'Tôi chuyển anh chị tới cán bộ.' }, { kind: 'transfer', reason: 'caller_request', summary: 'Hỏi về khai sinh.' }] });
    expect(verbs(root)).toEqual(['Say', 'Enqueue']);
    const enqueue = elementsOf(root)[1] as TwimlElement;
    expect(enqueue.attrs).toEqual({ waitUrl: '/telephony/voice/hold', waitUrlMethod: 'POST', action: '/telephony/voice/queue-result', method: 'POST' });
    expect(textOf(enqueue)).toBe('hanh-chinh-cong');
  });

  it('transfer by dial: Dial with timeout and dial-result action, the Number carrying the whisper url of this call', () => {
    const root = render({ actions: [{ kind: 'say', text: 'Tôi chuyển anh chị tới cán bộ.' }, { kind: 'transfer', reason: 'complaint', summary: 'Khiếu nại.' }] }, DIAL);
    expect(verbs(root)).toEqual(['Say', 'Dial']);
    const dial = elementsOf(root)[1] as TwimlElement;
    expect(dial.attrs).toEqual({ timeout: '20', action: '/telephony/voice/dial-result', method: 'POST' });
    const number = elementsOf(dial)[0] as TwimlElement;
    expect(number.name).toBe('Number');
    expect(number.attrs).toEqual({ url: `/telephony/voice/whisper?call=${CALL}`, method: 'POST' });
    expect(textOf(number)).toBe('+842838000000');
  });

  it('refuses a turn that does not end with listen, transfer or hangup, or has one in the middle', () => {
    expect(() => renderTwiml({ actions: [] }, { config: QUEUE, callSid: CALL })).toThrow(/must end/);
    expect(() => renderTwiml({ actions: [{ kind: 'say', text: 'Xin chào' }] }, { config: QUEUE, callSid: CALL })).toThrow(/must end/);
    expect(() => renderTwiml({ actions: [{ kind: 'hangup' }, { kind: 'say', text: 'a' }, { kind: 'hangup' }] }, { config: QUEUE, callSid: CALL })).toThrow(/before its last/);
  });
});

describe('renderConnectTwiml', () => {
  it('relay: Connect to ConversationRelay on the wss relay socket, Vietnamese Google voice without the prefix', () => {
    const root = parseTwiml(renderConnectTwiml({ ...QUEUE, mode: 'relay' }, { from: '+84912345678', to: '+842838000001' }));
    const connect = elementsOf(root)[0] as TwimlElement;
    expect(verbs(root)).toEqual(['Connect']);
    expect(connect.attrs).toEqual({ action: '/telephony/voice/connect-ended', method: 'POST' });
    const relay = elementsOf(connect)[0] as TwimlElement;
    expect(relay.name).toBe('ConversationRelay');
    expect(relay.attrs).toEqual({
      url: 'wss://tongdai.example.gov.vn/telephony/relay',
      language: 'vi-VN',
      ttsProvider: 'Google',
      voice: 'vi-VN-Wavenet-A',
      transcriptionProvider: 'Google',
      dtmfDetection: 'true',
      interruptible: 'any',
    });
  });

  it('media: Connect to a Stream on the media socket with from/to as Parameters (no query string)', () => {
    const root = parseTwiml(renderConnectTwiml({ ...QUEUE, mode: 'media', publicBaseUrl: 'http://127.0.0.1:3000' }, { from: '+84912345678', to: '+842838000001' }));
    const stream = elementsOf(elementsOf(root)[0] as TwimlElement)[0] as TwimlElement;
    expect(stream.name).toBe('Stream');
    expect(stream.attrs).toEqual({ url: 'ws://127.0.0.1:3000/telephony/media' });
    expect(elementsOf(stream).map((p) => [p.name, p.attrs])).toEqual([
      ['Parameter', { name: 'from', value: '+84912345678' }],
      ['Parameter', { name: 'to', value: '+842838000001' }],
    ]);
  });
});
