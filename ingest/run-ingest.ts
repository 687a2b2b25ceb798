import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { CatalogueStore, SourceBatch, UpsertReport } from '../src/catalogue/catalogue-store.js';
import { mergeProcedure } from '../src/catalogue/merge-procedure.js';
import type { Procedure, SourceKind } from '../src/domain/procedure.js';
import { detectFormat, readHead } from './detect-format.js';
import { loadNormalisedJsonl } from './load-normalised-jsonl.js';
import { mapPortalRaw } from './load-portal-raw.js';
import { loadPortalList } from './load-portal-list.js';
import { reject, type LoadItem, type LoadRejection } from './load-result.js';
import { mapWordExport } from './load-word-export.js';

export interface IngestProgress {
  phase: 'read' | 'store';
  done: number;
  total: number;
  file?: string;
}

export interface IngestOptions {
  onProgress?: (p: IngestProgress) => void;
  /** File paths in records and the report are relative to this (default: the working directory). */
  baseDir?: string;
  /** Codes per store call; each call is one transaction. */
  batchSize?: number;
}

export interface DuplicateCode {
  id: string;
  kind: SourceKind;
  files: string[];
}

export interface IngestReport {
  /** The run recorded by the store; absent when the store does not record runs. */
  runId?: number;
  /** Files found under the given paths. */
  filesSeen: number;
  /** Files recognised and read (their records may still be rejected one by one). */
  filesRead: number;
  recordsRead: number;
  recordsByKind: Partial<Record<SourceKind, number>>;
  /** Distinct codes stored in this run. */
  codes: number;
  added: string[];
  changed: string[];
  unchanged: string[];
  rejected: LoadRejection[];
  /** Codes that came more than once from one kind of source; merged, later file winning. */
  duplicates: DuplicateCode[];
  elapsedMs: number;
}

/** Whole-file formats bigger than this are refused rather than read into memory. */
const MAX_WHOLE_FILE_BYTES = 64 * 1024 * 1024;

async function walk(path: string, out: string[], rejected: LoadRejection[], display: (p: string) => string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    rejected.push(reject(display(path), 'read_error', `Không mở được: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`));
    return;
  }
  if (info.isFile()) {
    out.push(path);
    return;
  }
  if (!info.isDirectory()) return;
  const entries = (await readdir(path)).filter((n) => !n.startsWith('.')).sort();
  for (const name of entries) await walk(join(path, name), out, rejected, display);
}

async function* loadFile(path: string, file: string): AsyncIterable<LoadItem> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    yield reject(file, 'read_error', `Không đọc được: ${(e as Error).message}`);
    return;
  }
  const streamed = /\.(jsonl|ndjson)$/iu.test(path);
  if (!streamed && size > MAX_WHOLE_FILE_BYTES) {
    yield reject(file, 'unknown_format', `Tệp quá lớn (${(size / 1048576).toFixed(0)} MB) cho định dạng đọc nguyên tệp`);
    return;
  }
  let content: Buffer;
  try {
    content = streamed ? await readHead(path) : await readFile(path);
  } catch (e) {
    yield reject(file, 'read_error', `Không đọc được: ${(e as Error).message}`);
    return;
  }
  const format = detectFormat(file, content, !streamed || content.length >= size);
  if (!format.ok) {
    yield format;
    return;
  }
  switch (format.kind) {
    case 'normalised_jsonl':
      yield* loadNormalisedJsonl(path);
      // Records carry the display path, not the absolute one the stream was opened with.
      return;
    case 'portal_raw':
      yield mapPortalRaw(file, format.parsed as Record<string, unknown>);
      return;
    case 'word_export':
      yield mapWordExport(file, format.parsed as Record<string, unknown>);
      return;
    case 'portal_list':
      yield* loadPortalList(file, content);
      return;
    default:
      yield reject(file, 'unknown_format', `Chưa có bộ đọc cho nguồn ${format.kind}`);
  }
}

/**
 * Reads every file under `paths`, merges per code and kind, and stores the result as one
 * recorded run (when the store records runs). A code missing from these paths is left as it is:
 * ingests are often partial, so absence is not removal (see CatalogueStore).
 */
export async function runIngest(paths: string[], store: CatalogueStore, options: IngestOptions = {}): Promise<IngestReport> {
  const runId = await store.beginRun?.(paths, 'ingest');
  try {
    const report = await ingestInto(paths, store, options, runId);
    if (runId !== undefined) await store.finishRun?.(runId, { rejected: report.rejected.length });
    return runId === undefined ? report : { runId, ...report };
  } catch (e) {
    // The run stays on record with its error; versions stored before the failure remain.
    if (runId !== undefined) await store.finishRun?.(runId, { rejected: 0, error: (e as Error).message }).catch(() => undefined);
    throw e;
  }
}

async function ingestInto(paths: string[], store: CatalogueStore, options: IngestOptions, runId: number | undefined): Promise<IngestReport> {
  const started = performance.now();
  const write = runId === undefined ? {} : { runId };
  const base = options.baseDir ?? process.cwd();
  const display = (p: string): string => {
    const rel = relative(base, p);
    return rel && !isAbsolute(rel) ? rel : p;
  };
  const rejected: LoadRejection[] = [];
  const files: string[] = [];
  for (const p of paths) await walk(resolve(base, p), files, rejected, display);

  const byKind = new Map<SourceKind, Map<string, Procedure[]>>();
  const recordsByKind: Partial<Record<SourceKind, number>> = {};
  let filesRead = 0;
  let recordsRead = 0;

  for (const [index, path] of files.entries()) {
    const file = display(path);
    options.onProgress?.({ phase: 'read', done: index, total: files.length, file });
    let recognised = true;
    for await (const raw of loadFile(path, file)) {
      if (!raw.ok) {
        if (raw.line === undefined && !raw.id) recognised = false;
        rejected.push(raw.file === path ? { ...raw, file } : raw);
        continue;
      }
      const record = raw.record.sources[0]!.file === path
        ? { ...raw.record, sources: raw.record.sources.map((s) => ({ ...s, file })) }
        : raw.record;
      const kind = record.sources[0]!.kind;
      recordsRead++;
      recordsByKind[kind] = (recordsByKind[kind] ?? 0) + 1;
      let codes = byKind.get(kind);
      if (!codes) byKind.set(kind, (codes = new Map()));
      const list = codes.get(record.id);
      if (list) list.push(record);
      else codes.set(record.id, [record]);
    }
    if (recognised) filesRead++;
  }
  options.onProgress?.({ phase: 'read', done: files.length, total: files.length });

  const duplicates: DuplicateCode[] = [];
  const merged = new Map<SourceKind, Map<string, Procedure>>();
  for (const [kind, codes] of byKind) {
    const out = new Map<string, Procedure>();
    for (const [id, list] of codes) {
      if (list.length > 1) {
        duplicates.push({ id, kind, files: list.map((r) => r.sources[0]!.file) });
        out.set(id, mergeProcedure(list));
      } else {
        out.set(id, list[0]!);
      }
    }
    merged.set(kind, out);
  }

  const allCodes = [...new Set([...merged.values()].flatMap((m) => [...m.keys()]))].sort();
  const status = new Map<string, 'added' | 'changed' | 'unchanged'>();
  const note = (r: UpsertReport): void => {
    // A code touched by several calls reports its strongest outcome.
    for (const id of r.unchanged) if (!status.has(id)) status.set(id, 'unchanged');
    for (const id of r.changed) if (status.get(id) !== 'added') status.set(id, 'changed');
    for (const id of r.added) status.set(id, 'added');
  };
  const batchSize = options.batchSize ?? 1000;
  for (let i = 0; i < allCodes.length; i += batchSize) {
    const chunk = allCodes.slice(i, i + batchSize);
    const batches: SourceBatch[] = [];
    for (const [kind, codes] of merged) {
      const records = chunk.map((id) => codes.get(id)).filter((r): r is Procedure => !!r);
      if (records.length > 0) batches.push({ source: { kind, file: records[0]!.sources[0]!.file, repo: null, commit: null }, records });
    }
    if (store.upsertSources) note(await store.upsertSources(batches, write));
    else for (const b of batches) note(await store.upsertMany(b.records, b.source, write));
    options.onProgress?.({ phase: 'store', done: Math.min(i + batchSize, allCodes.length), total: allCodes.length });
  }

  const pick = (s: string): string[] => allCodes.filter((id) => status.get(id) === s);
  return {
    filesSeen: files.length,
    filesRead,
    recordsRead,
    recordsByKind,
    codes: allCodes.length,
    added: pick('added'),
    changed: pick('changed'),
    unchanged: pick('unchanged'),
    rejected,
    duplicates,
    elapsedMs: Math.round(performance.now() - started),
  };
}
