import { describe, expect, it } from 'vitest';
import { planRelayTurn, speakingMs, splitSentences } from '../../../../src/telephony/relay/relay-turn.js';

const LISTEN = { digits: 'one' as const, hints: [], timeoutS: 5 };

describe('splitSentences', () => {
  it('splits Vietnamese text into sentences', () => {
    expect(splitSentences('Xin chào, tôi là trợ lý hành chính công. Bạn cần hỏi thủ tục gì? Nhấn phím không để gặp cán bộ!')).toEqual([
      'Xin chào, tôi là trợ lý hành chính công.',
      'Bạn cần hỏi thủ tục gì?',
      'Nhấn phím không để gặp cán bộ!',
    ]);
  });

  it('keeps a text without final punctuation as one sentence and drops blank text', () => {
    expect(splitSentences('  Dạ vâng  ')).toEqual(['Dạ vâng']);
    expect(splitSentences(' \n ')).toEqual([]);
  });

  it('composes decomposed diacritics (some keyboards and recognisers send NFD)', () => {
    expect(splitSentences('Căn cước.'.normalize('NFD'))).toEqual(['Căn cước.']);
  });
});

describe('planRelayTurn', () => {
  it('streams every say as sentence tokens, with word breaks between them, and keeps the listen', () => {
    const plan = planRelayTurn({
      actions: [
        { kind: 'say', text: 'Thủ tục cấp lại căn cước làm ở công an phường. Lệ phí là ba mươi nghìn đồng.' },
        { kind: 'say', text: 'Bạn cần hỏi gì thêm không?' },
        { kind: 'listen', listen: LISTEN },
      ],
    });
    expect(plan.tokens).toEqual([
      'Thủ tục cấp lại căn cước làm ở công an phường. ',
      'Lệ phí là ba mươi nghìn đồng. ',
      'Bạn cần hỏi gì thêm không?',
    ]);
    expect(plan.listen).toBe(LISTEN);
    expect(plan.ending).toBeNull();
  });

  it('turns a transfer into a live-agent hand-off carrying the summary', () => {
    const plan = planRelayTurn({
      actions: [
        { kind: 'say', text: 'Tôi chuyển bạn đến cán bộ.' },
        { kind: 'transfer', reason: 'complaint', summary: 'Công dân phản ánh hồ sơ đất đai chậm.' },
      ],
    });
    expect(plan.tokens).toEqual(['Tôi chuyển bạn đến cán bộ.']);
    expect(plan.listen).toBeNull();
    expect(plan.ending).toEqual({ reasonCode: 'live-agent-handoff', reason: 'complaint', summary: 'Công dân phản ánh hồ sơ đất đai chậm.' });
  });

  it('turns a hangup into end-call', () => {
    expect(planRelayTurn({ actions: [{ kind: 'hangup' }] })).toEqual({
      tokens: [],
      listen: null,
      ending: { reasonCode: 'end-call', reason: 'goodbye', summary: null },
    });
  });
});

describe('speakingMs', () => {
  it('estimates 0.07 s per character by default, counting characters not UTF-16 units', () => {
    expect(speakingMs('a'.repeat(100))).toBe(7000);
    expect(speakingMs('Bạn')).toBe(210);
    expect(speakingMs('abcd', 0.5)).toBe(2000);
  });
});
