import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { createStatusLookupFromConfig } from '../../../src/status-lookup/create-status-lookup.js';
import { HttpStatusSource } from '../../../src/status-lookup/http-status-source.js';
import { SqliteStatusSource } from '../../../src/status-lookup/sqlite-status-source.js';

const FIELD_MAP = JSON.stringify({
  receiptCode: 'hoSo.ma',
  procedureName: 'hoSo.thuTuc',
  status: 'hoSo.trangThai',
  receivedAt: 'hoSo.ngayNhan',
  dueAt: 'hoSo.ngayHen',
  applicantName: 'hoSo.chuHoSo',
  phone: 'hoSo.dienThoai',
});

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-status-config-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const variablesIn = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return [...new Set(err.issues.map((i) => i.variable))].sort();
    throw err;
  }
  return [];
};

describe('status lookup configuration', () => {
  it('defaults to the demo store under DATA_DIR', async () => {
    const config = loadConfig({});
    expect(config.STATUS_LOOKUP_BACKEND).toBe('demo');
    expect(config.STATUS_LOOKUP_TIMEOUT_MS).toBe(5000);
    const lookup = createStatusLookupFromConfig(config, dataDir)!;
    expect(lookup.source).toBeInstanceOf(SqliteStatusSource);
    expect(await lookup.source.find('000.00.18.H26-250115-0001')).toBeNull();
    for (const f of ['status-demo.sqlite', 'status-guard.sqlite', 'status-lookup.secret']) expect(existsSync(path.join(dataDir, f))).toBe(true);
    await lookup.close();
  });

  it('is null when off', () => {
    expect(createStatusLookupFromConfig(loadConfig({ STATUS_LOOKUP_BACKEND: 'off' }), dataDir)).toBeNull();
  });

  it('names every bad or missing variable of the HTTP connector, without echoing values', () => {
    expect(variablesIn(() => loadConfig({ STATUS_LOOKUP_BACKEND: 'http' }))).toEqual(['STATUS_LOOKUP_FIELD_MAP', 'STATUS_LOOKUP_URL_TEMPLATE']);
    expect(variablesIn(() => loadConfig({ STATUS_LOOKUP_URL_TEMPLATE: 'https://hoso.example/api/hoso' }))).toEqual(['STATUS_LOOKUP_URL_TEMPLATE']);
    expect(variablesIn(() => loadConfig({ STATUS_LOOKUP_FIELD_MAP: '{"status":' }))).toEqual(['STATUS_LOOKUP_FIELD_MAP']);
    expect(variablesIn(() => loadConfig({ STATUS_LOOKUP_FIELD_MAP: '{"status":"data.s"}' }))).toEqual(['STATUS_LOOKUP_FIELD_MAP']);
    expect(variablesIn(() => loadConfig({ STATUS_LOOKUP_STATUS_MAP: '{"Chờ ký":"signing"}' }))).toEqual(['STATUS_LOOKUP_STATUS_MAP']);
    expect(variablesIn(() => loadConfig({ STATUS_LOOKUP_BACKEND: 'soap' }))).toEqual(['STATUS_LOOKUP_BACKEND']);
    try {
      loadConfig({ STATUS_LOOKUP_AUTH_HEADER: 'secret-api-key-without-name' });
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).issues.map((i) => i.variable)).toEqual(['STATUS_LOOKUP_AUTH_HEADER']);
      expect((err as Error).message).not.toContain('secret-api-key');
    }
  });

  it('builds the HTTP connector that sends the configured header and reads through the maps', async () => {
    const server: Server = createServer((req, res) => {
      if (req.headers['x-api-key'] !== 'k-123') {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          hoSo: { ma: 'H26.99-250101-0002', thuTuc: 'Đăng ký thường trú', trangThai: 'Chờ lãnh đạo ký', ngayNhan: '02/01/2025', ngayHen: '09/01/2025', chuHoSo: 'Trần Thị Bình', dienThoai: '0987654321' },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const config = loadConfig({
      STATUS_LOOKUP_BACKEND: 'http',
      STATUS_LOOKUP_URL_TEMPLATE: `http://127.0.0.1:${port}/api/hoso/{code}`,
      STATUS_LOOKUP_FIELD_MAP: FIELD_MAP,
      STATUS_LOOKUP_STATUS_MAP: '{"Chờ lãnh đạo ký":"in_progress"}',
      STATUS_LOOKUP_AUTH_HEADER: 'X-API-Key: k-123',
      STATUS_LOOKUP_TIMEOUT_MS: '2000',
    });
    const lookup = createStatusLookupFromConfig(config, dataDir)!;
    expect(lookup.source).toBeInstanceOf(HttpStatusSource);
    expect(await lookup.source.find('h26.99-250101-0002')).toMatchObject({ status: 'in_progress', procedureName: 'Đăng ký thường trú' });
    await lookup.close();
    await new Promise((resolve) => server.close(resolve));
  });
});
