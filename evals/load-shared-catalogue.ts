import fs from 'node:fs';
import path from 'node:path';
import type { Procedure } from '../src/domain/procedure.js';
import { SqliteCatalogueStore } from '../src/catalogue/sqlite-catalogue-store.js';
import { runIngest } from '../ingest/run-ingest.js';

/** `../shared/data/tthc` beside the repository, where the national catalogue and evals live. */
export const SHARED_TTHC_DIR = path.resolve(import.meta.dirname, '../../shared/data/tthc');

/** Throws a clear error when the shared data is not beside the checkout. */
export function requireSharedData(dir = SHARED_TTHC_DIR): string {
  if (!fs.existsSync(path.join(dir, 'procedures.jsonl'))) {
    throw new Error(`The national catalogue was not found at ${dir}; check out ../shared beside the repository.`);
  }
  return dir;
}

/**
 * Ingests every official format in the shared folder into a throw-away in-memory catalogue and
 * returns the merged records, so evals and benchmarks measure what `npm run ingest` would serve.
 */
export async function loadSharedCatalogue(dir = SHARED_TTHC_DIR): Promise<Procedure[]> {
  requireSharedData(dir);
  const store = new SqliteCatalogueStore(':memory:');
  try {
    await runIngest([dir], store);
    const out: Procedure[] = [];
    for await (const p of store.all()) out.push(p);
    return out;
  } finally {
    await store.close();
  }
}
