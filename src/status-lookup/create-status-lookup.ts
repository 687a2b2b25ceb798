import type { Config } from '../config.js';
import type { ApplicationStatusSource } from './application-status.js';
import { HttpStatusSource } from './http-status-source.js';
import { loadOrCreateLookupSecrets, type LookupSecrets } from './lookup-secrets.js';
import { SqliteStatusLookupGuard } from './sqlite-status-lookup-guard.js';
import { SqliteStatusSource } from './sqlite-status-source.js';
import type { StatusLookupGuard } from './status-lookup-guard.js';

/** What the status-lookup step needs (`createStatusLookupStep`), and how to close it. */
export interface StatusLookup {
  source: ApplicationStatusSource;
  guard: StatusLookupGuard;
  secrets: LookupSecrets;
  close(): Promise<void>;
}

type StatusLookupConfig = Pick<
  Config,
  | 'STATUS_LOOKUP_BACKEND'
  | 'STATUS_LOOKUP_URL_TEMPLATE'
  | 'STATUS_LOOKUP_FIELD_MAP'
  | 'STATUS_LOOKUP_STATUS_MAP'
  | 'STATUS_LOOKUP_AUTH_HEADER'
  | 'STATUS_LOOKUP_TIMEOUT_MS'
>;

/**
 * The status lookup the configuration asks for: the demo store (`${dataDir}/status-demo.sqlite`)
 * or the city's system over HTTP, with the guard in `${dataDir}/status-guard.sqlite` and the
 * install's secret in `${dataDir}/status-lookup.secret` (all shared by server workers). Null when
 * `STATUS_LOOKUP_BACKEND=off`.
 */
export function createStatusLookupFromConfig(config: StatusLookupConfig, dataDir: string): StatusLookup | null {
  if (config.STATUS_LOOKUP_BACKEND === 'off') return null;
  const secrets = loadOrCreateLookupSecrets(dataDir);
  let source: ApplicationStatusSource;
  if (config.STATUS_LOOKUP_BACKEND === 'http') {
    if (!config.STATUS_LOOKUP_URL_TEMPLATE || !config.STATUS_LOOKUP_FIELD_MAP) {
      throw new Error('STATUS_LOOKUP_URL_TEMPLATE and STATUS_LOOKUP_FIELD_MAP are required when STATUS_LOOKUP_BACKEND is http');
    }
    source = new HttpStatusSource({
      urlTemplate: config.STATUS_LOOKUP_URL_TEMPLATE,
      fieldMap: config.STATUS_LOOKUP_FIELD_MAP,
      ...(config.STATUS_LOOKUP_STATUS_MAP ? { statusMap: config.STATUS_LOOKUP_STATUS_MAP } : {}),
      ...(config.STATUS_LOOKUP_AUTH_HEADER ? { headers: parseHeader(config.STATUS_LOOKUP_AUTH_HEADER) } : {}),
      timeoutMs: config.STATUS_LOOKUP_TIMEOUT_MS,
    });
  } else {
    source = new SqliteStatusSource({ dataDir });
  }
  let guard: StatusLookupGuard;
  try {
    guard = new SqliteStatusLookupGuard({ dataDir });
  } catch (err) {
    void source.close();
    throw err;
  }
  return {
    source,
    guard,
    secrets,
    async close() {
      await Promise.allSettled([source.close(), guard.close()]);
    },
  };
}

/** `X-API-Key: abc` → `{ "X-API-Key": "abc" }`. */
export function parseHeader(line: string): Record<string, string> {
  const i = line.indexOf(':');
  if (i <= 0) throw new Error('STATUS_LOOKUP_AUTH_HEADER must be "Name: value"');
  return { [line.slice(0, i).trim()]: line.slice(i + 1).trim() };
}
