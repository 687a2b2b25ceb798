import { describe, expect, it } from 'vitest';
import { MAX_RELAY_FRAME_BYTES, parseRelayFrame, relayEnd, relayText } from '../../../../src/telephony/relay/relay-messages.js';

const setup = {
  type: 'setup',
  sessionId: 'VX00000000000000000000000000000000',
  accountSid: 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
  parentCallSid: '',
  callSid: 'CA00000000000000000000000000000000',
  from: '+84912345678',
  to: '+842412345678',
  forwardedFrom: '',
  callType: 'PSTN',
  callerName: '',
  direction: 'inbound',
  callStatus: 'RINGING',
  customParameters: { callReference: 'bar' },
};

describe('parseRelayFrame', () => {
  it('reads a setup message as Twilio documents it', () => {
    const parsed = parseRelayFrame(JSON.stringify(setup));
    expect(parsed).toMatchObject({ kind: 'message', message: { type: 'setup', callSid: setup.callSid, from: setup.from, to: setup.to, customParameters: { callReference: 'bar' } } });
  });

  it('reads prompt, interrupt, dtmf and error messages', () => {
    expect(parseRelayFrame('{"type":"prompt","voicePrompt":"làm căn cước","lang":"vi-VN","last":false}')).toEqual({
      kind: 'message',
      message: { type: 'prompt', voicePrompt: 'làm căn cước', lang: 'vi-VN', last: false },
    });
    expect(parseRelayFrame('{"type":"interrupt","utteranceUntilInterrupt":"Xin chào","durationUntilInterruptMs":820}')).toEqual({
      kind: 'message',
      message: { type: 'interrupt', utteranceUntilInterrupt: 'Xin chào', durationUntilInterruptMs: 820 },
    });
    expect(parseRelayFrame('{"type":"dtmf","digit":"#"}')).toEqual({ kind: 'message', message: { type: 'dtmf', digit: '#' } });
    expect(parseRelayFrame('{"type":"error","description":"Invalid message"}')).toEqual({ kind: 'message', message: { type: 'error', description: 'Invalid message' } });
  });

  it('takes a prompt without `last` as a whole utterance', () => {
    expect(parseRelayFrame('{"type":"prompt","voicePrompt":"alo"}')).toMatchObject({ message: { last: true } });
  });

  it('ignores message types it does not handle without calling them malformed', () => {
    expect(parseRelayFrame('{"type":"info","name":"tokensPlayed"}')).toEqual({ kind: 'unknown', tag: 'info' });
  });

  it('calls broken frames malformed, with the reason', () => {
    expect(parseRelayFrame('{not json')).toEqual({ kind: 'malformed', reason: 'not JSON' });
    expect(parseRelayFrame('[1,2]')).toEqual({ kind: 'malformed', reason: 'not an object' });
    expect(parseRelayFrame('{"voicePrompt":"x"}')).toEqual({ kind: 'malformed', reason: 'no type' });
    const noCall = parseRelayFrame(JSON.stringify({ ...setup, callSid: undefined }));
    expect(noCall.kind).toBe('malformed');
    expect(noCall.kind === 'malformed' && noCall.reason).toContain('callSid');
    expect(parseRelayFrame('{"type":"dtmf","digit":"12"}').kind).toBe('malformed');
    expect(parseRelayFrame('{"type":"prompt","voicePrompt":42,"last":true}').kind).toBe('malformed');
  });

  it('refuses oversized frames before parsing them', () => {
    const big = JSON.stringify({ type: 'prompt', voicePrompt: 'a'.repeat(MAX_RELAY_FRAME_BYTES), last: true });
    expect(parseRelayFrame(big)).toEqual({ kind: 'malformed', reason: 'frame too large' });
  });
});

describe('outbound builders', () => {
  it('builds a text token', () => {
    expect(relayText('Xin chào.', true)).toEqual({ type: 'text', token: 'Xin chào.', last: true });
    expect(relayText('Dạ ', false, { interruptible: false })).toEqual({ type: 'text', token: 'Dạ ', last: false, interruptible: false });
  });

  it('builds end with handoffData as a JSON string', () => {
    const end = relayEnd({ reasonCode: 'live-agent-handoff', reason: 'caller_request', summary: 'Công dân hỏi về cấp lại căn cước.' });
    expect(end.type).toBe('end');
    expect(typeof end.handoffData).toBe('string');
    expect(JSON.parse(end.handoffData)).toEqual({ reasonCode: 'live-agent-handoff', reason: 'caller_request', summary: 'Công dân hỏi về cấp lại căn cước.' });
  });
});
