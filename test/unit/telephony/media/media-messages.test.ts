import { describe, expect, it } from 'vitest';
import {
  decodeMediaPayload,
  outboundClear,
  outboundMark,
  outboundMedia,
  parseMediaMessage,
} from '../../../../src/telephony/media/media-messages.js';

describe('Twilio media stream messages', () => {
  it('parses the messages Twilio sends (integrations.md §6.5)', () => {
    const start = parseMediaMessage(
      JSON.stringify({
        event: 'start',
        sequenceNumber: '1',
        streamSid: 'MZ1',
        start: {
          streamSid: 'MZ1',
          accountSid: 'AC1',
          callSid: 'CA1',
          tracks: ['inbound'],
          customParameters: { from: '+84901234567', to: '+842412345678' },
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
        },
      }),
    );
    expect(start).toMatchObject({ kind: 'message', message: { event: 'start', start: { callSid: 'CA1', customParameters: { from: '+84901234567' } } } });
    const media = parseMediaMessage('{"event":"media","sequenceNumber":"2","streamSid":"MZ1","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":"/w=="}}');
    expect(media).toMatchObject({ kind: 'message', message: { event: 'media', media: { payload: '/w==' } } });
    expect(parseMediaMessage('{"event":"dtmf","streamSid":"MZ1","dtmf":{"track":"inbound_track","digit":"#"}}')).toMatchObject({ kind: 'message', message: { dtmf: { digit: '#' } } });
    expect(parseMediaMessage('{"event":"mark","streamSid":"MZ1","mark":{"name":"say-1"}}')).toMatchObject({ kind: 'message', message: { mark: { name: 'say-1' } } });
    expect(parseMediaMessage('{"event":"stop","streamSid":"MZ1","stop":{"accountSid":"AC1","callSid":"CA1"}}')).toMatchObject({ kind: 'message', message: { event: 'stop' } });
    expect(parseMediaMessage('{"event":"connected","protocol":"Call","version":"1.0.0"}')).toMatchObject({ kind: 'message' });
  });

  it('ignores unknown events and reports malformed ones', () => {
    expect(parseMediaMessage('{"event":"somethingNew","x":1}')).toEqual({ kind: 'unknown', tag: 'somethingNew' });
    expect(parseMediaMessage('not json').kind).toBe('malformed');
    expect(parseMediaMessage('[1,2]').kind).toBe('malformed');
    expect(parseMediaMessage('{"noEvent":true}').kind).toBe('malformed');
    expect(parseMediaMessage('{"event":"start","streamSid":"MZ1","start":{}}')).toMatchObject({ kind: 'malformed', reason: expect.stringContaining('callSid') });
    expect(parseMediaMessage('{"event":"dtmf","dtmf":{"digit":"12"}}').kind).toBe('malformed');
    expect(parseMediaMessage('{"event":"media","media":{"payload":7}}').kind).toBe('malformed');
  });

  it('decodes base64 payloads and refuses anything else', () => {
    expect([...(decodeMediaPayload(Buffer.from([1, 2, 3]).toString('base64')) ?? [])]).toEqual([1, 2, 3]);
    expect(decodeMediaPayload('%%%%')).toBeNull();
    expect(decodeMediaPayload('abc')).toBeNull();
  });

  it('builds media, mark and clear for Twilio', () => {
    const frame = new Uint8Array(160).fill(0x7f);
    const media = JSON.parse(outboundMedia('MZ1', frame.subarray(0, 160))) as { event: string; streamSid: string; media: { payload: string } };
    expect(media.event).toBe('media');
    expect(media.streamSid).toBe('MZ1');
    expect(Buffer.from(media.media.payload, 'base64')).toEqual(Buffer.from(frame));
    expect(JSON.parse(outboundMark('MZ1', 'say-2'))).toEqual({ event: 'mark', streamSid: 'MZ1', mark: { name: 'say-2' } });
    expect(JSON.parse(outboundClear('MZ1'))).toEqual({ event: 'clear', streamSid: 'MZ1' });
  });
});
