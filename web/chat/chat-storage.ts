import type { ChatMessage } from './chat-types.js';

/** What the page shows, kept so a reload (or the widget reopening) shows the same conversation. */
export interface StoredItem {
  role: 'user' | 'bot' | 'staff' | 'system';
  text: string;
  message?: ChatMessage;
}

const KEY = 'ccai.chat.v1';
const MAX_ITEMS = 60;

interface Stored {
  sessionId: string | null;
  lastEventId: number;
  items: StoredItem[];
}

/**
 * The conversation in sessionStorage: it lasts as long as the tab, like the server's session,
 * and is not shared with other tabs or kept after the browser closes (a shared computer at a
 * ward office must not show the previous citizen's questions).
 */
export class ChatStorage {
  private state: Stored;

  constructor(private readonly storage: Storage | null = safeSessionStorage()) {
    this.state = { sessionId: null, lastEventId: 0, items: [] };
    try {
      const raw = this.storage?.getItem(KEY);
      if (raw) this.state = { ...this.state, ...(JSON.parse(raw) as Partial<Stored>) };
    } catch {
      // A corrupt entry starts a new conversation.
    }
  }

  get sessionId(): string | null {
    return this.state.sessionId;
  }
  set sessionId(id: string | null) {
    this.state.sessionId = id;
    this.save();
  }
  get lastEventId(): number {
    return this.state.lastEventId;
  }
  set lastEventId(id: number) {
    this.state.lastEventId = id;
    this.save();
  }
  get items(): readonly StoredItem[] {
    return this.state.items;
  }
  push(item: StoredItem): void {
    this.state.items.push(item);
    if (this.state.items.length > MAX_ITEMS) this.state.items.splice(0, this.state.items.length - MAX_ITEMS);
    this.save();
  }
  clear(): void {
    this.state = { sessionId: null, lastEventId: 0, items: [] };
    this.save();
  }

  private save(): void {
    try {
      this.storage?.setItem(KEY, JSON.stringify(this.state));
    } catch {
      // Storage full or blocked (private mode in an iframe): the page still works, it only forgets.
    }
  }
}

function safeSessionStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
