import type { CallEnd, CallerInput, CallStart, TransferOutcome, VoiceDialog, VoiceTurn } from '../../src/telephony/voice-turn.js';

/**
 * A VoiceDialog for socket and bench tests that only script the greeting and the answers: every
 * other call ends the call or does nothing. Tests override what they observe.
 */
export abstract class BaseVoiceDialog implements VoiceDialog {
  abstract start(call: CallStart): Promise<VoiceTurn>;
  abstract input(callSid: string, input: CallerInput): Promise<VoiceTurn>;
  async interrupted(_callSid: string, _heard: string | null): Promise<void> {}
  async afterStream(_callSid: string): Promise<VoiceTurn> {
    return { actions: [{ kind: 'hangup' }] };
  }
  async transferEnded(_callSid: string, _outcome: TransferOutcome): Promise<VoiceTurn> {
    return { actions: [{ kind: 'hangup' }] };
  }
  async summary(_callSid: string): Promise<string | null> {
    return null;
  }
  async queuedSummary(): Promise<string | null> {
    return null;
  }
  async ended(_callSid: string, _end: CallEnd): Promise<void> {}
}
