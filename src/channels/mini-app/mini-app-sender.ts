import type { ChannelSender, OutboundMessage } from '../channel-sender.js';
import type { MiniAppConversationStore } from './miniapp-conversation-store.js';

export const MINI_APP_CHANNEL = 'mini_app';

/**
 * The `mini_app` sender. The mini-app has no push channel to us: its replies come back in the
 * HTTP response (`handle(msg, { deliver: false })`), and whatever is sent later (queue position
 * updates, "the officer has taken over", hand back) is kept for the mini-app to read when it
 * polls GET /api/v1/miniapp/conversation. Officers' messages are not kept here: the handoff
 * queue already stores them, and the history reads them from there.
 */
export class MiniAppSender implements ChannelSender {
  readonly channel = MINI_APP_CHANNEL;

  constructor(private readonly store: MiniAppConversationStore) {}

  async send(userId: string, message: OutboundMessage): Promise<void> {
    if (message.author === 'staff') return;
    this.store.addNotice(userId, message.author, message.text);
  }
}
