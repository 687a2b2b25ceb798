import { z } from 'zod';
import { APPLICATION_STATUSES } from './status-lookup/application-status.js';
import { fieldMapProblems } from './status-lookup/field-map.js';

/**
 * The process environment, validated once at start-up. Nothing else in the code reads
 * `process.env`: entry points call `loadConfig()` and pass the frozen result down, so a test can
 * build any configuration without touching globals.
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalString = z.string().min(1).optional();
/** `a, b,c` → ['a','b','c']; unset → []. */
const commaList = z
  .string()
  .optional()
  .transform((v) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : []));

/** A JSON object in one variable (`{"status":"data.trangThai"}`), parsed and then checked by `shape`. */
function jsonVariable<T extends z.ZodType>(shape: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.issues.push({ code: 'custom', message: 'must be a JSON object', input: text });
        return z.NEVER;
      }
    })
    .pipe(shape);
}

export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Where the SQLite catalogue (and later sessions, stats) live. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** The team's own knowledge: lexicon.json and procedures/*.json starter records. */
  KNOWLEDGE_DIR: z.string().min(1).default('./knowledge'),

  /** OpenAI-compatible embeddings endpoint; setting it turns on hybrid retrieval. */
  EMBEDDINGS_BASE_URL: z.url().optional(),
  EMBEDDINGS_API_KEY: optionalString,
  EMBEDDINGS_MODEL: optionalString,
  /** Qdrant holds the vectors when set; otherwise vectors stay in process. */
  QDRANT_URL: z.url().optional(),
  QDRANT_API_KEY: optionalString,
  QDRANT_COLLECTION: z.string().min(1).default('procedures'),

  /** Upper bound for `k` on /api/v1/search, so one request cannot ask for the whole catalogue. */
  SEARCH_MAX_K: z.coerce.number().int().min(1).max(1000).default(50),
  /** Largest accepted request body; the API takes small JSON only. */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  /** Whole-request deadline (Node's http `requestTimeout`). */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Only behind a known reverse proxy: makes `request.ip` come from X-Forwarded-For. */
  TRUST_PROXY: z.stringbool().default(false),
  /** Serve the OpenAPI document and Swagger UI at /docs. */
  DOCS_ENABLED: z.stringbool().default(true),
  /**
   * Bearer token for /api/v1/admin/* (knowledge reload). Unset: the admin routes are not mounted.
   * At least 24 characters, so it cannot be guessed by trying.
   */
  ADMIN_TOKEN: z.string().min(24, 'at least 24 characters').optional(),

  /** OpenAI-compatible chat endpoint; setting it (with LLM_MODEL) turns on the LLM composer. */
  LLM_BASE_URL: z.url().optional(),
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  /** One LLM call's deadline; past it the grounded answer is sent. */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** LLM calls in flight at once; more wait in a bounded queue, then fall back to grounded. */
  LLM_MAX_CONCURRENCY: z.coerce.number().int().min(1).default(4),
  /** Whole chat turn's deadline. */
  TURN_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Longest message read; the rest is cut with a notice. */
  MAX_MESSAGE_CHARS: z.coerce.number().int().min(50).max(20_000).default(2_000),
  /** A conversation is forgotten after this much silence. */
  SESSION_TTL_MINUTES: z.coerce.number().int().min(1).default(30),
  /** Server processes sharing the port (node:cluster); one per core. Rate limits are per process. */
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Requests per minute per client IP on /api/*. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Chat messages per minute per conversation. */
  SESSION_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),

  /** Application status lookup: `demo` (SQLite stand-in), `http` (the city's system), `off`. */
  STATUS_LOOKUP_BACKEND: z.enum(['demo', 'http', 'off']).default('demo'),
  /** The city's system: `https://host/api/hoso/{code}`, `{code}` replaced by the URL-encoded receipt code. */
  STATUS_LOOKUP_URL_TEMPLATE: z
    .string()
    .refine((t) => t.includes('{code}') && URL.canParse(t.replaceAll('{code}', 'X')), 'must be a URL containing {code}')
    .optional(),
  /** Where each field sits in the system's JSON reply: `{"status":"data.trangThai",…}` (dotted paths). */
  STATUS_LOOKUP_FIELD_MAP: jsonVariable(z.record(z.string(), z.string()))
    .superRefine((map, ctx) => {
      for (const problem of fieldMapProblems(map)) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  /** The system's own status words → ours, on top of the common ones: `{"Chờ ký":"in_progress"}`. */
  STATUS_LOOKUP_STATUS_MAP: jsonVariable(z.record(z.string(), z.enum(APPLICATION_STATUSES))).optional(),
  /** One request header for the system, e.g. `X-API-Key: …`. */
  STATUS_LOOKUP_AUTH_HEADER: z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+:\s*\S/, 'must be "Name: value"').optional(),
  /** One lookup's deadline; past it the citizen gets an apology and the hotline. */
  STATUS_LOOKUP_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),

  /** Public https base of this service (webhook URLs, widget script, Twilio signatures). */
  PUBLIC_BASE_URL: z.url().optional(),
  /** Browser origins allowed to call the chat API (the widget on the city's site); comma-separated. */
  WEB_CORS_ORIGINS: commaList,
  /**
   * When officers answer, Hanoi time: `Mon-Fri 08:00-12:00,13:00-17:00; Sat 08:00-12:00`.
   * Outside it a citizen asking for a person may leave a message or ask for a call back.
   */
  OFFICE_HOURS: z.string().default('Mon-Fri 08:00-12:00,13:00-17:00'),
  /** A staff console login lasts this long. */
  CONSOLE_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),

  /** Facebook Messenger: mounted at /webhooks/messenger only when the app secret, verify token and page token are set. */
  MESSENGER_APP_SECRET: optionalString,
  MESSENGER_VERIFY_TOKEN: optionalString,
  MESSENGER_PAGE_TOKEN: optionalString,
  MESSENGER_GRAPH_BASE_URL: z.url().default('https://graph.facebook.com'),
  MESSENGER_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/, 'like v21.0').default('v21.0'),

  /** Zalo OA: mounted at /webhooks/zalo only when the app id, OA secret key and first access token are set. */
  ZALO_APP_ID: optionalString,
  ZALO_OA_SECRET_KEY: optionalString,
  ZALO_OA_ACCESS_TOKEN: optionalString,
  /** The first refresh token and the app's secret key, to rotate the access token before it expires. */
  ZALO_OA_REFRESH_TOKEN: optionalString,
  ZALO_APP_SECRET_KEY: optionalString,
  ZALO_API_BASE_URL: z.url().default('https://openapi.zalo.me'),
  ZALO_OAUTH_BASE_URL: z.url().default('https://oauth.zaloapp.com'),

  /** iHanoi mini-app: per-app HMAC keys as JSON `{"<app id>": "<secret>"}`; unset = /api/v1/miniapp not mounted. */
  MINIAPP_KEYS: jsonVariable(z.record(z.string().min(1), z.string().min(16, 'at least 16 characters'))).optional(),
  /** Browser origins allowed to call /api/v1/miniapp; comma-separated. */
  MINIAPP_CORS_ORIGINS: commaList,

  /** Q&A turns, ratings and conversation texts older than this many days are deleted (the statistics' aggregates stay); 0 keeps them. */
  QA_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(365),
  /** Live answers drawn each week into the staff review queue, stratified by channel and status. */
  REVIEW_SAMPLE_PER_WEEK: z.coerce.number().int().min(0).max(10_000).default(50),

  /** Twilio voice (the 19001009 callbot): /telephony/* is mounted only when the Auth Token is set. */
  TWILIO_AUTH_TOKEN: optionalString,
  /** How a call is carried: `turn` (TwiML <Gather>/<Say>), `relay` (ConversationRelay), `media` (Media Streams + our own speech ports). */
  VOICE_MODE: z.enum(['turn', 'relay', 'media']).default('turn'),
  /** Twilio's Vietnamese voice for <Say> and ConversationRelay (Google voices; Polly has no vi-VN). */
  VOICE_TWILIO_VOICE: z.string().regex(/^Google\.vi-VN-[A-Za-z0-9-]+$/, 'a Google vi-VN voice, like Google.vi-VN-Wavenet-A').default('Google.vi-VN-Wavenet-A'),
  /** Operators' Twilio queue (<Enqueue>) — used unless VOICE_TRANSFER_NUMBER is set. */
  VOICE_QUEUE_NAME: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _, at most 64').default('hanh-chinh-cong'),
  /** Transfer by <Dial> to this number (E.164 or a SIP URI) instead of the queue. */
  VOICE_TRANSFER_NUMBER: z.string().regex(/^(?:\+\d{6,15}|sip:\S+)$/, 'E.164 (+84…) or sip:…').optional(),
  VOICE_DIAL_TIMEOUT_S: z.coerce.number().int().min(5).max(120).default(20),
  /** Below this recognition confidence the bot asks "Anh/chị hỏi về … phải không?" first. */
  VOICE_LOW_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.5),
  /** Ask for a 1–5 keypad rating before saying goodbye after an answered call. */
  VOICE_SATISFACTION: z.stringbool().default(true),
  /** Media Streams mode: who hears the caller (`google` needs Google credentials, ADC) — `none` takes keys only. */
  VOICE_STT: z.enum(['google', 'none']).default('google'),
  /** Media Streams mode: who speaks — local `espeak-ng` (default, no keys) or `google`. */
  VOICE_TTS: z.enum(['espeak', 'google']).default('espeak'),
  /** Google Text-to-Speech voice for VOICE_TTS=google. */
  VOICE_GOOGLE_VOICE: z.string().regex(/^vi-VN-[A-Za-z0-9-]+$/, 'like vi-VN-Wavenet-A').default('vi-VN-Wavenet-A'),
}).superRefine((env, ctx) => {
  if (env.LLM_BASE_URL && !env.LLM_MODEL) {
    ctx.addIssue({ code: 'custom', path: ['LLM_MODEL'], message: 'required when LLM_BASE_URL is set' });
  }
  if (env.TWILIO_AUTH_TOKEN && !env.PUBLIC_BASE_URL) {
    // Twilio's signature covers the URL it called; it can only be checked against the public one.
    ctx.addIssue({ code: 'custom', path: ['PUBLIC_BASE_URL'], message: 'required when TWILIO_AUTH_TOKEN is set (Twilio signatures cover the public URL)' });
  }
  if (env.STATUS_LOOKUP_BACKEND === 'http') {
    for (const v of ['STATUS_LOOKUP_URL_TEMPLATE', 'STATUS_LOOKUP_FIELD_MAP'] as const) {
      if (env[v] === undefined) ctx.addIssue({ code: 'custom', path: [v], message: 'required when STATUS_LOOKUP_BACKEND is http' });
    }
  }
});

export type Config = Readonly<z.infer<typeof EnvSchema>>;

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly issues: ReadonlyArray<{ variable: string; message: string }>) {
    super(
      'Invalid configuration (environment variables):\n' +
        issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment into a frozen Config. Empty values count as unset, because
 * `.env` files and compose files commonly carry `EMBEDDINGS_BASE_URL=` to mean "off".
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value.trim();
  }
  const parsed = EnvSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        // The value itself is left out: it may be a secret (API keys).
        message: issue.message,
      })),
    );
  }
  return Object.freeze(parsed.data);
}
