import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runOnlineOnlyCommand } from '../../../src/commands/online-only-command.js';
import { hanoiDate, isIsoDate, msUntilHanoiMidnight } from '../../../src/knowledge/hanoi-date.js';
import {
  addOnlineOnly,
  EMPTY_ONLINE_ONLY,
  loadOnlineOnly,
  onlineOnlyOn,
  type OnlineOnlyFile,
  parseOnlineOnly,
  removeOnlineOnly,
  saveOnlineOnly,
} from '../../../src/knowledge/online-only-list.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'ccai-oo-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function list(...entries: OnlineOnlyFile['entries']): OnlineOnlyFile {
  return { version: 1, entries };
}
function added(l: OnlineOnlyFile, code: string, from: string): OnlineOnlyFile {
  const c = addOnlineOnly(l, code, from);
  if (!c.changed) throw new Error(c.message);
  return c.list;
}

describe('online-only dates', () => {
  const l = list({ code: '1.001193', from: '2026-12-07', to: '2027-01-01', source: null });

  it.each([
    ['2026-12-06', false], // the day before
    ['2026-12-07', true], // the first day
    ['2026-12-31', true],
    ['2027-01-01', false], // "to" is the first day accepted in person again
  ])('on %s online-only is %s', (date, expected) => {
    expect(onlineOnlyOn(l, '1.001193', date) !== undefined).toBe(expected);
    expect(onlineOnlyOn(l, '1.000894', date)).toBeUndefined();
  });

  it('an open-ended rule stands on every later day', () => {
    const open = added(list(), '1.004222', '2026-12-01');
    expect(onlineOnlyOn(open, '1.004222', '2030-06-01')?.from).toBe('2026-12-01');
  });

  it('reads the Hanoi date, not the server time zone: 17:00 UTC is already the next day', () => {
    expect(hanoiDate(new Date('2026-12-06T16:59:59Z'))).toBe('2026-12-06');
    expect(hanoiDate(new Date('2026-12-06T17:00:00Z'))).toBe('2026-12-07');
    expect(msUntilHanoiMidnight(new Date('2026-12-06T16:59:00Z'))).toBe(60_000);
  });

  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('07/12/2026')).toBe(false);
  });
});

describe('add and remove', () => {
  it('adding twice changes nothing; adding earlier moves the start', () => {
    const a = added(list(), '1.001193', '2026-12-07');
    expect(addOnlineOnly(a, '1.001193', '2026-12-10').changed).toBe(false);
    const earlier = added(a, '1.001193', '2026-12-01');
    expect(earlier.entries).toEqual([{ code: '1.001193', from: '2026-12-01', to: null, source: null }]);
  });

  it('removing from a day ends the period there and keeps its history', () => {
    const a = added(list(), '1.001193', '2026-12-07');
    const r = removeOnlineOnly(a, '1.001193', '2027-01-01');
    expect(r.changed && r.list.entries).toEqual([{ code: '1.001193', from: '2026-12-07', to: '2027-01-01', source: null }]);
    // Online-only again later: a second period, the first stays.
    const again = added((r as { list: OnlineOnlyFile }).list, '1.001193', '2027-03-01');
    expect(again.entries.map((e) => [e.from, e.to])).toEqual([
      ['2026-12-07', '2027-01-01'],
      ['2027-03-01', null],
    ]);
  });

  it('removing before a rule starts cancels it; removing a code not listed changes nothing', () => {
    const a = added(list(), '1.001193', '2026-12-07');
    const r = removeOnlineOnly(a, '1.001193', '2026-12-01');
    expect(r.changed && r.list.entries).toEqual([]);
    expect(removeOnlineOnly(a, '1.000894', '2026-12-01').changed).toBe(false);
  });

  it('re-adding right where a period ended joins the two periods', () => {
    const l = list({ code: '1.001193', from: '2026-12-01', to: '2026-12-10', source: null });
    expect(added(l, '1.001193', '2026-12-10').entries).toEqual([{ code: '1.001193', from: '2026-12-01', to: null, source: null }]);
  });
});

describe('the file', () => {
  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['a bad code', JSON.stringify({ version: 1, entries: [{ code: '1001193', from: '2026-12-01' }] }), /code/],
    ['a bad date', JSON.stringify({ version: 1, entries: [{ code: '1.001193', from: '2026-12-32' }] }), /YYYY-MM-DD/],
    ['to before from', JSON.stringify({ version: 1, entries: [{ code: '1.001193', from: '2026-12-05', to: '2026-12-01' }] }), /after/],
    ['an unknown key', JSON.stringify({ version: 1, entries: [{ code: '1.001193', from: '2026-12-05', form: 'x' }] }), /form|Unrecognized/i],
    [
      'overlapping periods',
      JSON.stringify({ version: 1, entries: [{ code: '1.001193', from: '2026-12-01' }, { code: '1.001193', from: '2027-01-01' }] }),
      /overlaps/,
    ],
  ])('rejects %s with the file name', (_what, text, message) => {
    expect(() => parseOnlineOnly(text, 'knowledge/online-only.json')).toThrow(/knowledge\/online-only\.json/);
    expect(() => parseOnlineOnly(text)).toThrow(message);
  });

  it('a missing file is an empty list; save then load round-trips', () => {
    const file = path.join(tempDir(), 'online-only.json');
    expect(loadOnlineOnly(file)).toEqual(EMPTY_ONLINE_ONLY);
    const l = added(loadOnlineOnly(file), '1.001193', '2026-12-07');
    saveOnlineOnly(file, l);
    expect(loadOnlineOnly(file)).toEqual(l);
  });

  it('the shipped knowledge/online-only.json is valid', () => {
    expect(() => loadOnlineOnly(path.resolve('knowledge/online-only.json'))).not.toThrow();
  });
});

describe('npm run cli -- online-only', () => {
  async function run(dir: string, ...argv: string[]) {
    const lines: string[] = [];
    const code = await runOnlineOnlyCommand(argv, {
      knowledgeDir: dir,
      isKnownCode: async (c) => c !== '9.999999',
      out: (l) => lines.push(l),
      now: () => new Date('2026-12-08T03:00:00Z'),
    });
    return { code, out: lines.join('\n') };
  }

  it('adds, lists as of a date, and removes, writing the file', async () => {
    const dir = tempDir();
    expect((await run(dir, 'add', '1.001193', '--from', '2026-12-07', '--source', 'Thông báo tuần 49')).code).toBe(0);
    const file = JSON.parse(readFileSync(path.join(dir, 'online-only.json'), 'utf8')) as OnlineOnlyFile;
    expect(file.entries).toEqual([{ code: '1.001193', from: '2026-12-07', to: null, source: 'Thông báo tuần 49' }]);
    expect((await run(dir, 'list')).out).toMatch(/1 procedure\(s\) accepted only online on 2026-12-08[\s\S]*1\.001193/);
    expect((await run(dir, 'list', '--date', '2026-12-06')).out).toMatch(/^0 procedure/);
    expect((await run(dir, 'remove', '1.001193', '--from', '2026-12-20')).code).toBe(0);
    expect((await run(dir, 'list', '--date', '2026-12-20')).out).toMatch(/^0 procedure/);
  });

  it.each([
    [['add', '1.001193'], /--from/],
    [['add', '1.001193', '--from', '07/12/2026'], /YYYY-MM-DD/],
    [['add', 'khai-sinh', '--from', '2026-12-07'], /procedure code/],
    [['rename', '1.001193'], /unknown action/],
  ])('%j is a usage error (exit 2) that writes nothing', async (argv, message) => {
    const dir = tempDir();
    const r = await run(dir, ...argv);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(message);
    expect(() => readFileSync(path.join(dir, 'online-only.json'))).toThrow();
  });

  it('refuses a code the assistant does not serve unless forced', async () => {
    const dir = tempDir();
    expect((await run(dir, 'add', '9.999999', '--from', '2026-12-07')).code).toBe(1);
    expect((await run(dir, 'add', '9.999999', '--from', '2026-12-07', '--force')).code).toBe(0);
  });

  it('a broken file is reported, not overwritten', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'online-only.json'), '{"version":1,"entries":[{"code":"x"}]}');
    const r = await run(dir, 'add', '1.001193', '--from', '2026-12-07');
    expect(r.code).toBe(1);
    expect(readFileSync(path.join(dir, 'online-only.json'), 'utf8')).toBe('{"version":1,"entries":[{"code":"x"}]}');
  });
});
