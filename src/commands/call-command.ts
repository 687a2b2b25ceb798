import { randomBytes } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { CallSimulator, type Heard } from '../telephony/call-simulator.js';

const USAGE = `Usage:
  npm run cli -- call [--url http://host:port] [--from +8491…] [--to +8428…]

A simulated phone call through the turn-mode webhooks (/telephony/voice/*), signed like Twilio.
Type what the caller says; a line of only keys (0-9 * #) presses them; an empty line is silence;
Ctrl-D hangs up. Without --url the app starts in-process on 127.0.0.1 with a generated
TWILIO_AUTH_TOKEN; with --url it calls a running server, which needs TWILIO_AUTH_TOKEN and
PUBLIC_BASE_URL in the environment (the same values the server uses).`;

export interface CallCommandIo {
  /** The caller's lines. */
  input: NodeJS.ReadableStream;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
}

interface Target {
  baseUrl: string;
  publicBaseUrl: string;
  authToken: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The whole app in this process (createDeps + buildApp) on a free 127.0.0.1 port, with a generated
 * Auth Token and PUBLIC_BASE_URL pointing at itself, so a call needs no Twilio account. Loaded
 * lazily: `--url` needs none of it.
 */
async function startInProcess(env: NodeJS.ProcessEnv): Promise<Target> {
  const [{ loadConfig }, { createDeps }, { buildApp }, { createLogger }] = await Promise.all([
    import('../config.js'),
    import('../deps.js'),
    import('../app.js'),
    import('../http/logger.js'),
  ]);
  const port = await freePort();
  const authToken = randomBytes(16).toString('hex');
  const publicBaseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({ ...env, TWILIO_AUTH_TOKEN: authToken, PUBLIC_BASE_URL: publicBaseUrl, VOICE_MODE: 'turn' });
  // Logs go to stderr at error level (the knowledge warnings are for operators, not for a demo) so the conversation on stdout stays readable.
  const log = createLogger({ LOG_LEVEL: config.LOG_LEVEL === 'info' || config.LOG_LEVEL === 'warn' ? 'error' : config.LOG_LEVEL }, pino.destination({ dest: 2, sync: true }));
  const deps = await createDeps(config, { log });
  try {
    const app = await buildApp(deps);
    await app.listen({ port, host: '127.0.0.1' });
    return {
      baseUrl: publicBaseUrl,
      publicBaseUrl,
      authToken,
      close: async () => {
        await app.close();
        await deps.close();
      },
    };
  } catch (err) {
    await deps.close();
    throw err;
  }
}

/**
 * `call`: a conversation with the callbot in the terminal, through the same webhooks and TwiML
 * Twilio gets. Prints `🔊 …` for what the caller hears and `[…]` for events. Returns the exit status.
 */
export async function runCallCommand(argv: string[], io: CallCommandIo): Promise<number> {
  const env = io.env ?? process.env;
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        from: { type: 'string', default: '+84912345678' },
        to: { type: 'string', default: '+842838000001' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    io.err(`Error: ${(err as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const e164 = /^\+\d{6,15}$/;
  if (!e164.test(values.from) || !e164.test(values.to)) {
    io.err('Error: --from and --to must be E.164 numbers like +84912345678');
    return 1;
  }

  let target: Target;
  if (values.url) {
    const authToken = env.TWILIO_AUTH_TOKEN;
    const publicBaseUrl = env.PUBLIC_BASE_URL;
    if (!authToken || !publicBaseUrl) {
      io.err('Error: --url needs TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL in the environment (the values the server uses).');
      return 1;
    }
    target = { baseUrl: values.url, publicBaseUrl, authToken, close: async () => undefined };
  } else {
    target = await startInProcess(env);
  }

  const call = new CallSimulator({ baseUrl: target.baseUrl, publicBaseUrl: target.publicBaseUrl, authToken: target.authToken, from: values.from, to: values.to, print: io.out });
  const rl = createInterface({ input: io.input, terminal: false });
  // The iterator exists before the first await, so lines typed (or piped) while the greeting is
  // fetched are buffered rather than lost.
  const lines = rl[Symbol.asyncIterator]();
  try {
    io.out(`📞 Gọi ${values.to} từ ${values.from} (${values.url ? values.url : 'máy chủ trong tiến trình'}). Gõ câu nói; chỉ phím số để bấm phím; dòng trống là im lặng; Ctrl-D để gác máy.`);
    let heard: Heard = await call.start();
    while (!heard.ended) {
      const next = await lines.next();
      if (next.done) break;
      heard = await call.respond(next.value.normalize('NFC'));
    }
    if (!call.ended) await call.hangUp();
    return 0;
  } catch (err) {
    const message = (err as Error).message;
    io.err(/answered 404/.test(message) ? `Error: the server has no turn-mode webhooks (is TWILIO_AUTH_TOKEN set there?): ${message}` : `Error: ${message}`);
    return 1;
  } finally {
    rl.close();
    await target.close();
  }
}
