import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Procedure } from '../domain/procedure.js';

/** A starter file that was not loaded, and why (reported in the start-up log). */
export interface SkippedStarterFile {
  file: string;
  reason: string;
}

export interface StarterLoadResult {
  procedures: Procedure[];
  skipped: SkippedStarterFile[];
}

/** The slice of a logger the loader needs, so tests can pass a recorder. */
export interface StarterLog {
  warn(obj: object, msg: string): void;
}

/**
 * Reads the team's starter records from `<knowledgeDir>/procedures/<code>.json`.
 *
 * These exist so a fresh clone answers something before the national catalogue is ingested.
 * A broken file must never stop the service: it is logged with the reason and skipped, because
 * the rest of the catalogue is still worth serving.
 */
export function loadStarterProcedures(knowledgeDir: string, log?: StarterLog): StarterLoadResult {
  const dir = path.join(knowledgeDir, 'procedures');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    // No starter directory is a valid setup (e.g. an image that ships only the ingested catalogue).
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { procedures: [], skipped: [] };
    throw err;
  }

  const procedures: Procedure[] = [];
  const skipped: SkippedStarterFile[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const file = path.join(dir, name);
    const reason = (() => {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        return `not valid JSON: ${(err as Error).message}`;
      }
      const parsed = Procedure.safeParse(json);
      if (!parsed.success) {
        return (
          'does not match the Procedure schema: ' +
          parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
        );
      }
      // The file name is the key people look for when they fix a record; keep it honest.
      if (`${parsed.data.id}.json` !== name) return `file name must be ${parsed.data.id}.json`;
      if (seen.has(parsed.data.id)) return `duplicate code ${parsed.data.id}`;
      seen.add(parsed.data.id);
      procedures.push(normaliseText(parsed.data));
      return null;
    })();
    if (reason) {
      skipped.push({ file, reason });
      log?.warn({ file, reason }, 'starter procedure skipped');
    }
  }
  return { procedures, skipped };
}

/** Vietnamese text typed on different keyboards arrives as NFC or NFD; matching assumes NFC. */
function normaliseText<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map(normaliseText) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseText(v)])) as T;
  }
  return value;
}
