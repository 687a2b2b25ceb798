/**
 * `npm run eval`: every suite, then the staff's HTML report (evals/reports/<timestamp>/index.html
 * and report.json: metrics with the change since the previous run, failing cases first, latency,
 * reviewed accuracy from DATA_DIR/review.sqlite). `npm run eval -- <suite>` runs one suite.
 * `retrieval`: hit@1, hit@5 and MRR@10 on the public retrieval questions, as written and with
 * diacritics stripped, overall and per question type; writes JSON and Markdown to evals/reports/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LexicalRetriever } from '../src/retrieval/lexical-retriever.js';
import { loadOverlays } from '../src/knowledge/overlay.js';
import { servableProcedure } from '../src/knowledge/servable-procedure.js';
import { loadLexicon } from '../src/text/lexicon.js';
import { loadSharedCatalogue, SHARED_TTHC_DIR } from './load-shared-catalogue.js';
import { type RankMetrics, readRetrievalQuestions, readTeamRetrievalQuestions, type RetrievalRun, runRetrievalEval } from './retrieval-eval.js';
import { loadConfig } from '../src/config.js';
import type { ServiceFactory } from './answers-eval.js';
import { createEvalAnswerService } from './create-eval-answer-service.js';
import type { SuiteReport } from './report/eval-run-report.js';
import { answersSuiteReport, knowledgeSuiteReport, retrievalSuiteReport } from './report/suite-reports.js';
import { writeEvalReport } from './report/write-eval-report.js';

const REPORTS_DIR = path.resolve(import.meta.dirname, 'reports');

async function retrieval(): Promise<SuiteReport> {
  const started = performance.now();
  const procedures = await loadSharedCatalogue(SHARED_TTHC_DIR);
  const names = new Map(procedures.map((p) => [p.id, p.name]));
  const knowledgeDir = path.resolve(import.meta.dirname, '../knowledge');
  const lexicon = loadLexicon(path.join(knowledgeDir, 'lexicon.json'));
  // The staff's overlays (aliases, example questions) as the server serves them, and without
  // them, so their effect on every question type is measured, not assumed.
  const { overlays } = loadOverlays(knowledgeDir);
  const withOverlays = procedures.map((p) => servableProcedure(p, overlays.get(p.id), undefined));
  const retrievers = { overlays: LexicalRetriever.build(withOverlays, lexicon), no_overlays: LexicalRetriever.build(procedures, lexicon) };
  // The public questions, and the team's colloquial set (written without looking at the
  // overlays or the lexicon, so it measures them rather than echoing them).
  const sets = [
    { name: 'public', questions: readRetrievalQuestions(path.join(SHARED_TTHC_DIR, 'eval/retrieval_eval.jsonl')) },
    { name: 'colloquial', questions: readTeamRetrievalQuestions(path.resolve(import.meta.dirname, 'datasets/retrieval-colloquial.jsonl')) },
  ];
  const runs: RetrievalRun[] = [];
  for (const set of sets) {
    for (const [knowledge, retriever] of Object.entries(retrievers)) {
      for (const variant of ['as_written', 'no_diacritics'] as const) {
        const run = await runRetrievalEval(retriever, set.questions, variant);
        runs.push({ ...run, variant: `${set.name} ${variant}${knowledge === 'overlays' ? '' : ' (no overlays)'}` });
      }
    }
  }

  const line = (label: string, m: RankMetrics) =>
    `${label.padEnd(16)} n=${String(m.n).padStart(3)}  hit@1 ${m.hit1.toFixed(3)}  hit@5 ${m.hit5.toFixed(3)}  MRR@10 ${m.mrr10.toFixed(3)}`;
  console.log(`Retrieval eval: ${sets.map((s) => `${s.questions.length} ${s.name}`).join(' + ')} questions over ${procedures.length} procedures\n`);
  for (const run of runs) {
    const base = runs.find((r) => r.variant === `${run.variant} (no overlays)`);
    console.log(`[${run.variant}]${base ? ` — Δ hit@1 vs no overlays: ${signed(run.overall.hit1 - base.overall.hit1)}` : ''}`);
    console.log(line('overall', run.overall));
    for (const [type, m] of Object.entries(run.byType)) {
      const b = base?.byType[type];
      console.log(`${line(`  ${type}`, m)}${b ? `  (Δ hit@1 ${signed(m.hit1 - b.hit1)})` : ''}`);
    }
    console.log();
  }

  fs.mkdirSync(REPORTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = path.join(REPORTS_DIR, `retrieval-${stamp}`);
  const report = { kind: 'retrieval', createdAt: new Date().toISOString(), procedures: procedures.length, questions: Object.fromEntries(sets.map((s) => [s.name, s.questions.length])), runs };
  fs.writeFileSync(`${base}.json`, JSON.stringify(report, null, 2));
  fs.writeFileSync(`${base}.md`, renderMarkdown(runs, procedures.length, names));
  console.log(`Reports: ${path.relative(process.cwd(), base)}.{json,md} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return retrievalSuiteReport(runs, names);
}

/** The answers suite on the real service, timing each answer and noting the cited procedures' names for the report. */
async function answers(): Promise<SuiteReport> {
  const latenciesMs: number[] = [];
  const names = new Map<string, string>();
  const timed: ServiceFactory = async (procedures) => {
    const service = await createEvalAnswerService(procedures);
    return {
      async handle(input) {
        const started = performance.now();
        const reply = await service.handle(input);
        latenciesMs.push(performance.now() - started);
        for (const c of reply.citations) names.set(c.id, c.name);
        return reply;
      },
      close: () => service.close(),
    };
  };
  const report = await (await import('./answers-eval.js')).answersSuite(timed);
  return answersSuiteReport(report, { names, latenciesMs });
}

const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;

function renderMarkdown(runs: readonly RetrievalRun[], procedureCount: number, names: ReadonlyMap<string, string>): string {
  const row = (label: string, m: RankMetrics) => `| ${label} | ${m.n} | ${m.hit1.toFixed(3)} | ${m.hit5.toFixed(3)} | ${m.mrr10.toFixed(3)} |`;
  const out = [`# Retrieval evaluation`, '', `${procedureCount} procedures; public questions from \`../shared/data/tthc/eval/retrieval_eval.jsonl\` (in corpus, in scope) and the team's colloquial set \`evals/datasets/retrieval-colloquial.jsonl\`; each with and without the overlays.`, ''];
  for (const run of runs) {
    out.push(`## ${run.variant}`, '', '| type | n | hit@1 | hit@5 | MRR@10 |', '|---|---:|---:|---:|---:|', row('**overall**', run.overall));
    for (const [type, m] of Object.entries(run.byType)) out.push(row(type, m));
    out.push('', '### Misses at rank 1', '', '| question | gold | rank | top result |', '|---|---|---:|---|');
    for (const r of run.results.filter((x) => x.rank !== 1)) {
      const gold = r.goldIds[0]!;
      const top = r.top[0];
      const cell = (s: string) => s.replace(/\|/g, '\\|');
      out.push(`| ${cell(r.question)} | ${gold} ${cell(names.get(gold) ?? '')} | ${r.rank ?? '>10'} | ${top ? `${top} ${cell(names.get(top) ?? '')}` : '—'} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

const suites: Record<string, () => Promise<SuiteReport>> = {
  retrieval,
  answers,
  knowledge: async () => {
    const knowledge = await import('./knowledge-eval.js');
    return knowledgeSuiteReport(await knowledge.knowledgeSuite(), knowledge.loadKnowledgeCases());
  },
};
const name = process.argv[2];
if (name && !suites[name]) {
  console.error(`usage: npm run eval [-- <${Object.keys(suites).join('|')}>]   (no suite: all of them)`);
  process.exit(1);
}
// One suite failing (e.g. the shared catalogue missing) still leaves a report of the others.
const done: SuiteReport[] = [];
let failed = false;
for (const suite of name ? [name] : Object.keys(suites)) {
  try {
    if (!name) console.log(`\n=== ${suite} ===`);
    done.push(await suites[suite]!());
  } catch (err) {
    failed = true;
    console.error(`Suite ${suite} failed: ${(err as Error).stack ?? err}`);
  }
}
if (done.length) {
  const { dir } = writeEvalReport({ reportsDir: REPORTS_DIR, dataDir: path.resolve(loadConfig().DATA_DIR), suites: done });
  console.log(`\nBáo cáo cho cán bộ: ${path.relative(process.cwd(), dir)}/index.html`);
}
if (failed) process.exitCode = 1;
