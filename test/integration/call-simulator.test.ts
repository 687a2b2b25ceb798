import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { runCallCommand } from '../../src/commands/call-command.js';
import { CallSimulator } from '../../src/telephony/call-simulator.js';
import { registerVoiceWebhooks } from '../../src/telephony/turn/voice-webhooks.js';
import type { TelephonyConfig } from '../../src/telephony/voice-turn.js';
import { answerFor, GOODBYE, GREETING, NOT_HEARD, RATING_ASK, ScriptedVoiceDialog, summaryFor, TRANSFER_SAY } from '../unit/telephony/turn/scripted-voice-dialog.js';

/**
 * The call simulator against a real listening server (the turn-mode webhooks with a scripted
 * dialog): everything it sends is signed and checked, everything it hears comes from the TwiML.
 */
const AUTH_TOKEN = 'simulator-auth-token-0123456789abcdef';
const FROM = '+84912345678';
const TO = '+842838000001';

interface Server {
  app: FastifyInstance;
  dialog: ScriptedVoiceDialog;
  baseUrl: string;
  publicBaseUrl: string;
}

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.app.close()));
  servers = [];
});

async function startServer(transfer: TelephonyConfig['transfer']): Promise<Server> {
  const dialog = new ScriptedVoiceDialog();
  const app = Fastify({ logger: false });
  // PUBLIC_BASE_URL is Twilio's view of the server (a proxy in production), deliberately not the
  // listening address: the simulator must sign over it and send to the real one.
  const publicBaseUrl = 'https://tongdai.example.gov.vn';
  const config: TelephonyConfig = { publicBaseUrl, authToken: AUTH_TOKEN, mode: 'turn', voice: 'Google.vi-VN-Wavenet-A', transfer };
  await registerVoiceWebhooks(app, { config, dialog, log: { warn: () => undefined, error: () => undefined } });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const server = { app, dialog, baseUrl, publicBaseUrl };
  servers.push(server);
  return server;
}

describe('CallSimulator', () => {
  it('greeting, a question, key 0 → queue → hold → operator whisper → bridged → rating → hang-up with the status callback', async () => {
    const server = await startServer({ kind: 'queue', queueName: 'hanh-chinh-cong' });
    const printed: string[] = [];
    const call = new CallSimulator({ baseUrl: server.baseUrl, publicBaseUrl: server.publicBaseUrl, authToken: AUTH_TOKEN, from: FROM, to: TO, print: (l) => printed.push(l) });

    expect(await call.start()).toEqual({ says: [GREETING], events: [], ended: false });
    expect(await call.say('đăng ký khai sinh cho con')).toEqual({ says: [answerFor('đăng ký khai sinh cho con')], events: [], ended: false });
    expect((await call.silence()).says).toEqual([NOT_HEARD]);

    const transfer = await call.press('0');
    expect(transfer.says[0]).toBe(TRANSFER_SAY);
    expect(transfer.says[1]).toContain('vị trí thứ nhất trong hàng chờ');
    expect(transfer.says.slice(2)).toEqual(['Đang kết nối anh chị với cán bộ.', RATING_ASK]);
    expect(transfer.events).toEqual(['vào hàng chờ hanh-chinh-cong', `cán bộ nghe: ${summaryFor('đăng ký khai sinh cho con')}`, 'đã nối máy với cán bộ — mô phỏng']);
    expect(transfer.ended).toBe(false);

    const rated = await call.press('5');
    expect(rated).toEqual({ says: [GOODBYE], events: ['cuộc gọi kết thúc'], ended: true });
    await expect(call.say('còn nữa')).rejects.toThrow(/not waiting/);

    const methods = server.dialog.calls.map((c) => c.method);
    expect(methods).toEqual(['start', 'input', 'input', 'input', 'queuedSummary', 'transferEnded', 'input', 'ended']);
    const inputs = server.dialog.calls.flatMap((c) => (c.method === 'input' ? [c.input] : []));
    expect(inputs).toEqual([
      { kind: 'speech', text: 'đăng ký khai sinh cho con', confidence: 0.92 },
      { kind: 'silence' },
      { kind: 'digits', digits: '0' },
      { kind: 'digits', digits: '5' },
    ]);
    expect(server.dialog.calls.at(-1)).toMatchObject({ method: 'ended', callSid: call.callSid, end: { status: 'completed' } });
    expect(printed[0]).toBe(`🔊 ${GREETING}`);
    expect(printed).toContain('[đã nối máy với cán bộ — mô phỏng]');
  });

  it('dial mode: the operator hears the whisper of this call, then the dial result comes back as answered', async () => {
    const server = await startServer({ kind: 'dial', number: '+842838000050', timeoutS: 20 });
    const call = new CallSimulator({ baseUrl: server.baseUrl, publicBaseUrl: server.publicBaseUrl, authToken: AUTH_TOKEN, from: FROM, to: TO });
    await call.start();
    await call.respond('cấp lại căn cước');
    const transfer = await call.respond('0');
    expect(transfer.events).toEqual(['gọi tới cán bộ +842838000050', `cán bộ nghe: ${summaryFor('cấp lại căn cước')}`, 'đã nối máy với cán bộ — mô phỏng']);
    expect(transfer.says).toEqual([TRANSFER_SAY, RATING_ASK]);
    expect(server.dialog.calls.filter((c) => c.method === 'summary' || c.method === 'transferEnded')).toEqual([
      { method: 'summary', callSid: call.callSid },
      { method: 'transferEnded', callSid: call.callSid, outcome: 'answered' },
    ]);
  });

  it('hanging up mid-call posts the status callback once; a wrong auth token fails loudly on the first request', async () => {
    const server = await startServer({ kind: 'queue', queueName: 'hanh-chinh-cong' });
    const call = new CallSimulator({ baseUrl: server.baseUrl, publicBaseUrl: server.publicBaseUrl, authToken: AUTH_TOKEN, from: FROM, to: TO });
    await call.start();
    expect(await call.hangUp()).toEqual({ says: [], events: ['người gọi gác máy'], ended: true });
    expect(await call.hangUp()).toEqual({ says: [], events: [], ended: true });
    expect(server.dialog.calls.filter((c) => c.method === 'ended')).toHaveLength(1);

    const forged = new CallSimulator({ baseUrl: server.baseUrl, publicBaseUrl: server.publicBaseUrl, authToken: 'wrong-token', from: FROM, to: TO });
    await expect(forged.start()).rejects.toThrow(/answered 403/);
  });

  it('the call command drives a running server from typed lines (--url), Ctrl-D hanging up', async () => {
    const server = await startServer({ kind: 'queue', queueName: 'hanh-chinh-cong' });
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCallCommand(['--url', server.baseUrl, '--from', FROM], {
      input: Readable.from(['thủ tục kết hôn\n', '\n']),
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL: server.publicBaseUrl },
    });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.slice(1)).toEqual([`🔊 ${GREETING}`, `🔊 ${answerFor('thủ tục kết hôn')}`, `🔊 ${NOT_HEARD}`, '[người gọi gác máy]']);
    expect(server.dialog.calls.map((c) => c.method)).toEqual(['start', 'input', 'input', 'ended']);

    const missingEnv = await runCallCommand(['--url', server.baseUrl], { input: Readable.from([]), out: () => undefined, err: (l) => err.push(l), env: {} });
    expect(missingEnv).toBe(1);
    expect(err[0]).toMatch(/TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL/);
  });
});
