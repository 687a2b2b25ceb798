import { parseJsonKeepingNumbers, type RawJson } from './parse-json-keeping-numbers.js';

/**
 * The fields of a Zalo OA webhook event this service reads. Every id and the timestamp are
 * strings exactly as they appeared in the payload (quoted or not): ids overflow JS numbers.
 */
export interface ZaloEvent {
  eventName: string;
  appId: string | null;
  /** `timestamp` of the body (ms since epoch, digits): part of the signed string. */
  timestamp: string | null;
  /** The citizen: `sender.id` for `user_send_*`, `follower.id` for follow/unfollow. */
  userId: string | null;
  msgId: string | null;
  text: string | null;
}

/** Parses the raw webhook body; throws `SyntaxError` when it is not a JSON object. */
export function parseZaloEvent(raw: string): ZaloEvent {
  const body = parseJsonKeepingNumbers(raw);
  if (!isObject(body)) throw new SyntaxError('Zalo event is not a JSON object');
  const sender = field(body, 'sender');
  const follower = field(body, 'follower');
  const message = field(body, 'message');
  return {
    eventName: str(field(body, 'event_name')) ?? '',
    appId: str(field(body, 'app_id')),
    timestamp: str(field(body, 'timestamp')),
    userId: str(field(sender, 'id')) ?? str(field(follower, 'id')),
    msgId: str(field(message, 'msg_id')),
    text: str(field(message, 'text')),
  };
}

function isObject(v: RawJson | undefined): v is { [key: string]: RawJson } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(v: RawJson | undefined, key: string): RawJson | undefined {
  return isObject(v) && Object.hasOwn(v, key) ? v[key] : undefined;
}

/** Numbers are already their source text; strings as sent. */
function str(v: RawJson | undefined): string | null {
  return typeof v === 'string' ? v : null;
}
