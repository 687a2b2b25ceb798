import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { elementsOf, parseTwiml, textOf, type TwimlElement } from './turn/parse-twiml.js';
import { VOICE_PATHS } from './turn/render-twiml.js';

export interface CallSimulatorOptions {
  /** Where the server listens (`http://127.0.0.1:3000`). */
  baseUrl: string;
  /** The `PUBLIC_BASE_URL` the server checks signatures against (Twilio's view of the server). */
  publicBaseUrl: string;
  authToken: string;
  /** The caller's number (E.164). */
  from: string;
  /** The number called. */
  to: string;
  /** Each line as it happens, in order: `🔊 …` for what the caller hears, `[…]` for events. */
  print?: (line: string) => void;
  /** The simulated operator's number, as From on the operator's leg. */
  operatorNumber?: string;
}

/** What happened since the last step: what the caller heard, the events, and whether the call is over. */
export interface Heard {
  says: string[];
  events: string[];
  ended: boolean;
}

/** A `<Gather>` waiting for the caller, and the verbs Twilio would run if it falls through. */
interface PendingGather {
  action: string;
  /** The URL the TwiML came from: relative URLs resolve against it, as Twilio does. */
  base: string;
  actionOnEmptyResult: boolean;
  rest: TwimlElement[];
}

/** How the simulator signs a confidence for typed speech: a clear recognition. */
const TYPED_CONFIDENCE = '0.92';

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

/**
 * One simulated phone call through the real turn-mode webhooks, signed as Twilio signs them
 * (HMAC-SHA1 over PUBLIC_BASE_URL + path + sorted form fields, via the official library), following
 * the TwiML it gets back as Twilio would: `<Say>` is heard, `<Gather>` waits for `say`/`press`/
 * `silence`, `<Redirect>` is followed, `<Enqueue>` plays the hold message once and has a simulated
 * operator take the call (the operator webhook's whisper, then `QueueResult=bridged`), `<Dial>`
 * plays the whisper and reports `completed`, `<Hangup>` (or the end of the TwiML) posts the status
 * callback. The streaming modes (`<Connect>`) are not simulated.
 */
export class CallSimulator {
  readonly callSid = sid('CA');
  private readonly accountSid = sid('AC');
  private readonly startedAt = Date.now();
  private pending: PendingGather | null = null;
  private over = false;
  private heard: Heard = { says: [], events: [], ended: false };

  constructor(private readonly options: CallSimulatorOptions) {}

  get ended(): boolean {
    return this.over;
  }

  /** The call is answered: posts `/incoming` and plays what comes back. */
  async start(): Promise<Heard> {
    return this.step(async () => {
      await this.follow(VOICE_PATHS.incoming, { CallStatus: 'ringing', Direction: 'inbound' });
    });
  }

  /** The caller speaks (a transcript as Twilio's recogniser would post it). */
  async say(text: string): Promise<Heard> {
    return this.answerGather({ SpeechResult: text, Confidence: TYPED_CONFIDENCE });
  }

  /** The caller presses keys. */
  async press(digits: string): Promise<Heard> {
    if (!/^[0-9*#]+$/.test(digits)) throw new Error(`not keypad keys: ${digits}`);
    return this.answerGather({ Digits: digits });
  }

  /** The caller says nothing until the Gather times out. */
  async silence(): Promise<Heard> {
    return this.answerGather(null);
  }

  /** A line typed at the simulated phone: keys, nothing (silence), or speech. */
  async respond(line: string): Promise<Heard> {
    const text = line.trim();
    if (!text) return this.silence();
    if (/^[0-9*#]+$/.test(text)) return this.press(text);
    return this.say(text);
  }

  /** The caller hangs up: Twilio posts the status callback. */
  async hangUp(): Promise<Heard> {
    return this.step(async () => {
      if (!this.over) await this.complete('người gọi gác máy');
    });
  }

  private async answerGather(result: Record<string, string> | null): Promise<Heard> {
    return this.step(async () => {
      const gather = this.pending;
      if (this.over || !gather) throw new Error('the call is not waiting for the caller');
      this.pending = null;
      if (result === null && !gather.actionOnEmptyResult) {
        // Twilio falls through to the verbs after the Gather (our `<Redirect>` to no-input).
        await this.run(gather.rest, gather.base);
        return;
      }
      await this.follow(this.resolve(gather.action, gather.base), result ?? {});
    });
  }

  private async step(fn: () => Promise<void>): Promise<Heard> {
    this.heard = { says: [], events: [], ended: false };
    await fn();
    this.heard.ended = this.over;
    return this.heard;
  }

  private hear(text: string) {
    this.heard.says.push(text);
    this.options.print?.(`🔊 ${text}`);
  }

  private event(text: string) {
    this.heard.events.push(text);
    this.options.print?.(`[${text}]`);
  }

  /** A URL from TwiML resolved like Twilio does, as a path under PUBLIC_BASE_URL. */
  private resolve(url: string, base: string): string {
    const publicBase = new URL(this.options.publicBaseUrl);
    const resolved = new URL(url, new URL(base, publicBase));
    if (resolved.origin !== publicBase.origin) throw new Error(`TwiML points outside the server: ${resolved.toString()}`);
    return `${resolved.pathname}${resolved.search}`;
  }

  /** Posts a signed webhook and returns the body; `expect` is the status Twilio would accept. */
  private async post(pathAndQuery: string, extra: Record<string, string>, fields?: Record<string, string>, expect = 200): Promise<string> {
    const params: Record<string, string> = {
      ...(fields ?? { CallSid: this.callSid, AccountSid: this.accountSid, From: this.options.from, To: this.options.to }),
      ...extra,
    };
    const signature = twilio.getExpectedTwilioSignature(this.options.authToken, new URL(pathAndQuery, this.options.publicBaseUrl).toString(), params);
    const res = await fetch(new URL(pathAndQuery, this.options.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });
    const body = await res.text();
    if (res.status !== expect) throw new Error(`POST ${pathAndQuery} answered ${res.status}${body ? `: ${body.slice(0, 200)}` : ''}`);
    return body;
  }

  /** Posts to a webhook of this call and runs the TwiML it answers. */
  private async follow(pathAndQuery: string, extra: Record<string, string>): Promise<void> {
    const root = parseTwiml(await this.post(pathAndQuery, extra));
    await this.run(elementsOf(root), pathAndQuery);
  }

  /** Runs verbs in order until one waits for the caller or ends the call. */
  private async run(verbs: TwimlElement[], base: string): Promise<void> {
    for (const [index, verb] of verbs.entries()) {
      if (this.over) return;
      switch (verb.name) {
        case 'Say':
          this.hear(textOf(verb));
          break;
        case 'Pause':
          break;
        case 'Gather':
          for (const inner of elementsOf(verb)) if (inner.name === 'Say') this.hear(textOf(inner));
          this.pending = {
            action: verb.attrs.action ?? base,
            base,
            actionOnEmptyResult: verb.attrs.actionOnEmptyResult === 'true',
            rest: verbs.slice(index + 1),
          };
          return;
        case 'Redirect':
          return this.follow(this.resolve(textOf(verb), base), {});
        case 'Enqueue':
          return this.enqueue(verb, base);
        case 'Dial':
          return this.dial(verb, base);
        case 'Hangup':
          return this.complete('cuộc gọi kết thúc');
        case 'Connect':
          this.event('mô phỏng chỉ chạy chế độ turn (Gather); chế độ relay/media cần Twilio thật');
          return this.complete('cuộc gọi kết thúc');
        default:
          this.event(`bỏ qua <${verb.name}>`);
      }
    }
    // Twilio hangs up when the TwiML runs out.
    if (!this.over) await this.complete('cuộc gọi kết thúc');
  }

  /** `<Enqueue>`: one hold message, an operator takes the next caller (whisper), bridged, then the action. */
  private async enqueue(verb: TwimlElement, base: string): Promise<void> {
    const queueName = textOf(verb);
    const queueSid = sid('QU');
    this.event(`vào hàng chờ ${queueName}`);
    if (verb.attrs.waitUrl) {
      const hold = parseTwiml(await this.post(this.resolve(verb.attrs.waitUrl, base), { QueueSid: queueSid, QueuePosition: '1', QueueTime: '0', AvgQueueTime: '0', CurrentQueueSize: '1' }));
      for (const say of collectSays(hold)) this.hear(say);
    }
    const operatorLeg = { CallSid: sid('CA'), AccountSid: this.accountSid, From: this.options.operatorNumber ?? '+842838000099', To: this.options.to };
    const operator = parseTwiml(await this.post(VOICE_PATHS.operator, {}, operatorLeg));
    for (const v of elementsOf(operator)) {
      if (v.name === 'Say') this.event(`cán bộ nghe: ${textOf(v)}`);
      if (v.name === 'Hangup') {
        this.event('cán bộ không thấy cuộc gọi nào trong hàng chờ');
        return this.complete('cuộc gọi kết thúc');
      }
      const queue = v.name === 'Dial' ? elementsOf(v).find((n) => n.name === 'Queue') : undefined;
      // `<Queue url>` plays to the queued caller just before the bridge.
      if (queue?.attrs.url) {
        const connecting = parseTwiml(await this.post(this.resolve(queue.attrs.url, VOICE_PATHS.operator), { QueueSid: queueSid }));
        for (const say of collectSays(connecting)) this.hear(say);
      }
    }
    this.event('đã nối máy với cán bộ — mô phỏng');
    if (verb.attrs.action) {
      await this.follow(this.resolve(verb.attrs.action, base), { QueueResult: 'bridged', QueueSid: queueSid, QueueTime: '1' });
    } else {
      await this.run([], base);
    }
  }

  /** `<Dial><Number url>`: the operator hears the whisper, the call is answered, then the action. */
  private async dial(verb: TwimlElement, base: string): Promise<void> {
    const number = elementsOf(verb).find((n) => n.name === 'Number');
    this.event(`gọi tới cán bộ ${number ? textOf(number) : textOf(verb)}`);
    if (number?.attrs.url) {
      const leg = { CallSid: sid('CA'), AccountSid: this.accountSid, From: this.options.to, To: textOf(number) };
      const whisper = parseTwiml(await this.post(this.resolve(number.attrs.url, base), {}, leg));
      for (const say of collectSays(whisper)) this.event(`cán bộ nghe: ${say}`);
    }
    this.event('đã nối máy với cán bộ — mô phỏng');
    if (verb.attrs.action) {
      await this.follow(this.resolve(verb.attrs.action, base), { DialCallStatus: 'completed', DialCallDuration: '1' });
    } else {
      await this.run([], base);
    }
  }

  /** The call is over: Twilio's status callback with the duration. */
  private async complete(why: string): Promise<void> {
    this.over = true;
    this.pending = null;
    const duration = Math.max(0, Math.round((Date.now() - this.startedAt) / 1000));
    await this.post(VOICE_PATHS.status, { CallStatus: 'completed', CallDuration: String(duration) }, undefined, 204);
    this.event(why);
  }
}

function collectSays(el: TwimlElement): string[] {
  return elementsOf(el).flatMap((c) => (c.name === 'Say' ? [textOf(c)] : collectSays(c)));
}
