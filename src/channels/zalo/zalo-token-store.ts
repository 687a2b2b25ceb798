import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openChannelsDb } from '../open-channels-db.js';

/** The OAuth endpoint refused or failed a token refresh. `code` is Zalo's `error` when it sent one. */
export class ZaloTokenError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'ZaloTokenError';
  }
}

export interface ZaloTokenStoreOptions {
  appId: string;
  /** The app's secret key (header `secret_key` of the refresh); without it the token is never refreshed. */
  appSecretKey?: string | undefined;
  oauthBaseUrl: string;
  /** The first pair, from ZALO_OA_ACCESS_TOKEN / ZALO_OA_REFRESH_TOKEN. */
  seed: { accessToken: string; refreshToken?: string | undefined };
  /** Refresh this long before the access token expires (default 30 min). */
  refreshMarginMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  log?: { info?(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

interface Row {
  access_token: string;
  refresh_token: string | null;
  expires_at: number | null;
  seed: string;
  refreshing_until: number | null;
}

/** Zalo access tokens last 25 h (`expires_in` "90000"); a response without it is assumed short. */
const FALLBACK_LIFETIME_S = 3600;
/** How long one worker may hold the refresh before another may take over. */
const LEASE_MS = 30_000;
/** After a failed refresh, the next proactive attempt waits this long (a bad secret must not hammer OAuth). */
const RETRY_AFTER_FAILURE_MS = 60_000;

/**
 * The OA's rotating access/refresh token pair, kept server-side in `${dataDir}/channels.sqlite`
 * (a refresh token is single-use: the pair in env is only the seed, stale after the first
 * refresh). Refreshed through Zalo OAuth v4 before the access token expires, one refresh at a
 * time: a promise in this process, a lease row across workers.
 */
export class ZaloTokenStore {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly fetch: typeof fetch;
  private inFlight: Promise<string> | null = null;
  private nextProactiveTry = 0;

  constructor(
    location: ':memory:' | { dataDir: string },
    private readonly options: ZaloTokenStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.db = openChannelsDb(location);
    this.db.exec(`CREATE TABLE IF NOT EXISTS zalo_oa_tokens (
      id INTEGER PRIMARY KEY CHECK (id = 1), access_token TEXT NOT NULL, refresh_token TEXT,
      expires_at INTEGER, seed TEXT NOT NULL, refreshing_until INTEGER, updated_at INTEGER NOT NULL)`);
    this.seed();
  }

  /** A token to call the OA API with, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    const row = this.row();
    const margin = this.options.refreshMarginMs ?? 30 * 60_000;
    // An unknown expiry is the seed's: its age is unknown, so it is rotated at first use.
    const due = row.expires_at === null || row.expires_at - this.now() <= margin;
    if (!due || !this.canRefresh(row) || this.now() < this.nextProactiveTry) return row.access_token;
    try {
      // Passing the token we saw: if another worker already rotated it, that one is taken instead.
      return await this.refresh(row.access_token);
    } catch (err) {
      this.nextProactiveTry = this.now() + RETRY_AFTER_FAILURE_MS;
      const fresh = this.row();
      // Still usable: carry on with it and try again later; the send API says -216 when it is not.
      if (fresh.expires_at === null || fresh.expires_at > this.now()) {
        this.options.log?.warn({ err }, 'Zalo token refresh failed; using the current access token');
        return fresh.access_token;
      }
      throw err;
    }
  }

  /**
   * Refreshes now, unless another caller already replaced `staleToken` (the one the API just
   * refused): then that newer token is returned. Concurrent callers share one refresh.
   */
  refresh(staleToken?: string): Promise<string> {
    this.inFlight ??= this.refreshOnce(staleToken).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /**
   * Checks the token every `intervalMs` (default 1 h) and refreshes it when due, so that a quiet
   * OA does not let its refresh token (valid about three months) lapse. Returns the stop function.
   */
  keepFresh(intervalMs = 3600_000): () => void {
    const timer = setInterval(() => {
      this.accessToken().catch((err: unknown) => this.options.log?.warn({ err }, 'Zalo token check failed'));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** When the current access token expires (ms since epoch), or null when unknown. */
  expiresAt(): number | null {
    return this.row().expires_at;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private async refreshOnce(staleToken: string | undefined): Promise<string> {
    let row = this.row();
    if (staleToken !== undefined && row.access_token !== staleToken) return row.access_token;
    if (!this.canRefresh(row)) throw new ZaloTokenError('no refresh token or app secret key configured');

    // Another worker may be refreshing with the same single-use refresh token: wait for it.
    while (!this.takeLease()) {
      await new Promise((r) => setTimeout(r, 100));
      const now = this.row();
      if (now.access_token !== row.access_token) return now.access_token;
    }
    try {
      row = this.row();
      const pair = await this.callOAuth(row.refresh_token!);
      this.db
        .prepare('UPDATE zalo_oa_tokens SET access_token = ?, refresh_token = ?, expires_at = ?, refreshing_until = NULL, updated_at = ? WHERE id = 1')
        .run(pair.accessToken, pair.refreshToken, this.now() + pair.expiresInS * 1000, this.now());
      this.nextProactiveTry = 0;
      this.options.log?.info?.({ expiresInS: pair.expiresInS }, 'Zalo OA access token refreshed');
      return pair.accessToken;
    } finally {
      this.db.prepare('UPDATE zalo_oa_tokens SET refreshing_until = NULL WHERE id = 1').run();
    }
  }

  private async callOAuth(refreshToken: string): Promise<{ accessToken: string; refreshToken: string; expiresInS: number }> {
    const url = `${this.options.oauthBaseUrl.replace(/\/+$/, '')}/v4/oa/access_token`;
    let res: Response;
    try {
      res = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: this.options.appSecretKey! },
        body: new URLSearchParams({ refresh_token: refreshToken, app_id: this.options.appId, grant_type: 'refresh_token' }).toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new ZaloTokenError(`token refresh request failed: ${(err as Error).message}`);
    }
    let body: Record<string, unknown>;
    try {
      body = (await res.json()) as Record<string, unknown>;
    } catch {
      throw new ZaloTokenError(`token refresh answered HTTP ${res.status} without JSON`);
    }
    // Success is `{access_token, refresh_token, expires_in: "90000"}` (a string of seconds);
    // failure is `{error: <negative>, message | error_description, …}`.
    const access = body.access_token;
    const refresh = body.refresh_token;
    if (typeof access !== 'string' || !access || typeof refresh !== 'string' || !refresh) {
      const code = typeof body.error === 'number' ? body.error : undefined;
      const why = [body.error_name, body.error_description, body.message].filter((x) => typeof x === 'string').join(': ');
      throw new ZaloTokenError(`token refresh refused (HTTP ${res.status}${code !== undefined ? `, error ${code}` : ''})${why ? `: ${why}` : ''}`, code);
    }
    const expiresIn = Number(body.expires_in);
    return { accessToken: access, refreshToken: refresh, expiresInS: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : FALLBACK_LIFETIME_S };
  }

  private canRefresh(row: Row): boolean {
    return Boolean(row.refresh_token && this.options.appSecretKey);
  }

  private takeLease(): boolean {
    const t = this.now();
    return (
      this.db
        .prepare('UPDATE zalo_oa_tokens SET refreshing_until = ? WHERE id = 1 AND (refreshing_until IS NULL OR refreshing_until < ?)')
        .run(t + LEASE_MS, t).changes === 1
    );
  }

  private row(): Row {
    return this.db.prepare<[], Row>('SELECT * FROM zalo_oa_tokens WHERE id = 1').get()!;
  }

  /**
   * First start: the pair from env. Later starts keep the rotated pair, unless the operator put a
   * different pair in env (after authorising the OA again): that one wins.
   */
  private seed(): void {
    const { accessToken, refreshToken } = this.options.seed;
    const fingerprint = createHash('sha256').update(`${accessToken}\n${refreshToken ?? ''}`).digest('hex');
    const current = this.db.prepare<[], { seed: string }>('SELECT seed FROM zalo_oa_tokens WHERE id = 1').get();
    if (current?.seed === fingerprint) return;
    this.db
      .prepare(
        `INSERT INTO zalo_oa_tokens (id, access_token, refresh_token, expires_at, seed, refreshing_until, updated_at)
         VALUES (1, ?, ?, NULL, ?, NULL, ?)
         ON CONFLICT (id) DO UPDATE SET access_token = excluded.access_token, refresh_token = excluded.refresh_token,
           expires_at = NULL, seed = excluded.seed, refreshing_until = NULL, updated_at = excluded.updated_at`,
      )
      .run(accessToken, refreshToken ?? null, fingerprint, this.now());
  }
}
