/** The chat API's wire shapes, as the browser reads them (see src/http/routes/web-chat.ts). */
export interface Citation {
  id: string;
  name: string;
  url: string | null;
}

export interface AnswerOption {
  id: string;
  name: string;
}

/** A message to the citizen: a further reply of a turn, or one from the event stream. */
export interface ChatMessage {
  author: 'bot' | 'staff' | 'system';
  text: string;
  citations?: Citation[];
  options?: AnswerOption[];
  offerHandoff?: boolean;
  askRating?: boolean;
  staffName?: string;
  at?: string;
}

export interface TurnDone {
  status: string;
  outcome?: string;
  options?: AnswerOption[];
  handoff: boolean;
  offer_handoff?: boolean;
  aspect: string | null;
}

export interface ChatRequest {
  session_id?: string;
  message: string;
  payload?: string;
  message_id: string;
}
