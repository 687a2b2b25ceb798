import { createHmac } from 'node:crypto';

/** The iHanoi user id as the mini-app sends it in `x-user-id`: opaque, 1–128 visible characters. */
export const RAW_USER_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * The key a mini-app citizen is stored under (sessions, handoff queue, Q&A log via its own hash):
 * hex HMAC-SHA256(app secret, "mini_app:<app id>:<x-user-id>"). Keyed, not a plain hash, because
 * iHanoi ids may be phone numbers or small integers that a plain hash would not hide; and
 * 64 hex characters, because the answer service takes it as the session id (`[A-Za-z0-9_-]{8,64}`).
 * Rotating an app's secret therefore starts its users' conversations afresh.
 */
export function miniAppUserKey(appSecret: string, appId: string, rawUserId: string): string {
  return createHmac('sha256', appSecret).update(`mini_app:${appId}:${rawUserId}`).digest('hex');
}
