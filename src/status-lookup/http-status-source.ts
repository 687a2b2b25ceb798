import { parseBackendDate } from './application-dates.js';
import { type ApplicationRecord, type ApplicationStatusSource, StatusBackendUnavailable } from './application-status.js';
import { type FieldMap, fieldMapProblems, readPath, REQUIRED_MAPPED_FIELDS } from './field-map.js';
import { normaliseReceiptCode } from './receipt-code.js';
import { mapStatusWord, type StatusWordMap } from './status-words.js';

export interface HttpStatusSourceOptions {
  /** `https://host/api/hoso/{code}`: `{code}` is replaced by the URL-encoded receipt code. */
  urlTemplate: string;
  fieldMap: FieldMap;
  /** The backend's status words → ours, on top of the common Vietnamese ones. */
  statusMap?: StatusWordMap;
  /** Extra request headers, e.g. an API key. */
  headers?: Readonly<Record<string, string>>;
  /** Default 5 seconds: a citizen waits for this answer. */
  timeoutMs?: number;
  /** Injected for tests; default the global fetch. */
  fetch?: typeof fetch;
}

/** Larger replies are not one application. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The city's procedure-handling system over HTTP: one GET per lookup, the JSON reply read through
 * the operator's field map. 404 (and 400/410/422, which such systems answer for codes they do not
 * know) means no such application; everything else that is not a readable 2xx reply is
 * `StatusBackendUnavailable`, so the assistant apologises rather than guesses.
 */
export class HttpStatusSource implements ApplicationStatusSource {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpStatusSourceOptions) {
    if (!options.urlTemplate.includes('{code}')) throw new Error('status lookup URL template must contain {code}');
    const problems = fieldMapProblems(options.fieldMap as Record<string, unknown>);
    if (problems.length > 0) throw new Error(`status lookup field map: ${problems.join('; ')}`);
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  async find(receiptCode: string): Promise<ApplicationRecord | null> {
    const code = normaliseReceiptCode(receiptCode);
    const url = this.options.urlTemplate.replaceAll('{code}', encodeURIComponent(code));
    let body: string;
    try {
      const res = await this.fetch(url, {
        method: 'GET',
        headers: { accept: 'application/json', ...this.options.headers },
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      if ([400, 404, 410, 422].includes(res.status)) {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new StatusBackendUnavailable(`http_${res.status}`);
      }
      const length = Number(res.headers.get('content-length') ?? '0');
      if (length > MAX_BODY_BYTES) {
        await res.body?.cancel();
        throw new StatusBackendUnavailable('too_large');
      }
      body = await res.text();
    } catch (err) {
      if (err instanceof StatusBackendUnavailable) throw err;
      const name = (err as Error | undefined)?.name;
      // The error is not passed on as the cause: undici's errors name the URL, which holds the code.
      throw new StatusBackendUnavailable(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable');
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new StatusBackendUnavailable('malformed');
    }
    return recordFromReply(json, code, this.options.fieldMap, this.options.statusMap);
  }

  async close(): Promise<void> {}
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * The application in a backend reply, read through the field map. A reply with none of the
 * required fields (`{"data": null}`, `{"success": false}`) is "no such application"; one with some
 * but not all, or with unreadable dates or an unknown status word, is malformed.
 */
export function recordFromReply(json: unknown, queriedCode: string, map: FieldMap, statusMap: StatusWordMap = {}): ApplicationRecord | null {
  const get = (field: keyof FieldMap): unknown => (map[field] ? readPath(json, map[field]!) : undefined);
  const required = REQUIRED_MAPPED_FIELDS.map((f) => get(f));
  if (required.every((v) => !present(v))) return null;
  if (!required.every(present)) throw new StatusBackendUnavailable('malformed');

  const returnedCode = text(get('receiptCode'));
  // A system that answers with another application (a fuzzy search) has not found this one.
  if (returnedCode !== undefined && normaliseReceiptCode(returnedCode) !== normaliseReceiptCode(queriedCode)) return null;

  const statusLabel = text(get('status'));
  const procedureName = text(get('procedureName'));
  const applicantName = text(get('applicantName'));
  const phone = text(get('phone'));
  if (!statusLabel || !procedureName || !applicantName || !phone) throw new StatusBackendUnavailable('malformed');
  const status = mapStatusWord(statusLabel, statusMap);
  if (!status) throw new StatusBackendUnavailable('unmapped_status');
  const receivedAt = parseBackendDate(get('receivedAt'));
  const dueAt = parseBackendDate(get('dueAt'), { endOfDay: true });
  if (!receivedAt || !dueAt) throw new StatusBackendUnavailable('malformed');
  const completedRaw = get('completedAt');
  const completedAt = present(completedRaw) ? parseBackendDate(completedRaw) : null;
  if (present(completedRaw) && !completedAt) throw new StatusBackendUnavailable('malformed');

  const record: ApplicationRecord = {
    receiptCode: normaliseReceiptCode(returnedCode ?? queriedCode),
    procedureName,
    status,
    statusLabel,
    receivedAt,
    dueAt,
    applicantName,
    phone,
  };
  const procedureCode = text(get('procedureCode'));
  if (procedureCode) record.procedureCode = procedureCode;
  if (completedAt) record.completedAt = completedAt;
  const agency = text(get('agency'));
  if (agency) record.agency = agency;
  const returnPlace = text(get('returnPlace'));
  if (returnPlace) record.returnPlace = returnPlace;
  return record;
}
