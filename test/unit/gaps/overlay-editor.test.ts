import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addToOverlay } from '../../../src/gaps/overlay-editor.js';
import { loadOverlays } from '../../../src/knowledge/overlay.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ccai-overlay-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (code: string) => path.join(dir, 'overlays', `${code}.json`);

describe('addToOverlay', () => {
  it('creates the overlay file for a procedure without one, valid for the loader', () => {
    const result = addToOverlay(dir, '1.001193', 'aliases', '  làm   giấy khai sinh  ');
    expect(result).toMatchObject({ ok: true, created: true, overlay: { id: '1.001193', aliases: ['làm giấy khai sinh'], examples: [], notes: [] } });
    const { overlays, problems } = loadOverlays(dir);
    expect(problems).toEqual([]);
    expect(overlays.get('1.001193')?.aliases).toEqual(['làm giấy khai sinh']);
    expect(readdirSync(path.join(dir, 'overlays'))).toEqual(['1.001193.json']);
  });

  it('appends to an existing file, keeping what the team wrote', () => {
    mkdirSync(path.join(dir, 'overlays'));
    writeFileSync(file('1.000656'), JSON.stringify({ id: '1.000656', aliases: ['khai tử'], notes: ['Nộp trực tuyến được.'] }));
    expect(addToOverlay(dir, '1.000656', 'notes', 'Mang theo giấy báo tử.')).toMatchObject({ ok: true, created: false });
    expect(JSON.parse(readFileSync(file('1.000656'), 'utf8'))).toEqual({ id: '1.000656', aliases: ['khai tử'], notes: ['Nộp trực tuyến được.', 'Mang theo giấy báo tử.'] });
  });

  it('refuses a phrase already there, ignoring case and diacritics', () => {
    addToOverlay(dir, '1.001193', 'aliases', 'Làm giấy khai sinh');
    expect(addToOverlay(dir, '1.001193', 'aliases', 'lam giay khai sinh')).toMatchObject({ ok: false, error: 'duplicate' });
    expect(loadOverlays(dir).overlays.get('1.001193')?.aliases).toEqual(['Làm giấy khai sinh']);
  });

  it('leaves a broken file for a person to fix, and refuses what the schema refuses', () => {
    mkdirSync(path.join(dir, 'overlays'));
    writeFileSync(file('1.004222'), '{"id": "1.004222", "alias": ["typo"]}');
    expect(addToOverlay(dir, '1.004222', 'aliases', 'nhập hộ khẩu')).toMatchObject({ ok: false, error: 'broken_file' });
    expect(readFileSync(file('1.004222'), 'utf8')).toBe('{"id": "1.004222", "alias": ["typo"]}');
    expect(addToOverlay(dir, '1.004223', 'notes', 'x'.repeat(301))).toMatchObject({ ok: false, error: 'invalid' });
    expect(readdirSync(path.join(dir, 'overlays'))).toEqual(['1.004222.json']);
  });
});
