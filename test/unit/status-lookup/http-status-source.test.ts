import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusBackendUnavailable } from '../../../src/status-lookup/application-status.js';
import type { FieldMap } from '../../../src/status-lookup/field-map.js';
import { HttpStatusSource, recordFromReply } from '../../../src/status-lookup/http-status-source.js';
import { mapStatusWord } from '../../../src/status-lookup/status-words.js';

/**
 * "The city's system" for these tests: GET /api/hoso/{code} with an X-API-Key header answers
 * {"success": true, "data": {...}} in Vietnamese field names, 404 for unknown codes.
 */
const API_KEY = 'test-key-123';
const KNOWN = {
  maHoSo: '000.00.18.H26-250115-0001',
  maTTHC: '1.001193',
  tenTTHC: 'Đăng ký khai sinh',
  trangThai: 'Đang xử lý',
  ngayTiepNhan: '15/01/2025 08:30',
  ngayHenTra: '20/01/2025',
  ngayCoKetQua: null,
  chuHoSo: { hoTen: 'Nguyễn Văn An', soDienThoai: '0912345678' },
  donViXuLy: 'UBND phường Ba Đình',
  noiTraKetQua: 'Bộ phận Một cửa UBND phường Ba Đình',
};
const FIELD_MAP: FieldMap = {
  receiptCode: 'data.maHoSo',
  procedureCode: 'data.maTTHC',
  procedureName: 'data.tenTTHC',
  status: 'data.trangThai',
  receivedAt: 'data.ngayTiepNhan',
  dueAt: 'data.ngayHenTra',
  completedAt: 'data.ngayCoKetQua',
  applicantName: 'data.chuHoSo.hoTen',
  phone: 'data.chuHoSo.soDienThoai',
  agency: 'data.donViXuLy',
  returnPlace: 'data.noiTraKetQua',
};

let server: Server;
let base: string;
const seenPaths: string[] = [];

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seenPaths.push(req.url ?? '');
    if (req.headers['x-api-key'] !== API_KEY) return reply(res, 401, { error: 'unauthorized' });
    const code = decodeURIComponent((req.url ?? '').replace(/^\/api\/hoso\//, ''));
    switch (code) {
      case KNOWN.maHoSo:
        return reply(res, 200, { success: true, data: KNOWN });
      case 'SLOW-0001':
        return void setTimeout(() => reply(res, 200, { success: true, data: KNOWN }), 2000);
      case 'DOWN-0001':
        return reply(res, 503, 'Service Unavailable');
      case 'BAD-00001':
        return reply(res, 200, '{"success": true, "data": {');
      case 'EMPTY-0001':
        return reply(res, 200, { success: false, data: null, message: 'Không tìm thấy hồ sơ' });
      case 'PART-0001':
        return reply(res, 200, { success: true, data: { ...KNOWN, maHoSo: 'PART-0001', ngayHenTra: null } });
      case 'WORD-0001':
        return reply(res, 200, { success: true, data: { ...KNOWN, maHoSo: 'WORD-0001', trangThai: 'Chờ lãnh đạo ký số' } });
      case 'OTHER-0001':
        return reply(res, 200, { success: true, data: KNOWN });
      default:
        return reply(res, 404, { success: false });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const source = (options: Partial<ConstructorParameters<typeof HttpStatusSource>[0]> = {}) =>
  new HttpStatusSource({ urlTemplate: `${base}/api/hoso/{code}`, fieldMap: FIELD_MAP, headers: { 'X-API-Key': API_KEY }, timeoutMs: 300, ...options });

describe('HttpStatusSource', () => {
  it('reads an application through the field map and maps the status word', async () => {
    const r = await source().find('000.00.18.h26-250115-0001');
    expect(r).toEqual({
      receiptCode: '000.00.18.H26-250115-0001',
      procedureCode: '1.001193',
      procedureName: 'Đăng ký khai sinh',
      status: 'in_progress',
      statusLabel: 'Đang xử lý',
      receivedAt: new Date('2025-01-15T01:30:00Z'),
      // A date without a time is due all day, Hanoi time.
      dueAt: new Date('2025-01-20T16:59:59Z'),
      applicantName: 'Nguyễn Văn An',
      phone: '0912345678',
      agency: 'UBND phường Ba Đình',
      returnPlace: 'Bộ phận Một cửa UBND phường Ba Đình',
    });
    expect(seenPaths.at(-1)).toBe('/api/hoso/000.00.18.H26-250115-0001');
  });

  it('URL-encodes the code into the template', async () => {
    expect(await source().find('AB/12?x=1#')).toBeNull();
    expect(seenPaths.at(-1)).toBe('/api/hoso/AB%2F12%3FX%3D1%23');
  });

  it('treats 404 and a reply without the application as unknown', async () => {
    expect(await source().find('000.00.18.H26-250115-9999')).toBeNull();
    expect(await source().find('EMPTY-0001')).toBeNull();
    // A reply about another application is not this one.
    expect(await source().find('OTHER-0001')).toBeNull();
  });

  it('is unavailable on timeout, 5xx, malformed JSON, missing fields, unknown status words and refused auth', async () => {
    const reasons: Record<string, string> = {};
    for (const code of ['SLOW-0001', 'DOWN-0001', 'BAD-00001', 'PART-0001', 'WORD-0001']) {
      const err = await source().find(code).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StatusBackendUnavailable);
      reasons[code] = (err as StatusBackendUnavailable).reason;
      // Nothing an operator's log would show carries the code.
      expect(String((err as Error).message)).not.toContain(code);
    }
    expect(reasons).toEqual({ 'SLOW-0001': 'timeout', 'DOWN-0001': 'http_503', 'BAD-00001': 'malformed', 'PART-0001': 'malformed', 'WORD-0001': 'unmapped_status' });
    await expect(source({ headers: {} }).find(KNOWN.maHoSo)).rejects.toMatchObject({ reason: 'http_401' });
  });

  it('maps the backend’s own status words when configured', async () => {
    const r = await source({ statusMap: { 'chờ lãnh đạo ký số': 'in_progress' } }).find('WORD-0001');
    expect(r).toMatchObject({ status: 'in_progress', statusLabel: 'Chờ lãnh đạo ký số' });
  });

  it('is unavailable when nothing listens', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const s = new HttpStatusSource({ urlTemplate: `http://127.0.0.1:${port}/{code}`, fieldMap: FIELD_MAP, timeoutMs: 1000 });
    await expect(s.find('X-0001')).rejects.toMatchObject({ reason: 'unreachable' });
  });

  it('refuses a template without {code} or a field map missing required fields', () => {
    expect(() => new HttpStatusSource({ urlTemplate: `${base}/api/hoso`, fieldMap: FIELD_MAP })).toThrow(/\{code\}/);
    expect(() => new HttpStatusSource({ urlTemplate: `${base}/{code}`, fieldMap: { status: 'data.s' } })).toThrow(/procedureName/);
  });
});

describe('reading replies', () => {
  it('reads ISO dates with zones, epoch milliseconds and array paths', () => {
    const r = recordFromReply(
      { items: [{ ten: 'Cấp lại thẻ căn cước', tt: 'Đã trả kết quả', nhan: '2025-01-02T08:00:00+07:00', hen: 1736326800000, ht: '2025-01-06', ten2: 'Lê Thị Ngọc', sdt: 912345678 }] },
      'H26.50-241210-0024',
      { procedureName: 'items.0.ten', status: 'items.0.tt', receivedAt: 'items.0.nhan', dueAt: 'items.0.hen', completedAt: 'items.0.ht', applicantName: 'items.0.ten2', phone: 'items.0.sdt' },
    );
    expect(r).toMatchObject({ receiptCode: 'H26.50-241210-0024', status: 'returned', receivedAt: new Date('2025-01-02T01:00:00Z'), dueAt: new Date(1736326800000), completedAt: new Date('2025-01-05T17:00:00Z'), phone: '912345678' });
  });

  it('maps the common status words and refuses to guess others', () => {
    expect(mapStatusWord('Đã tiếp nhận')).toBe('received');
    expect(mapStatusWord('DANG XU LY')).toBe('in_progress');
    expect(mapStatusWord('Yêu cầu bổ sung hồ sơ')).toBe('supplement_required');
    expect(mapStatusWord('Chờ trả kết quả')).toBe('completed_ready');
    expect(mapStatusWord('Đã trả kết quả')).toBe('returned');
    expect(mapStatusWord('Chưa có kết quả')).toBe('in_progress');
    expect(mapStatusWord('Từ chối giải quyết')).toBe('rejected');
    expect(mapStatusWord('Công dân rút hồ sơ')).toBe('withdrawn');
    expect(mapStatusWord('in_progress')).toBe('in_progress');
    expect(mapStatusWord('Lưu trữ')).toBeNull();
    expect(mapStatusWord('')).toBeNull();
  });
});
