import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CENTER_HOTLINE,
  CenterKnowledgeError,
  type CenterKnowledge,
  loadCenterKnowledge,
  spokenSentences,
} from '../../../src/center/center-knowledge.js';

const KNOWLEDGE_DIR = path.resolve(import.meta.dirname, '../../../knowledge');
const RAW = fs.readFileSync(path.join(KNOWLEDGE_DIR, 'center.json'), 'utf8');

/**
 * Phone-number-like runs: a Vietnamese prefix (0…, +84…, 1800/1900…) followed by digits,
 * spaces, dots or dashes, seven digits or more in all. Dates ("07/2023") and amounts
 * ("100.000") do not start that way.
 */
function phoneNumbers(text: string): string[] {
  const withoutUrls = text.replace(/https?:\/\/\S+/g, ' ');
  const found = withoutUrls.match(/(?<![\d/.])(?:\+84|0|1[89]00)[\d .-]{3,}\d(?![\d/])/g) ?? [];
  return found.map((s) => s.replace(/\D/g, '')).filter((digits) => digits.length >= 7);
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'center-knowledge-'));
}

function writeCenter(dir: string, value: unknown): void {
  fs.writeFileSync(path.join(dir, 'center.json'), typeof value === 'string' ? value : JSON.stringify(value));
}

function minimalTopic(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'hotline',
    title: 'Tổng đài',
    cues: ['tổng đài'],
    answer: 'Gọi 19001009.',
    voiceAnswer: 'Anh chị gọi 19001009.',
    sources: [],
    confidence: 'team',
    ...over,
  };
}

describe('the real knowledge/center.json', () => {
  const knowledge = loadCenterKnowledge(KNOWLEDGE_DIR) as CenterKnowledge;

  it('loads and has at least 10 topics with unique ids', () => {
    expect(knowledge).not.toBeNull();
    expect(knowledge.hotline).toBe(CENTER_HOTLINE);
    expect(knowledge.topics.length).toBeGreaterThanOrEqual(10);
    expect(new Set(knowledge.topics.map((t) => t.id)).size).toBe(knowledge.topics.length);
  });

  it('covers the topics citizens ask about', () => {
    const ids = knowledge.topics.map((t) => t.id);
    for (const id of ['about_center', 'hotline', 'branches', 'opening_hours', 'online_submission', 'ihanoi', 'online_agents', 'center_scope', 'fees_payment', 'complaints_feedback']) {
      expect(ids).toContain(id);
    }
  });

  it.each(loadCenterKnowledge(KNOWLEDGE_DIR)!.topics.map((t) => [t.id, t] as const))('%s: cues, answer, short voice answer without links', (_id, t) => {
    expect(t.cues.length + t.standaloneCues.length).toBeGreaterThan(0);
    expect(t.answer.length).toBeGreaterThan(40);
    for (const voice of [t.voiceAnswer, t.voiceAnswerEn].filter((v): v is string => v !== undefined)) {
      expect(spokenSentences(voice).length).toBeLessThanOrEqual(3);
      expect(voice).not.toMatch(/https?:|www\.|\.gov\.vn/i);
    }
    for (const link of t.links) expect(link.url).toMatch(/^https:\/\//);
    if (t.sources.length === 0) expect(t.confidence).toBe('team');
    // English text exists for every topic, so English questions are not answered in Vietnamese.
    expect(t.answerEn).toBeDefined();
  });

  it('gives no phone number other than the hotline, anywhere in the file', () => {
    const numbers = phoneNumbers(RAW);
    expect(numbers.length).toBeGreaterThan(0);
    expect(new Set(numbers)).toEqual(new Set([CENTER_HOTLINE]));
  });

  it('the phone check itself catches other numbers and ignores dates and amounts', () => {
    expect(phoneNumbers('gọi 024.1022 nhánh 7 hoặc 0243 123 4567')).toEqual(['0241022', '02431234567']);
    expect(phoneNumbers('Nghị quyết 07/2023/NQ-HĐND, 100.000 đồng, 26.000 đồng, 1/1/2026')).toEqual([]);
  });

  it('is stored NFC (decomposed marks would never match the folded cues)', () => {
    expect(RAW).toBe(RAW.normalize('NFC'));
  });
});

describe('loadCenterKnowledge errors', () => {
  it('returns null and warns when the file is missing', () => {
    const warnings: object[] = [];
    const result = loadCenterKnowledge(tempDir(), { warn: (obj) => warnings.push(obj) });
    expect(result).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toContain('center.json');
  });

  it('names the file for invalid JSON', () => {
    const dir = tempDir();
    writeCenter(dir, '{ "version": 1, ');
    expect(() => loadCenterKnowledge(dir)).toThrow(CenterKnowledgeError);
    expect(() => loadCenterKnowledge(dir)).toThrow(/center\.json: not valid JSON/);
  });

  it('names the file and the field of a schema problem', () => {
    const dir = tempDir();
    writeCenter(dir, { version: 1, name: 'Trung tâm', hotline: '19001009', topics: [minimalTopic({ voiceAnswer: '' })] });
    expect(() => loadCenterKnowledge(dir)).toThrow(/center\.json: topics\.0\.voiceAnswer/);
  });

  it.each([
    ['a voice answer longer than 3 sentences', { voiceAnswer: 'Một. Hai. Ba. Bốn.' }, /topics\.0\.voiceAnswer: a voice answer has at most 3 sentences/],
    ['a link in a voice answer', { voiceAnswer: 'Xem https://dichvucong.gov.vn/ nhé.' }, /topics\.0\.voiceAnswer: a voice answer must not contain a URL/],
    ['a plain-http link', { links: [{ label: 'x', url: 'http://example.gov.vn/' }] }, /topics\.0\.links\.0\.url/],
    ['no sources without confidence "team"', { confidence: 'sourced' }, /topics\.0\.sources: a topic without sources/],
    ['no cues', { cues: [] }, /topics\.0\.cues/],
    ['a bad id', { id: 'Opening Hours' }, /topics\.0\.id/],
    ['an unknown field', { answr: 'typo' }, /topics\.0/],
  ])('rejects %s', (_what, over, message) => {
    const dir = tempDir();
    writeCenter(dir, { version: 1, name: 'Trung tâm', hotline: '19001009', topics: [minimalTopic(over)] });
    expect(() => loadCenterKnowledge(dir)).toThrow(message);
  });

  it('rejects a hotline other than 19001009', () => {
    const dir = tempDir();
    writeCenter(dir, { version: 1, name: 'Trung tâm', hotline: '0241022', topics: [minimalTopic()] });
    expect(() => loadCenterKnowledge(dir)).toThrow(/center\.json: hotline/);
  });

  it('rejects duplicate topic ids', () => {
    const dir = tempDir();
    writeCenter(dir, { version: 1, name: 'Trung tâm', hotline: '19001009', topics: [minimalTopic(), minimalTopic()] });
    expect(() => loadCenterKnowledge(dir)).toThrow(/topics\.1\.id: duplicate topic id "hotline"/);
  });

  it('normalises decomposed text to NFC', () => {
    const dir = tempDir();
    const decomposed = 'Tổng đài'.normalize('NFD');
    writeCenter(dir, { version: 1, name: 'Trung tâm', hotline: '19001009', topics: [minimalTopic({ title: decomposed, cues: [decomposed] })] });
    const k = loadCenterKnowledge(dir)!;
    expect(k.topics[0]!.title).toBe('Tổng đài'.normalize('NFC'));
    expect(k.topics[0]!.cues[0]).toBe('Tổng đài'.normalize('NFC'));
  });
});
