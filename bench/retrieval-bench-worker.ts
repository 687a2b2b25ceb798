/**
 * One benchmark configuration in a fresh process, so that its RSS is its own: builds one engine
 * over the catalogue replicated `scale` times, runs every eval question (as written and without
 * diacritics) and prints one JSON line of figures.
 *
 *   tsx bench/retrieval-bench-worker.ts <ours|minisearch> <scale>
 */
import path from 'node:path';
import MiniSearch from 'minisearch';
import type { Procedure } from '../src/domain/procedure.js';
import { LexicalRetriever } from '../src/retrieval/lexical-retriever.js';
import { loadLexicon } from '../src/text/lexicon.js';
import { fold } from '../src/text/vietnamese.js';
import { loadSharedCatalogue, SHARED_TTHC_DIR } from '../evals/load-shared-catalogue.js';
import { readRetrievalQuestions } from '../evals/retrieval-eval.js';

const [engine = 'ours', scaleArg = '1'] = process.argv.slice(2);
const scale = Number(scaleArg);

function replicate(base: readonly Procedure[], times: number): Procedure[] {
  const out: Procedure[] = [...base];
  for (let r = 1; r < times; r++) for (const p of base) out.push({ ...p, id: `${p.id}#${r}` });
  return out;
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface Engine {
  search(text: string): unknown;
}

function buildOurs(procedures: Procedure[]): Engine {
  const lexicon = loadLexicon(path.resolve(import.meta.dirname, '../knowledge/lexicon.json'));
  const retriever = LexicalRetriever.build(procedures, lexicon);
  return { search: (text) => retriever.searchSync({ text, limit: 10 }) };
}

/** MiniSearch 7 as a Vietnamese user would tune it: folded terms, same fields and weights. */
function buildMiniSearch(procedures: Procedure[]): Engine {
  const ms = new MiniSearch<{ id: string; name: string; aliases: string; field: string; result: string; agency: string }>({
    fields: ['name', 'aliases', 'field', 'result', 'agency'],
    storeFields: [],
    processTerm: (term) => fold(term),
    searchOptions: { boost: { name: 4, aliases: 3, field: 0.8, result: 0.6, agency: 0.4 }, combineWith: 'OR' },
  });
  ms.addAll(
    procedures.map((p) => ({
      id: p.id,
      name: p.name,
      aliases: p.aliases.join(' '),
      field: p.field ?? '',
      result: p.result ?? '',
      agency: [p.agency, p.competentAuthority].filter(Boolean).join(' '),
    })),
  );
  return { search: (text) => ms.search(text).slice(0, 10) };
}

const base = await loadSharedCatalogue(SHARED_TTHC_DIR);
const procedures = replicate(base, scale);
const questions = readRetrievalQuestions(path.join(SHARED_TTHC_DIR, 'eval/retrieval_eval.jsonl'));
const texts = [...questions.map((q) => q.question), ...questions.map((q) => fold(q.question))];

globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const built = engine === 'minisearch' ? buildMiniSearch(procedures) : buildOurs(procedures);
const buildMs = performance.now() - t0;
globalThis.gc?.();
const rssAfter = process.memoryUsage().rss;

// Warm-up so the JIT has compiled the hot loops before timing; then every question once per
// round (as written and without diacritics), one round for the slow baseline at large scales.
for (const t of texts.slice(0, 100)) built.search(t);
const rounds = engine === 'minisearch' && scale > 1 ? 1 : 3;
const times: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (const t of texts) {
    const s = performance.now();
    built.search(t);
    times.push(performance.now() - s);
  }
}
times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    engine,
    scale,
    documents: procedures.length,
    buildMs,
    queries: times.length,
    p50Ms: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
    maxMs: times[times.length - 1],
    rssMb: rssAfter / 2 ** 20,
    indexRssMb: (rssAfter - rssBefore) / 2 ** 20,
  }),
);
