import type { AnswerOption, Citation } from '../domain/answer.js';

/** Who a message to the citizen is from: the assistant, an officer, or the system (queue notices). */
export type OutboundAuthor = 'bot' | 'staff' | 'system';

/** One message to a citizen, in channel-neutral form; each sender renders it for its platform. */
export interface OutboundMessage {
  author: OutboundAuthor;
  text: string;
  citations?: Citation[];
  /** Clarification options: quick replies / buttons whose payload is the option id. */
  options?: AnswerOption[];
  /** Offer the "Gặp cán bộ" button (payload `HANDOFF`). */
  offerHandoff?: boolean;
  /** Ask for a rating (useful or not, and 1–5; payloads `RATE_USEFUL:yes|no`, `RATE:<1-5>`). */
  askRating?: boolean;
  /** The officer's name shown with a staff message, when the channel can show it. */
  staffName?: string;
}

/**
 * How a channel talks back to the citizen. One sender per channel; Messenger and Zalo call the
 * platform's send API through an `OutboundQueue` (rate limit, retries, failures kept), the web
 * sender pushes to the browser's open event stream.
 */
export interface ChannelSender {
  readonly channel: string;
  send(userId: string, message: OutboundMessage): Promise<void>;
  /** Typing indicator, where the platform has one; best effort. */
  typing?(userId: string, on: boolean): Promise<void>;
}

/** The senders by channel name, filled by the composition root for the channels that are mounted. */
export class ChannelSenders {
  private readonly byChannel = new Map<string, ChannelSender>();

  register(sender: ChannelSender): void {
    this.byChannel.set(sender.channel, sender);
  }

  get(channel: string): ChannelSender | undefined {
    return this.byChannel.get(channel);
  }

  /** Sends through the citizen's channel; throws when that channel has no sender mounted. */
  async send(channel: string, userId: string, message: OutboundMessage): Promise<void> {
    const sender = this.byChannel.get(channel);
    if (!sender) throw new Error(`no sender for channel "${channel}"`);
    await sender.send(userId, message);
  }
}
