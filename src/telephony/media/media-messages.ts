import { parseTaggedFrame, type ParsedTaggedFrame } from '../parse-tagged-frame.js';
import { z } from 'zod';

/**
 * Twilio Media Streams messages (integrations.md §6.5). Twilio sends numbers as strings
 * (`sequenceNumber`, `chunk`, `timestamp`), so only the fields we act on are typed strictly and
 * the rest is left loose: Twilio adding a field must never break a call.
 */
const connected = z.object({ event: z.literal('connected'), protocol: z.string().optional(), version: z.string().optional() });

const start = z.object({
  event: z.literal('start'),
  streamSid: z.string().min(1),
  start: z.object({
    streamSid: z.string().min(1).optional(),
    accountSid: z.string().optional(),
    callSid: z.string().min(1),
    tracks: z.array(z.string()).optional(),
    customParameters: z.record(z.string(), z.string()).optional(),
    mediaFormat: z.object({ encoding: z.string(), sampleRate: z.number(), channels: z.number() }).partial().optional(),
  }),
});

const media = z.object({
  event: z.literal('media'),
  streamSid: z.string().optional(),
  media: z.object({
    track: z.string().optional(),
    chunk: z.string().optional(),
    timestamp: z.string().optional(),
    // base64 of µ-law bytes; a frame is 160 bytes (216 base64 characters), so 64 KiB is far beyond any real one.
    payload: z.string().max(65_536),
  }),
});

const dtmf = z.object({
  event: z.literal('dtmf'),
  streamSid: z.string().optional(),
  dtmf: z.object({ track: z.string().optional(), digit: z.string().regex(/^[0-9*#]$/) }),
});

const mark = z.object({ event: z.literal('mark'), streamSid: z.string().optional(), mark: z.object({ name: z.string() }) });

const stop = z.object({
  event: z.literal('stop'),
  streamSid: z.string().optional(),
  stop: z.object({ accountSid: z.string().optional(), callSid: z.string().optional() }).optional(),
});

const twilioMessage = z.discriminatedUnion('event', [connected, start, media, dtmf, mark, stop]);

export type TwilioMediaMessage = z.infer<typeof twilioMessage>;
export type TwilioStartMessage = z.infer<typeof start>;

const KNOWN_EVENTS = new Set(['connected', 'start', 'media', 'dtmf', 'mark', 'stop']);

export type ParsedMediaMessage = ParsedTaggedFrame<TwilioMediaMessage>;

/** Parses one text frame from Twilio; unknown events come back as `unknown` (ignored). Never throws. */
export function parseMediaMessage(raw: string): ParsedMediaMessage {
  return parseTaggedFrame(raw, 'event', KNOWN_EVENTS, twilioMessage);
}

/** Decodes a `media` payload; null when it is not base64 (Buffer.from would silently drop the bad characters). */
export function decodeMediaPayload(payload: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload) || payload.length % 4 !== 0) return null;
  return Buffer.from(payload, 'base64');
}

/** One outbound frame (160 bytes of 8 kHz µ-law, no header). */
export function outboundMedia(streamSid: string, frame: Uint8Array): string {
  return JSON.stringify({ event: 'media', streamSid, media: { payload: Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('base64') } });
}

/** Echoed back by Twilio once the audio queued before it has played (or been cleared). */
export function outboundMark(streamSid: string, name: string): string {
  return JSON.stringify({ event: 'mark', streamSid, mark: { name } });
}

/** Drops the audio Twilio has buffered but not yet played (barge-in). */
export function outboundClear(streamSid: string): string {
  return JSON.stringify({ event: 'clear', streamSid });
}
