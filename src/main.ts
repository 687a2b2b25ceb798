import cluster from 'node:cluster';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createDeps, type Deps } from './deps.js';
import { createLogger } from './http/logger.js';
import { startRetention, type RetentionHandle } from './privacy/start-retention.js';

/** How long shutdown may take before the process exits anyway (a stuck connection must not block a deploy). */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      // No logger yet (LOG_LEVEL itself may be the bad value); stderr is the only honest place.
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  const log = createLogger(config);
  if (config.WORKERS > 1 && cluster.isPrimary) {
    runPrimary(config.WORKERS, log);
    return;
  }
  let deps: Deps | undefined;
  let retention: RetentionHandle | undefined;
  let app: FastifyInstance | undefined;
  let shuttingDown = false;

  const shutdown = async (reason: string, code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ reason }, 'shutting down');
    const force = setTimeout(() => {
      log.error({ graceMs: SHUTDOWN_GRACE_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    try {
      // Stop accepting and drain requests first, then release the store they read from.
      await app?.close();
      retention?.stop();
      await deps?.close();
    } catch (err) {
      log.error({ err }, 'error during shutdown');
      code = 1;
    }
    log.flush?.();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('unhandledRejection', (err) => {
    log.fatal({ err }, 'unhandled promise rejection');
    void shutdown('unhandledRejection', 1);
  });

  try {
    deps = await createDeps(config, { log });
    const { fromStore, fromStarter } = deps.counts;
    log.info(
      { fromStore, fromStarter, total: deps.procedures.size, retriever: deps.retrieverKind, dense: deps.denseStatus() },
      `serving ${deps.procedures.size} procedures (${fromStore} from the catalogue store, ${fromStarter} team starter records)`,
    );
    if (fromStore === 0) {
      log.warn(
        { dataDir: config.DATA_DIR },
        'Danh mục thủ tục quốc gia chưa được nạp — chỉ phục vụ các bản ghi mẫu của nhóm. ' +
          'Chạy: npm run ingest -- ../shared/data/tthc | ' +
          'The national catalogue is not loaded yet; only the team starter records are served. ' +
          'Load it with: npm run ingest -- ../shared/data/tthc',
      );
    }
    const knowledge = deps.knowledge;
    // SIGHUP (or a sibling worker's admin reload) re-reads the knowledge files and the store.
    process.on('SIGHUP', () => void knowledge.reload());
    process.on('message', (msg: unknown) => {
      if ((msg as { type?: string } | null)?.type === RELOAD_MESSAGE) void knowledge.reload();
    });
    // Deletes Q&A texts older than QA_RETENTION_DAYS now and every night at 03:00 Hanoi; the
    // statistics' aggregates stay. Idempotent, so every worker may run it.
    retention = startRetention({ dataDir: path.resolve(config.DATA_DIR), days: config.QA_RETENTION_DAYS, log, qaLog: deps.qaLog });
    app = await buildApp(deps, cluster.isWorker ? { announceReload: () => process.send?.({ type: RELOAD_MESSAGE }) } : {});
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (err) {
    log.fatal({ err }, 'start-up failed');
    await app?.close().catch(() => undefined);
    await deps?.close().catch(() => undefined);
    process.exit(1);
  }
}

/** Cluster message asking a worker to reload the knowledge layer. */
const RELOAD_MESSAGE = 'knowledge:reload';

/** Restarts of crashed workers allowed per minute before the primary gives up. */
const MAX_RESTARTS_PER_MINUTE = 5;

/**
 * WORKERS > 1: one process per core, sharing the port (node:cluster) and the SQLite files (WAL).
 * Every worker builds its own index and answers alone; a crashed worker is replaced, unless they
 * crash in a loop. SIGTERM/SIGINT are passed on and the primary exits when all workers have.
 */
function runPrimary(workers: number, log: ReturnType<typeof createLogger>): void {
  let stopping = false;
  const restarts: number[] = [];
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && restarts[0]! < now - 60_000) restarts.shift();
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      log.fatal({ pid: worker.process.pid, code, signal }, 'workers keep crashing; stopping');
      process.exit(1);
    }
    log.error({ pid: worker.process.pid, code, signal }, 'worker exited; starting another');
    cluster.fork();
  });
  const stop = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(sig);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  // A reload reaches every worker: SIGHUP to the primary, or one worker's admin reload passed on.
  const broadcast = (except?: number) => {
    for (const w of Object.values(cluster.workers ?? {})) if (w && w.id !== except) w.send({ type: RELOAD_MESSAGE });
  };
  process.on('SIGHUP', () => {
    log.info({}, 'SIGHUP: reloading the knowledge in every worker');
    broadcast();
  });
  cluster.on('message', (worker, msg: unknown) => {
    if ((msg as { type?: string } | null)?.type === RELOAD_MESSAGE) broadcast(worker.id);
  });
}

void main();
