import type { AnswerStyle } from '../domain/answer.js';

/**
 * One citizen message as every channel hands it to `InboundHandler`, after the channel has
 * checked the platform's signature and parsed the platform's event. Ids are strings, always:
 * Zalo ids overflow JavaScript numbers.
 */
export interface InboundMessage {
  /** `web`, `messenger`, `zalo`, `mini_app`, … — the key of the channel's sender. */
  channel: string;
  /** The platform's id of the citizen (Messenger PSID, Zalo user id; web/mini-app: the session id). */
  userId: string;
  /** The platform's id of this message (Messenger `mid`, Zalo `msg_id`, web client message id): the dedupe key. */
  messageId: string;
  text: string;
  /** A quick reply / button payload (e.g. an option id, `HANDOFF`, `RATE:4`), when the citizen tapped one. */
  payload?: string;
  /** When the platform says the message was sent (ISO); older than a few minutes → dropped as a replay. */
  sentAt?: string;
  style?: AnswerStyle;
}
