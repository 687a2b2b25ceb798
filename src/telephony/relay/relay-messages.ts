import { parseTaggedFrame, type ParsedTaggedFrame } from '../parse-tagged-frame.js';
import { z } from 'zod';
import type { TransferReason } from '../voice-turn.js';

/**
 * The ConversationRelay WebSocket protocol (`<Connect><ConversationRelay url="wss://…/telephony/relay">`).
 *
 * Sources read for these shapes:
 * - Twilio, "Getting and sending WebSocket messages"
 *   (https://www.twilio.com/docs/voice/conversationrelay/websocket-messages): Twilio → us `setup`
 *   (sessionId, accountSid, parentCallSid, callSid, from, to, forwardedFrom, callType, callerName,
 *   direction, callStatus, customParameters), `prompt` (voicePrompt, lang, last), `interrupt`
 *   (utteranceUntilInterrupt, durationUntilInterruptMs), `dtmf` (digit), `error` (description);
 *   us → Twilio `text` (token, last, lang?, interruptible?, preemptible?), `play`, `sendDigits`,
 *   `language`, `end` (handoffData).
 * - Twilio changelog 2025-04-01 "New Features Now Available for ConversationRelay": the upgrade carries
 *   `X-Twilio-Signature`; `interruptible` is none|dtmf|speech|any; `preemptible`; messages we send are
 *   validated and a bad one answers error 64107.
 * - `handoffData` is a JSON *string* (not an object) that Twilio hands to the `<Connect action>` URL,
 *   with `reasonCode: "live-agent-handoff"` in Twilio's own samples
 *   (twilio-se-anz/demo-crelay-snow: server/tools/live-agent-handoff.js).
 * - `prompt.last`: with `partialPrompts` off (the default) Twilio sends one prompt per utterance with
 *   `last: true`; partial prompts (`last: false`) only come with partialPrompts on and are cumulative
 *   (notes in public ConversationRelay projects; Telnyx's compatible AsyncAPI lists the same frames).
 */

/** The digits ConversationRelay reports (`dtmfDetection="true"`). */
const DTMF_DIGIT = /^[0-9*#A-D]$/i;

export const relaySetupSchema = z.object({
  type: z.literal('setup'),
  sessionId: z.string(),
  callSid: z.string().min(1),
  accountSid: z.string().optional(),
  parentCallSid: z.string().optional(),
  from: z.string(),
  to: z.string(),
  forwardedFrom: z.string().optional(),
  callType: z.string().optional(),
  callerName: z.string().optional(),
  direction: z.string().optional(),
  callStatus: z.string().optional(),
  customParameters: z.record(z.string(), z.unknown()).optional(),
});

export const relayPromptSchema = z.object({
  type: z.literal('prompt'),
  voicePrompt: z.string(),
  lang: z.string().optional(),
  /** Absent only from a sender that predates partial prompts: a prompt without it is whole. */
  last: z.boolean().default(true),
});

export const relayInterruptSchema = z.object({
  type: z.literal('interrupt'),
  utteranceUntilInterrupt: z.string().default(''),
  durationUntilInterruptMs: z.number().nonnegative().optional(),
});

export const relayDtmfSchema = z.object({
  type: z.literal('dtmf'),
  digit: z.string().regex(DTMF_DIGIT),
});

export const relayErrorSchema = z.object({
  type: z.literal('error'),
  description: z.string(),
});

export const relayInboundSchema = z.discriminatedUnion('type', [
  relaySetupSchema,
  relayPromptSchema,
  relayInterruptSchema,
  relayDtmfSchema,
  relayErrorSchema,
]);

export type RelayInbound = z.infer<typeof relayInboundSchema>;
export type RelaySetup = z.infer<typeof relaySetupSchema>;

const KNOWN_TYPES: ReadonlySet<string> = new Set(['setup', 'prompt', 'interrupt', 'dtmf', 'error']);

/** Frames larger than this are not ConversationRelay messages (a prompt is one utterance). */
export const MAX_RELAY_FRAME_BYTES = 64 * 1024;

export type ParsedRelayFrame = ParsedTaggedFrame<RelayInbound>;

/** One text frame from Twilio, classified; unknown types come back as `unknown` (ignored). Never throws. */
export function parseRelayFrame(raw: string): ParsedRelayFrame {
  if (Buffer.byteLength(raw, 'utf8') > MAX_RELAY_FRAME_BYTES) return { kind: 'malformed', reason: 'frame too large' };
  return parseTaggedFrame(raw, 'type', KNOWN_TYPES, relayInboundSchema);
}

/** A text token for ConversationRelay's text-to-speech; `last: true` closes the talk cycle. */
export interface RelayTextMessage {
  type: 'text';
  token: string;
  last: boolean;
  lang?: string;
  interruptible?: boolean;
  preemptible?: boolean;
}

/** Ends the session; Twilio then requests the `<Connect action>` URL with `HandoffData`. */
export interface RelayEndMessage {
  type: 'end';
  handoffData: string;
}

export interface RelayPlayMessage {
  type: 'play';
  source: string;
  loop?: number;
  preemptible?: boolean;
  interruptible?: boolean;
}

export interface RelaySendDigitsMessage {
  type: 'sendDigits';
  digits: string;
}

export interface RelayLanguageMessage {
  type: 'language';
  ttsLanguage?: string;
  transcriptionLanguage?: string;
}

export type RelayOutbound = RelayTextMessage | RelayEndMessage | RelayPlayMessage | RelaySendDigitsMessage | RelayLanguageMessage;

export function relayText(token: string, last: boolean, options: Pick<RelayTextMessage, 'lang' | 'interruptible' | 'preemptible'> = {}): RelayTextMessage {
  return { type: 'text', token, last, ...options };
}

/**
 * What we tell the `<Connect action>` handler about why the session ended. `live-agent-handoff` is the
 * reason code Twilio's samples use for a transfer; `end-call` is a goodbye (or a failure we apologised for).
 */
export type RelayHandoff =
  | { reasonCode: 'live-agent-handoff'; reason: TransferReason; summary: string }
  | { reasonCode: 'end-call'; reason: 'goodbye' | 'dialog-error'; summary: null };

export function relayEnd(handoff: RelayHandoff): RelayEndMessage {
  return { type: 'end', handoffData: JSON.stringify(handoff) };
}
