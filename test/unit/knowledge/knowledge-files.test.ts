import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStarterProcedures } from '../../../src/knowledge/load-starter-procedures.js';
import { loadOnlineOnly } from '../../../src/knowledge/online-only-list.js';
import { loadOverlays } from '../../../src/knowledge/overlay.js';
import { loadLexicon } from '../../../src/text/lexicon.js';
import { fold } from '../../../src/text/vietnamese.js';
import { tthc } from '../ingest/shared-data.js';

/**
 * Schema and consistency checks on everything the team ships in knowledge/: staff edit these
 * files by hand, and a mistake must fail here, not in front of a citizen.
 */
const KNOWLEDGE = path.resolve('knowledge');

/** Official codes and portal links of the national catalogue (read in place). */
const NATIONAL = new Map<string, string | null>(
  readFileSync(tthc('procedures.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const r = JSON.parse(line) as { id: string; url: string | null };
      return [r.id, r.url];
    }),
);

const starter = loadStarterProcedures(KNOWLEDGE);
const { overlays, problems } = loadOverlays(KNOWLEDGE);

describe('starter catalogue (knowledge/procedures)', () => {
  it('every file loads against the Procedure schema under its own code', () => {
    expect(starter.skipped).toEqual([]);
    const files = readdirSync(path.join(KNOWLEDGE, 'procedures')).filter((n) => n.endsWith('.json'));
    expect(starter.procedures).toHaveLength(files.length);
  });

  it('holds at least 60 procedures', () => {
    expect(starter.procedures.length).toBeGreaterThanOrEqual(60);
  });

  it('uses official codes of the national catalogue, with that record\'s portal link', () => {
    for (const p of starter.procedures) {
      expect(NATIONAL.has(p.id), `${p.id} is not in the national catalogue`).toBe(true);
      if (NATIONAL.get(p.id)) expect(p.url, p.id).toBe(NATIONAL.get(p.id));
    }
  });

  it('is marked as the team\'s own summary, sourced to its file', () => {
    for (const p of starter.procedures) {
      expect(p.sources, p.id).toEqual([{ kind: 'team_knowledge', file: `knowledge/procedures/${p.id}.json`, repo: null, commit: null }]);
      expect(p.description, p.id).toMatch(/nhóm Công chức AI tự biên soạn/);
      expect(p.channels.length, `${p.id} says how to submit`).toBeGreaterThan(0);
      expect(p.documents.length, `${p.id} lists documents`).toBeGreaterThan(0);
    }
  });

  it.each([
    ['hộ tịch', /hộ tịch/],
    ['cư trú', /cư trú/],
    ['căn cước', /căn cước/],
    ['hộ chiếu', /hộ chiếu|xuất nhập cảnh/],
    ['đăng ký xe', /đăng ký.*xe|phương tiện/],
    ['giấy phép lái xe', /giấy phép lái xe|lái xe/],
    ['đất đai', /đất đai/],
    ['xây dựng', /xây dựng/],
    ['hộ kinh doanh', /hộ kinh doanh/],
    ['doanh nghiệp', /doanh nghiệp/],
    ['thuế', /thuế/],
    ['chứng thực', /chứng thực/],
    ['lý lịch tư pháp', /lý lịch tư pháp/],
    ['bảo hiểm', /bảo hiểm/],
  ])('covers %s', (_area, pattern) => {
    const matching = starter.procedures.filter((p) => pattern.test(`${p.field ?? ''} ${p.name}`.toLowerCase()));
    expect(matching.length).toBeGreaterThan(0);
  });

  it('never quotes a fee figure that is set by the city (those say who sets it instead)', () => {
    for (const p of starter.procedures) {
      for (const c of p.channels) {
        if (c.fee && /Hội đồng nhân dân|HĐND/.test(c.fee)) expect(c.fee, p.id).not.toMatch(/\d[\d.]*\s*(?:đồng|đ\b)/);
      }
    }
  });
});

describe('overlays (knowledge/overlays)', () => {
  it('every file is valid', () => {
    expect(problems).toEqual([]);
    expect(overlays.size).toBe(readdirSync(path.join(KNOWLEDGE, 'overlays')).filter((n) => n.endsWith('.json')).length);
  });

  it('every overlay is for an official code', () => {
    for (const id of overlays.keys()) expect(NATIONAL.has(id), id).toBe(true);
  });

  it('every starter procedure has an overlay with aliases and example questions', () => {
    for (const p of starter.procedures) {
      const o = overlays.get(p.id);
      expect(o, p.id).toBeDefined();
      expect(o!.aliases.length, p.id).toBeGreaterThan(0);
      expect(o!.examples.length, p.id).toBeGreaterThan(0);
    }
  });

  it('no alias (as citizens type it, without diacritics) points to two procedures', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const o of overlays.values()) {
      for (const alias of o.aliases) {
        const key = fold(alias);
        const other = owner.get(key);
        if (other && other !== o.id) clashes.push(`"${alias}": ${other} and ${o.id}`);
        owner.set(key, o.id);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('notes hold no phone number but the hotline, and no link that is not https', () => {
    for (const o of overlays.values()) {
      for (const note of o.notes) {
        for (const digits of note.match(/\b\d[\d .]{7,}\d\b/g) ?? []) expect(digits.replace(/\D/g, ''), o.id).toBe('19001009');
        for (const url of note.match(/\bhttps?:\/\/\S+/g) ?? []) expect(url, o.id).toMatch(/^https:\/\//);
      }
    }
  });
});

describe('lists', () => {
  it('the online-only list is valid and names only official codes', () => {
    const list = loadOnlineOnly(path.join(KNOWLEDGE, 'online-only.json'));
    for (const e of list.entries) expect(NATIONAL.has(e.code), e.code).toBe(true);
  });

  it('the lexicon is valid', () => {
    expect(loadLexicon(path.join(KNOWLEDGE, 'lexicon.json')).entries.length).toBeGreaterThan(50);
  });
});
