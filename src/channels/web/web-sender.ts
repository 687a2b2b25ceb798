import type { ChannelSender, OutboundMessage } from '../channel-sender.js';
import type { WebOutbox } from './sqlite-web-outbox.js';

/**
 * Sends to a web citizen by writing to the outbox; the browser's event stream
 * (`GET /api/v1/chat/events`) picks it up, on whichever worker holds it. The userId of the web
 * channel is the chat session id. Writing cannot fail for a reason a retry would fix, so there
 * is no OutboundQueue here: an error (disk full) propagates to the caller, which logs it.
 */
export class WebSender implements ChannelSender {
  readonly channel = 'web';

  constructor(private readonly outbox: WebOutbox) {}

  async send(userId: string, message: OutboundMessage): Promise<void> {
    await this.outbox.append(userId, message);
  }
}
