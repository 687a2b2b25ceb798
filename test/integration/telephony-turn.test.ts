import Fastify, { type FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { elementsOf, parseTwiml, textOf, type TwimlElement } from '../../src/telephony/turn/parse-twiml.js';
import { APOLOGY_HANGUP, APOLOGY_TRANSFER } from '../../src/telephony/turn/queue-twiml.js';
import { registerVoiceWebhooks } from '../../src/telephony/turn/voice-webhooks.js';
import type { TelephonyConfig } from '../../src/telephony/voice-turn.js';
import { answerFor, GREETING, RATING_ASK, ScriptedVoiceDialog, summaryFor } from '../unit/telephony/turn/scripted-voice-dialog.js';

/**
 * The turn-mode webhooks in a real Fastify instance with a scripted dialog: requests signed with
 * the official `twilio` library over the URL Twilio would call (PUBLIC_BASE_URL + path), answered
 * with TwiML that is parsed back; each route must reach the right dialog method with the right
 * arguments, refuse bad signatures with an empty 403, and answer TwiML even when the dialog fails.
 */
const AUTH_TOKEN = 'twilio-auth-token-for-tests-0123456789';
const CONFIG: TelephonyConfig = {
  publicBaseUrl: 'https://tongdai.example.gov.vn',
  authToken: AUTH_TOKEN,
  mode: 'turn',
  voice: 'Google.vi-VN-Wavenet-A',
  transfer: { kind: 'queue', queueName: 'hanh-chinh-cong' },
};
const CALL = 'CA11111111111111111111111111111111';
const BASE = { CallSid: CALL, AccountSid: 'AC00000000000000000000000000000000', From: '+84912345678', To: '+842838000001' };

interface Logged {
  level: 'warn' | 'error';
  obj: object;
  msg: string;
}

async function appWith(config: TelephonyConfig, dialog: ScriptedVoiceDialog, logged: Logged[]): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await registerVoiceWebhooks(app, {
    config,
    dialog,
    log: { warn: (obj, msg) => logged.push({ level: 'warn', obj, msg }), error: (obj, msg) => logged.push({ level: 'error', obj, msg }) },
  });
  await app.ready();
  return app;
}

function signed(path: string, params: Record<string, string>, token = AUTH_TOKEN) {
  return {
    method: 'POST' as const,
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(token, `${CONFIG.publicBaseUrl}${path}`, params),
    },
    payload: new URLSearchParams(params).toString(),
  };
}

const verbs = (root: TwimlElement) => elementsOf(root).map((e) => e.name);
/** Every `<Say>` text in document order, nested ones (inside a Gather) included. */
function saysOf(el: TwimlElement): string[] {
  return elementsOf(el).flatMap((c) => (c.name === 'Say' ? [textOf(c)] : saysOf(c)));
}

let dialog: ScriptedVoiceDialog;
let logged: Logged[];
let app: FastifyInstance;

async function post(path: string, params: Record<string, string>): Promise<TwimlElement> {
  const res = await app.inject(signed(path, params));
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/xml/);
  return parseTwiml(res.body);
}

beforeAll(async () => {
  dialog = new ScriptedVoiceDialog();
  logged = [];
  app = await appWith(CONFIG, dialog, logged);
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  dialog.calls.length = 0;
  dialog.failing.clear();
  logged.length = 0;
});

describe('signature check', () => {
  it('refuses a missing, wrong-token or tampered signature with 403 and an empty body, before the dialog', async () => {
    const unsigned = await app.inject({ method: 'POST', url: '/telephony/voice/incoming', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(BASE).toString() });
    const wrongToken = await app.inject(signed('/telephony/voice/incoming', BASE, 'another-token'));
    const tampered = signed('/telephony/voice/gather', { ...BASE, Digits: '1' });
    tampered.payload = new URLSearchParams({ ...BASE, Digits: '0' }).toString();
    const tamperedRes = await app.inject(tampered);
    for (const res of [unsigned, wrongToken, tamperedRes]) {
      expect(res.statusCode).toBe(403);
      expect(res.body).toBe('');
    }
    expect(dialog.calls).toEqual([]);
    expect(logged.filter((l) => l.level === 'warn')).toHaveLength(3);
  });

  it('checks the URL built from PUBLIC_BASE_URL, query string included (a signature over another host fails)', async () => {
    const params = { ...BASE };
    const otherHost = twilio.getExpectedTwilioSignature(AUTH_TOKEN, 'http://localhost:80/telephony/voice/incoming', params);
    const res = await app.inject({ ...signed('/telephony/voice/incoming', params), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': otherHost } });
    expect(res.statusCode).toBe(403);
    const whisperSignedWithoutQuery = signed('/telephony/voice/whisper', BASE);
    const res2 = await app.inject({ ...whisperSignedWithoutQuery, url: `/telephony/voice/whisper?call=${CALL}` });
    expect(res2.statusCode).toBe(403);
  });

  it('a signed request without CallSid is a 400', async () => {
    const res = await app.inject(signed('/telephony/voice/incoming', { From: BASE.From, To: BASE.To }));
    expect(res.statusCode).toBe(400);
    expect(dialog.calls).toEqual([]);
  });
});

describe('routes → dialog', () => {
  it('incoming starts the dialog in turn mode and answers its TwiML (greeting inside a Gather)', async () => {
    const root = await post('/telephony/voice/incoming', BASE);
    expect(dialog.calls).toEqual([{ method: 'start', call: { callSid: CALL, from: BASE.From, to: BASE.To, mode: 'turn' } }]);
    expect(verbs(root)).toEqual(['Gather', 'Redirect']);
    expect(saysOf(root)).toEqual([GREETING]);
  });

  it('gather maps speech (with confidence), digits, and empty results; 0.0 confidence counts as unknown', async () => {
    await post('/telephony/voice/incoming', BASE);
    dialog.calls.length = 0;
    const answer = await post('/telephony/voice/gather', { ...BASE, SpeechResult: ' đăng ký khai sinh ', Confidence: '0.87' });
    expect(saysOf(answer)).toEqual([answerFor('đăng ký khai sinh')]);
    await post('/telephony/voice/gather', { ...BASE, SpeechResult: 'làm căn cước', Confidence: '0.0' });
    await post('/telephony/voice/gather', { ...BASE, Digits: '3' });
    await post('/telephony/voice/gather', { ...BASE, SpeechResult: '', Digits: '' });
    await post('/telephony/voice/no-input', BASE);
    expect(dialog.calls).toEqual([
      { method: 'input', callSid: CALL, input: { kind: 'speech', text: 'đăng ký khai sinh', confidence: 0.87 } },
      { method: 'input', callSid: CALL, input: { kind: 'speech', text: 'làm căn cước' } },
      { method: 'input', callSid: CALL, input: { kind: 'digits', digits: '3' } },
      { method: 'input', callSid: CALL, input: { kind: 'silence' } },
      { method: 'input', callSid: CALL, input: { kind: 'silence' } },
    ]);
  });

  it('key 0 enqueues; queue-result maps bridged/leave/others; dial-result maps completed/others', async () => {
    await post('/telephony/voice/incoming', BASE);
    const transfer = await post('/telephony/voice/gather', { ...BASE, Digits: '0' });
    expect(verbs(transfer)).toEqual(['Say', 'Enqueue']);
    dialog.calls.length = 0;
    const rating = await post('/telephony/voice/queue-result', { ...BASE, QueueResult: 'bridged', QueueTime: '12' });
    expect(saysOf(rating)).toEqual([RATING_ASK]);
    for (const r of ['leave', 'hangup', 'queue-full', 'system-error']) await post('/telephony/voice/queue-result', { ...BASE, QueueResult: r });
    await post('/telephony/voice/dial-result', { ...BASE, DialCallStatus: 'completed' });
    await post('/telephony/voice/dial-result', { ...BASE, DialCallStatus: 'no-answer' });
    expect(dialog.calls.map((c) => (c.method === 'transferEnded' ? c.outcome : c.method))).toEqual(['answered', 'left_queue', 'unanswered', 'unanswered', 'unanswered', 'answered', 'unanswered']);
  });

  it('connect-ended asks afterStream; status records the end and answers 204', async () => {
    await post('/telephony/voice/incoming', BASE);
    dialog.calls.length = 0;
    const after = await post('/telephony/voice/connect-ended', { ...BASE, HandoffData: '{"reason":"transfer"}' });
    expect(verbs(after)).toEqual(['Say', 'Hangup']);
    const status = await app.inject(signed('/telephony/voice/status', { ...BASE, CallStatus: 'completed', CallDuration: '73' }));
    expect(status.statusCode).toBe(204);
    const noDuration = await app.inject(signed('/telephony/voice/status', { ...BASE, CallStatus: 'busy' }));
    expect(noDuration.statusCode).toBe(204);
    // A progress event (StatusCallbackEvent=ringing/answered) does not end the call.
    const ringing = await app.inject(signed('/telephony/voice/status', { ...BASE, CallStatus: 'ringing' }));
    expect(ringing.statusCode).toBe(204);
    expect(dialog.calls).toEqual([
      { method: 'afterStream', callSid: CALL },
      { method: 'ended', callSid: CALL, end: { durationS: 73, status: 'completed' } },
      { method: 'ended', callSid: CALL, end: { durationS: null, status: 'busy' } },
    ]);
  });

  it('hold says the place in words then pauses; hold-key 1 leaves the queue', async () => {
    const hold = await post('/telephony/voice/hold', { ...BASE, QueuePosition: '2', QueueTime: '30', AvgQueueTime: '45' });
    expect(verbs(hold)).toEqual(['Say', 'Pause']);
    expect(saysOf(hold)[0]).toContain('vị trí thứ hai trong hàng chờ');
    const late = await post('/telephony/voice/hold', { ...BASE, QueuePosition: '1', QueueTime: '301' });
    expect(verbs(late)).toEqual(['Gather', 'Pause']);
    expect(verbs(await post('/telephony/voice/hold-key', { ...BASE, Digits: '1' }))).toEqual(['Leave']);
  });

  it('whisper says the summary of the call named in the query; operator says the queued summary then dials the queue', async () => {
    await post('/telephony/voice/incoming', BASE);
    await post('/telephony/voice/gather', { ...BASE, SpeechResult: 'đăng ký kết hôn', Confidence: '0.9' });
    const operatorLeg = { ...BASE, CallSid: 'CA22222222222222222222222222222222' };
    const empty = await post('/telephony/voice/operator', operatorLeg);
    expect(verbs(empty)).toEqual(['Say', 'Hangup']);
    await post('/telephony/voice/gather', { ...BASE, Digits: '0' });
    dialog.calls.length = 0;
    const whisper = await post(`/telephony/voice/whisper?call=${CALL}`, operatorLeg);
    expect(verbs(whisper)).toEqual(['Say']);
    expect(saysOf(whisper)).toEqual([summaryFor('đăng ký kết hôn')]);
    const operator = await post('/telephony/voice/operator', operatorLeg);
    expect(verbs(operator)).toEqual(['Say', 'Dial']);
    expect(saysOf(operator)).toEqual([summaryFor('đăng ký kết hôn')]);
    const connecting = await post('/telephony/voice/connecting', BASE);
    expect(saysOf(connecting)).toEqual(['Đang kết nối anh chị với cán bộ.']);
    expect(dialog.calls).toEqual([{ method: 'summary', callSid: CALL }, { method: 'queuedSummary' }]);
  });
});

describe('dialog failures', () => {
  it('a failing dialog gets the apology and a transfer, logged as an error, never a 500', async () => {
    dialog.failing.add('start');
    const root = await post('/telephony/voice/incoming', { ...BASE, CallSid: 'CA33333333333333333333333333333333' });
    expect(verbs(root)).toEqual(['Say', 'Enqueue']);
    expect(saysOf(root)).toEqual([APOLOGY_TRANSFER]);
    dialog.failing.add('input');
    const unknownCall = await post('/telephony/voice/gather', { ...BASE, CallSid: 'CA44444444444444444444444444444444', Digits: '1' });
    expect(saysOf(unknownCall)).toEqual([APOLOGY_TRANSFER]);
    expect(logged.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual(['voice dialog failed; caller hears the apology', 'voice dialog failed; caller hears the apology']);
  });

  it('after a transfer ended, a failure ends the call with the apology instead of queueing again', async () => {
    dialog.failing.add('transferEnded');
    const root = await post('/telephony/voice/queue-result', { ...BASE, QueueResult: 'bridged' });
    expect(verbs(root)).toEqual(['Say', 'Hangup']);
    expect(saysOf(root)).toEqual([APOLOGY_HANGUP]);
  });

  it('whisper, operator and status survive a failing dialog', async () => {
    dialog.failing = new Set(['summary', 'queuedSummary', 'ended']);
    expect(verbs(await post(`/telephony/voice/whisper?call=${CALL}`, BASE))).toEqual(['Say']);
    expect(verbs(await post('/telephony/voice/operator', BASE))).toEqual(['Say', 'Dial']);
    const status = await app.inject(signed('/telephony/voice/status', { ...BASE, CallStatus: 'completed', CallDuration: '5' }));
    expect(status.statusCode).toBe(204);
    expect(logged.filter((l) => l.level === 'error')).toHaveLength(3);
  });
});

describe('streaming modes', () => {
  it('incoming answers the Connect TwiML without starting the dialog (the socket does)', async () => {
    const relayDialog = new ScriptedVoiceDialog();
    const relayApp = await appWith({ ...CONFIG, mode: 'relay' }, relayDialog, []);
    const mediaApp = await appWith({ ...CONFIG, mode: 'media' }, relayDialog, []);
    try {
      const relay = parseTwiml((await relayApp.inject(signed('/telephony/voice/incoming', BASE))).body);
      const connect = elementsOf(relay)[0] as TwimlElement;
      expect(connect.name).toBe('Connect');
      expect(elementsOf(connect)[0]?.attrs.url).toBe('wss://tongdai.example.gov.vn/telephony/relay');
      const media = parseTwiml((await mediaApp.inject(signed('/telephony/voice/incoming', BASE))).body);
      const stream = elementsOf(elementsOf(media)[0] as TwimlElement)[0] as TwimlElement;
      expect(stream.attrs.url).toBe('wss://tongdai.example.gov.vn/telephony/media');
      expect(elementsOf(stream).map((p) => p.attrs)).toEqual([{ name: 'from', value: BASE.From }, { name: 'to', value: BASE.To }]);
      expect(relayDialog.calls).toEqual([]);
    } finally {
      await relayApp.close();
      await mediaApp.close();
    }
  });
});
