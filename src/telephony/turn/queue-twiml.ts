import twilio from 'twilio';
import { speakable } from '../../text/speakable.js';
import type { TelephonyConfig } from '../voice-turn.js';
import { renderTransfer, sayVi, VOICE_PATHS } from './render-twiml.js';

/** After this long in the queue the hold message offers a call-back instead of more waiting. */
export const OFFER_CALLBACK_AFTER_S = 5 * 60;
/** Seconds of silence between hold messages; Twilio requests the waitUrl again when it ends. */
export const HOLD_PAUSE_S = 15;

const positiveInt = (value: string | undefined): number | null => {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isInteger(n) && n > 0 ? n : null;
};

/**
 * The `<Enqueue waitUrl>`: the caller's place, then a pause (Twilio replays the waitUrl when the
 * TwiML ends). After `OFFER_CALLBACK_AFTER_S` in the queue, key 1 leaves the queue (`/hold-key`
 * answers `<Leave/>`); the Enqueue action then runs with QueueResult=leave and the dialog offers a
 * call-back.
 */
export function renderHoldTwiml(config: TelephonyConfig, queue: { position?: string; queueTimeS?: string }): string {
  const response = new twilio.twiml.VoiceResponse();
  const position = positiveInt(queue.position);
  const waited = Number(queue.queueTimeS);
  // Written with digits, then made speakable: "thứ 2" → "thứ hai", "thứ 4" → "thứ tư".
  const place = position === null ? 'Anh chị đang trong hàng chờ gặp cán bộ.' : `Anh chị đang ở vị trí thứ ${position} trong hàng chờ.`;
  const message = `${place} Cán bộ sẽ nghe máy ngay khi rảnh, anh chị vui lòng giữ máy.`;
  if (Number.isFinite(waited) && waited >= OFFER_CALLBACK_AFTER_S) {
    const gather = response.gather({ input: ['dtmf'], numDigits: 1, timeout: 3, action: VOICE_PATHS.holdKey, method: 'POST' });
    const minutes = Math.floor(waited / 60);
    sayVi(gather, speakable(`${message} Anh chị đã chờ ${minutes} phút. Nếu không muốn chờ thêm, anh chị nhấn phím 1 để được gọi lại.`), config);
  } else {
    sayVi(response, speakable(message), config);
  }
  response.pause({ length: HOLD_PAUSE_S });
  return response.toString();
}

/** The hold Gather's action: key 1 leaves the queue; any other key goes back to waiting. */
export function renderHoldKeyTwiml(config: TelephonyConfig, digits: string | undefined): string {
  const response = new twilio.twiml.VoiceResponse();
  if (digits === '1') {
    response.leave();
  } else {
    sayVi(response, 'Anh chị tiếp tục giữ máy, cán bộ sẽ nghe máy ngay khi rảnh.', config);
  }
  return response.toString();
}

/** What the operator hears before being connected (`<Number url>` or the operator webhook). */
export function renderWhisperTwiml(config: TelephonyConfig, summary: string | null): string {
  const response = new twilio.twiml.VoiceResponse();
  sayVi(response, summary ?? 'Cuộc gọi chuyển từ trợ lý hành chính công, chưa có tóm tắt.', config);
  return response.toString();
}

/**
 * The operators' own number (queue mode): the summary of the caller about to be bridged (Twilio's
 * queue is first in, first out), then `<Dial><Queue>`; `/connecting` plays to the caller first.
 */
export function renderOperatorTwiml(config: TelephonyConfig, summary: string | null): string {
  const response = new twilio.twiml.VoiceResponse();
  if (summary === null || config.transfer.kind !== 'queue') {
    sayVi(response, 'Không có cuộc gọi nào đang chờ.', config);
    response.hangup();
    return response.toString();
  }
  sayVi(response, summary, config);
  response.dial().queue({ url: VOICE_PATHS.connecting, method: 'POST' }, config.transfer.queueName);
  return response.toString();
}

/** `<Queue url>`: the caller hears this just before the bridge. */
export function renderConnectingTwiml(config: TelephonyConfig): string {
  const response = new twilio.twiml.VoiceResponse();
  sayVi(response, 'Đang kết nối anh chị với cán bộ.', config);
  return response.toString();
}

export const APOLOGY_TRANSFER = 'Xin lỗi, hệ thống đang gặp sự cố. Anh chị vui lòng gọi lại sau hoặc giữ máy để gặp cán bộ.';
export const APOLOGY_HANGUP = 'Xin lỗi, hệ thống đang gặp sự cố. Anh chị vui lòng gọi lại sau.';

/**
 * The dialog failed: apologise and pass the caller to an operator, so Twilio always gets TwiML and
 * the caller is never dropped with silence. After a transfer already ended the caller is not put
 * back in the queue (that could loop on a full queue): the apology ends the call instead.
 */
export function renderApologyTwiml(config: TelephonyConfig, callSid: string, then: 'transfer' | 'hangup'): string {
  const response = new twilio.twiml.VoiceResponse();
  if (then === 'transfer') {
    sayVi(response, APOLOGY_TRANSFER, config);
    renderTransfer(response, callSid, config);
  } else {
    sayVi(response, APOLOGY_HANGUP, config);
    response.hangup();
  }
  return response.toString();
}
