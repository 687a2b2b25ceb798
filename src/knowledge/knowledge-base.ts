import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CatalogueStore } from '../catalogue/catalogue-store.js';
import { type CenterKnowledge, loadCenterKnowledge } from '../center/center-knowledge.js';
import type { Procedure } from '../domain/procedure.js';
import { LexicalRetriever } from '../retrieval/lexical-retriever.js';
import { SwappableRetriever } from '../retrieval/swappable-retriever.js';
import { EMPTY_LEXICON, loadLexicon, type Lexicon } from '../text/lexicon.js';
import { hanoiDate, msUntilHanoiMidnight } from './hanoi-date.js';
import { LiveMap } from './live-map.js';
import { loadStarterProcedures } from './load-starter-procedures.js';
import { localNotices, type LocalNotices } from './local-notices.js';
import { loadOnlineOnly, onlineOnlyOn, type OnlineOnlyFile } from './online-only-list.js';
import { loadOverlays, type KnowledgeFileProblem, type Overlay } from './overlay.js';
import { servableProcedure } from './servable-procedure.js';
import type { AnswerStyle, Language } from '../domain/answer.js';

/** How long a change stays flagged to citizens. */
export const RECENT_CHANGE_DAYS = 30;

/** Everything the assistant knows on one Hanoi day; replaced whole on reload. */
export interface KnowledgeSnapshot {
  /** The Hanoi date the snapshot answers for (YYYY-MM-DD). */
  date: string;
  procedures: ReadonlyMap<string, Procedure>;
  lexicon: Lexicon;
  lexical: LexicalRetriever;
  overlays: ReadonlyMap<string, Overlay>;
  onlineOnly: OnlineOnlyFile;
  /** What the team knows about the Center itself (hours, hotline, iHanoi…); null without the file. */
  center: CenterKnowledge | null;
  /** Procedure code → Hanoi date of its change, for changes in the last RECENT_CHANGE_DAYS. */
  recentChanges: ReadonlyMap<string, string>;
  counts: { fromStore: number; fromStarter: number; expired: number; overlays: number; onlineOnlyToday: number };
  /** Knowledge files that were skipped, and why (shown in the log and the reload report). */
  problems: KnowledgeFileProblem[];
}

export interface KnowledgeLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface KnowledgeBaseOptions {
  store: CatalogueStore;
  knowledgeDir: string;
  log: KnowledgeLog;
  now?: () => Date;
  /** Rebuild at every Hanoi midnight, so dated rules take effect on their day (default true). */
  midnightReload?: boolean;
}

export type ReloadReport =
  | { ok: true; date: string; procedures: number; overlays: number; onlineOnlyToday: number; problems: KnowledgeFileProblem[]; ms: number }
  | { ok: false; error: string };

/**
 * The Center's knowledge as served: catalogue records in force today, the team's starter
 * records for codes the catalogue lacks, the staff's overlays and the online-only list, and the
 * lexical index over all of it. `reload()` (SIGHUP, the admin endpoint, every midnight) builds a
 * new snapshot beside the old one and swaps it in one step; a reload that fails keeps the old.
 */
export class KnowledgeBase {
  /** The servable records; the same object for the life of the process. */
  readonly procedures = new LiveMap<string, Procedure>();
  readonly retriever: SwappableRetriever<LexicalRetriever>;
  private current: KnowledgeSnapshot;
  private reloading: Promise<ReloadReport> | undefined;
  private readonly listeners: Array<(s: KnowledgeSnapshot) => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly options: KnowledgeBaseOptions,
    first: KnowledgeSnapshot,
  ) {
    this.current = first;
    this.procedures.replace(first.procedures);
    this.retriever = new SwappableRetriever(first.lexical);
    if (options.midnightReload !== false) this.scheduleMidnight();
  }

  static async load(options: KnowledgeBaseOptions): Promise<KnowledgeBase> {
    return new KnowledgeBase(options, await buildSnapshot(options));
  }

  get snapshot(): KnowledgeSnapshot {
    return this.current;
  }

  /** Called after each successful reload with the new snapshot (e.g. to rebuild the pipeline). */
  onReload(listener: (s: KnowledgeSnapshot) => void): void {
    this.listeners.push(listener);
  }

  /** Rebuilds from the files and the store; concurrent calls share one rebuild. */
  reload(): Promise<ReloadReport> {
    this.reloading ??= this.rebuild().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  /** The notices around an answer about `procedureId`, as of the snapshot's day. */
  noticesFor(procedureId: string, style: AnswerStyle, language: Language): LocalNotices {
    const s = this.current;
    return localNotices(
      {
        onlineOnly: onlineOnlyOn(s.onlineOnly, procedureId, s.date),
        changedOn: s.recentChanges.get(procedureId),
        notes: s.overlays.get(procedureId)?.notes,
        url: s.procedures.get(procedureId)?.url,
      },
      style,
      language,
    );
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async rebuild(): Promise<ReloadReport> {
    const started = performance.now();
    try {
      const next = await buildSnapshot(this.options);
      if (this.closed) return { ok: false, error: 'closed' };
      this.current = next;
      this.procedures.replace(next.procedures);
      this.retriever.replace(next.lexical);
      for (const l of this.listeners) l(next);
      const report = {
        ok: true as const,
        date: next.date,
        procedures: next.procedures.size,
        overlays: next.counts.overlays,
        onlineOnlyToday: next.counts.onlineOnlyToday,
        problems: next.problems,
        ms: Math.round(performance.now() - started),
      };
      this.options.log.info(report, 'knowledge reloaded');
      return report;
    } catch (err) {
      const error = (err as Error).message;
      this.options.log.error({ error }, 'knowledge reload failed; still serving the previous knowledge');
      return { ok: false, error };
    }
  }

  private scheduleMidnight(): void {
    const now = (this.options.now ?? (() => new Date()))();
    // A second past midnight, so the new day has surely begun when the date is read.
    this.timer = setTimeout(() => {
      void this.reload().finally(() => {
        if (!this.closed) this.scheduleMidnight();
      });
    }, msUntilHanoiMidnight(now) + 1000);
    this.timer.unref();
  }
}

async function buildSnapshot(options: KnowledgeBaseOptions): Promise<KnowledgeSnapshot> {
  const now = (options.now ?? (() => new Date()))();
  const date = hanoiDate(now);
  const { store, knowledgeDir, log } = options;

  // Broken team files are caught here, before anything is swapped: a reload with a typo in
  // the lexicon or the online-only list keeps serving yesterday's knowledge.
  const lexiconFile = path.join(knowledgeDir, 'lexicon.json');
  const lexicon = existsSync(lexiconFile) ? loadLexicon(lexiconFile) : EMPTY_LEXICON;
  if (lexicon === EMPTY_LEXICON) log.warn({ file: lexiconFile }, 'lexicon not found; searching without synonyms and abbreviations');
  const onlineOnly = loadOnlineOnly(path.join(knowledgeDir, 'online-only.json'));
  const center = loadCenterKnowledge(knowledgeDir, log);
  const { overlays, problems } = loadOverlays(knowledgeDir);
  for (const problem of problems) log.warn(problem, 'overlay skipped');

  const records = new Map<string, Procedure>();
  let expired = 0;
  // Stores that keep dated versions serve the one in force today; the others their current record.
  const source = store.allAsOf ? store.allAsOf(now) : store.all();
  for await (const p of source) {
    if (inForce(p, date)) records.set(p.id, p);
    else expired++;
  }
  const fromStore = records.size;
  // Codes the catalogue holds but does not serve today (withdrawn, expired, not yet in force):
  // a starter record must not bring them back.
  const known = new Set<string>(records.keys());
  if (store.codes) for (const id of await store.codes()) known.add(id);
  else if (store.allAsOf) for await (const p of store.all()) known.add(p.id);
  // Official records win: a starter record only fills a code the ingested catalogue lacks.
  const starter = loadStarterProcedures(knowledgeDir, log);
  problems.push(...starter.skipped);
  let fromStarter = 0;
  for (const p of starter.procedures) {
    if (known.has(p.id)) continue;
    if (!inForce(p, date)) {
      expired++;
      continue;
    }
    records.set(p.id, p);
    fromStarter++;
  }

  let onlineOnlyToday = 0;
  const procedures = new Map<string, Procedure>();
  for (const [id, p] of records) {
    const rule = onlineOnlyOn(onlineOnly, id, date);
    if (rule) onlineOnlyToday++;
    procedures.set(id, servableProcedure(p, overlays.get(id), rule));
  }
  for (const id of overlays.keys()) if (!procedures.has(id)) log.warn({ id }, 'overlay for a code that is not served');

  const recentChanges = new Map<string, string>();
  if (store.recentChanges) {
    const since = new Date(now.getTime() - RECENT_CHANGE_DAYS * 86_400_000);
    for (const c of await store.recentChanges(since, now)) {
      if (procedures.has(c.id)) recentChanges.set(c.id, hanoiDate(new Date(c.changedAt)));
    }
  }

  const lexical = LexicalRetriever.build(procedures.values(), lexicon);
  return {
    date,
    procedures,
    lexicon,
    lexical,
    overlays,
    onlineOnly,
    center,
    recentChanges,
    counts: { fromStore, fromStarter, expired, overlays: overlays.size, onlineOnlyToday },
    problems,
  };
}

/**
 * A record is answered from while it is in force on the Hanoi date: not before its
 * effective-from day, and not after its effective-to day (that day itself still counts).
 */
export function inForce(p: Pick<Procedure, 'effectiveFrom' | 'effectiveTo'>, date: string): boolean {
  if (p.effectiveFrom && p.effectiveFrom.slice(0, 10) > date) return false;
  if (p.effectiveTo && p.effectiveTo.slice(0, 10) < date) return false;
  return true;
}
