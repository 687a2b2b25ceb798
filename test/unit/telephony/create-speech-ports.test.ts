import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSpeechPorts } from '../../../src/telephony/speech/create-speech-ports.js';
import { EspeakTextToSpeech } from '../../../src/telephony/speech/espeak-text-to-speech.js';
import { GoogleTextToSpeech } from '../../../src/telephony/speech/google-text-to-speech.js';
import { GoogleSpeechToText } from '../../../src/telephony/speech/google-speech-to-text.js';
import { audioToolsAvailability } from '../../support/audio-tools.js';

/** Real audio needs espeak-ng and sox (skipped with a printed reason when absent, except under REQUIRE_SERVICES=1). */
const audio = audioToolsAvailability();

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Runs `config` through createSpeechPorts in a fresh Node process and reports how many
 * `@google-cloud/*` modules are loaded — before, and after importing the TTS SDK on purpose
 * (which proves the probe would see them).
 */
async function googleModulesLoaded(config: object): Promise<{ before: number; after: number; tts: string; stt: string | null }> {
  const script = `
    import { createRequire } from 'node:module';
    const { createSpeechPorts } = await import('./src/telephony/speech/create-speech-ports.ts');
    const ports = await createSpeechPorts(${JSON.stringify(config)});
    await ports.tts.synthesize('   ');
    const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('@google-cloud/')).length;
    const before = loaded();
    await import('@google-cloud/text-to-speech');
    console.log(JSON.stringify({ before, after: loaded(), tts: ports.tts.constructor.name, stt: ports.stt?.constructor.name ?? null }));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe.skipIf(audio.skip)('createSpeechPorts', () => {
  it('builds espeak TTS and no STT for the default Gather set-up', async () => {
    const ports = await createSpeechPorts({ stt: null, tts: 'espeak', espeakVoice: 'vi', espeakSpeed: 160 });
    expect(ports.tts).toBeInstanceOf(EspeakTextToSpeech);
    expect(ports.stt).toBeNull();
    const audio = await ports.tts.synthesize('Dạ');
    expect(audio.length).toBeGreaterThan(800);
  });

  it('builds the Google adapters when configured', async () => {
    const ports = await createSpeechPorts({ stt: 'google', tts: 'google', googleVoice: 'vi-VN-Neural2-A', googleApiEndpoint: '127.0.0.1' });
    expect(ports.tts).toBeInstanceOf(GoogleTextToSpeech);
    expect(ports.stt).toBeInstanceOf(GoogleSpeechToText);
  });

  it('loads nothing from Google unless a Google adapter is used (checked in a fresh process)', async () => {
    const local = await googleModulesLoaded({ stt: null, tts: 'espeak' });
    expect(local).toMatchObject({ before: 0, tts: 'EspeakTextToSpeech', stt: null });
    expect(local.after).toBeGreaterThan(0);
    const google = await googleModulesLoaded({ stt: 'google', tts: 'google' });
    expect(google).toMatchObject({ before: 0, tts: 'GoogleTextToSpeech', stt: 'GoogleSpeechToText' });
    expect(google.after).toBeGreaterThan(0);
  });
});
