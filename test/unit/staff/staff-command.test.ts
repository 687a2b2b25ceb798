import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runStaffCommand } from '../../../src/commands/staff-command.js';
import { SqliteStaffStore } from '../../../src/staff/sqlite-staff-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup(passwords: string[]) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'staff-cmd-'));
  dirs.push(dataDir);
  const lines: string[] = [];
  const prompts: Array<{ prompt: string; stdin: boolean }> = [];
  const deps = {
    dataDir,
    out: (l: string) => void lines.push(l),
    readPassword: async (prompt: string, o: { stdin: boolean }) => {
      prompts.push({ prompt, stdin: o.stdin });
      return passwords.shift() ?? '';
    },
  };
  return { dataDir, lines, prompts, deps };
}

describe('staff command', () => {
  it('adds from stdin, lists, disables and changes a password', async () => {
    const { dataDir, lines, prompts, deps } = setup(['first password', 'second password', 'second password']);
    expect(await runStaffCommand(['add', 'lan', '--name', 'Nguyễn Thị Lan', '--role', 'officer', '--password-stdin'], deps)).toBe(0);
    expect(prompts).toEqual([{ prompt: 'Password: ', stdin: true }]);
    expect(lines.pop()).toMatch(/^Added officer lan \(Nguyễn Thị Lan\)/);

    expect(await runStaffCommand(['list'], deps)).toBe(0);
    expect(lines.pop()).toMatch(/^lan\s+officer\s+active\s+\d{4}-\d\d-\d\d Nguyễn Thị Lan$/);

    // Typed at the prompt: asked twice.
    expect(await runStaffCommand(['password', 'lan'], deps)).toBe(0);
    expect(prompts.slice(1).map((p) => p.prompt)).toEqual(['Password: ', 'Password again: ']);

    expect(await runStaffCommand(['disable', 'lan'], deps)).toBe(0);
    const store = new SqliteStaffStore({ dataDir });
    expect((await store.findByUsername('lan'))?.disabled).toBe(true);
    await store.setDisabled('lan', false);
    expect(await store.verifyLogin('lan', 'second password')).not.toBeNull();
    await store.close();
  });

  it('refuses short passwords, mismatched confirmation, bad roles and unknown users', async () => {
    const short = setup(['too short']);
    expect(await runStaffCommand(['add', 'lan', '--name', 'Lan', '--role', 'officer', '--password-stdin'], short.deps)).toBe(1);
    expect(short.lines.pop()).toMatch(/at least 10 characters/);

    const mismatch = setup(['long password one', 'long password two']);
    expect(await runStaffCommand(['add', 'lan', '--name', 'Lan', '--role', 'officer'], mismatch.deps)).toBe(1);
    expect(mismatch.lines.pop()).toMatch(/differ/);

    const role = setup([]);
    expect(await runStaffCommand(['add', 'lan', '--name', 'Lan', '--role', 'admin'], role.deps)).toBe(1);
    expect(await runStaffCommand(['disable', 'ghost'], role.deps)).toBe(1);
    expect(role.lines.pop()).toMatch(/no account "ghost"/);
    expect(await runStaffCommand(['password', 'ghost'], role.deps)).toBe(1);
    expect(await runStaffCommand(['frobnicate', 'x'], role.deps)).toBe(1);
    expect(await runStaffCommand(['--help'], role.deps)).toBe(0);
    expect(role.lines.pop()).toMatch(/^Usage:/);
  });
});
