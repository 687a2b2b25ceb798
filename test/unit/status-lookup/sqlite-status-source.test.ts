import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runStatusDemoCommand } from '../../../src/commands/status-demo-command.js';
import { FINAL_STATUSES } from '../../../src/status-lookup/application-status.js';
import { findReceiptCode } from '../../../src/status-lookup/receipt-code.js';
import { demoApplications, seedDemoApplications } from '../../../src/status-lookup/seed-demo-applications.js';
import { SqliteStatusSource } from '../../../src/status-lookup/sqlite-status-source.js';
import { dueSituation } from '../../../src/status-lookup/status-replies.js';

const now = new Date('2025-01-20T03:00:00Z'); // 10:00 in Hanoi
let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-status-demo-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('demo applications', () => {
  it('cover several real procedures and every kind of case', () => {
    const all = demoApplications(now);
    expect(all.length).toBeGreaterThanOrEqual(20);
    const codes = new Set(all.map((r) => r.procedureCode));
    for (const code of ['1.001193', '1.004222', '1.014064']) expect(codes).toContain(code);
    expect(all.some((r) => dueSituation(r, now).overdue)).toBe(true);
    expect(all.some((r) => !FINAL_STATUSES.has(r.status) && !dueSituation(r, now).overdue)).toBe(true);
    for (const s of ['received', 'in_progress', 'supplement_required', 'completed_ready', 'returned', 'rejected', 'withdrawn']) {
      expect(all.some((r) => r.status === s)).toBe(true);
    }
    // Every code is one the assistant recognises without a cue, and unique.
    for (const r of all) expect(findReceiptCode(`hồ sơ ${r.receiptCode}`)?.code).toBe(r.receiptCode);
    expect(new Set(all.map((r) => r.receiptCode)).size).toBe(all.length);
    // Last four phone digits differ, so a demo cannot verify one application with another's.
    expect(new Set(all.map((r) => r.phone.slice(-4))).size).toBe(all.length);
  });
});

describe('SqliteStatusSource', () => {
  it('finds a seeded application by its code in any spelling, and null for an unknown one', async () => {
    const store = new SqliteStatusSource({ dataDir });
    seedDemoApplications(store, now);
    const r = await store.find('000.00.18.h26-250115-0001');
    expect(r).toMatchObject({ receiptCode: '000.00.18.H26-250115-0001', procedureCode: '1.001193', status: 'completed_ready', applicantName: 'Nguyễn Văn An' });
    expect(r?.dueAt).toBeInstanceOf(Date);
    expect(r?.completedAt).toBeInstanceOf(Date);
    expect(await store.find('000.00.18.H26-250115-9999')).toBeNull();
    await store.close();
  });

  it('throws StatusBackendUnavailable when the database is gone', async () => {
    const store = new SqliteStatusSource(':memory:');
    await store.close();
    await expect(store.find('X')).rejects.toMatchObject({ name: 'StatusBackendUnavailable', reason: 'sqlite' });
  });
});

describe('status-demo command', () => {
  it('seeds idempotently and lists the applications', async () => {
    const lines: string[] = [];
    const deps = { dataDir, out: (l: string) => void lines.push(l), now: () => now };
    expect(await runStatusDemoCommand(['seed'], deps)).toBe(0);
    expect(await runStatusDemoCommand(['seed'], deps)).toBe(0);
    const store = new SqliteStatusSource({ dataDir });
    expect(store.list()).toHaveLength(demoApplications(now).length);
    await store.close();

    lines.length = 0;
    expect(await runStatusDemoCommand(['list'], deps)).toBe(0);
    expect(lines.at(-1)).toBe(`${demoApplications(now).length} applications.`);
    expect(lines.some((l) => l.startsWith('000.00.18.H26-250115-0001') && l.includes('Nguyễn V** A**'))).toBe(true);
    expect(lines.join('\n')).not.toContain('Nguyễn Văn An');
  });

  it('prints the usage and fails on an unknown action', async () => {
    const lines: string[] = [];
    expect(await runStatusDemoCommand(['drop'], { dataDir, out: (l) => void lines.push(l) })).toBe(1);
    expect(lines.join('\n')).toContain('status-demo seed');
  });
});
