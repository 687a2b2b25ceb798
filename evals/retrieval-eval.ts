import fs from 'node:fs';
import { fold } from '../src/text/vietnamese.js';
import type { Retriever } from '../src/retrieval/retriever.js';

/** One public evaluation question with its gold procedure codes. */
export interface EvalQuestion {
  id: string;
  question: string;
  qType: string;
  goldIds: string[];
}

/** Reads `retrieval_eval.jsonl`, keeping the questions whose gold procedure is in the corpus. */
export function readRetrievalQuestions(file: string): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { id: string; question: string; q_type: string; gold_ids: string[]; in_corpus: boolean; out_of_scope: boolean };
    if (r.in_corpus && !r.out_of_scope) out.push({ id: r.id, question: r.question, qType: r.q_type, goldIds: r.gold_ids });
  }
  return out;
}

/** Reads a team-written retrieval set (`{id, question, q_type, gold_ids}` per line). */
export function readTeamRetrievalQuestions(file: string): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { id: string; question: string; q_type: string; gold_ids: string[] };
    out.push({ id: r.id, question: r.question, qType: r.q_type, goldIds: r.gold_ids });
  }
  return out;
}

export interface RankMetrics {
  n: number;
  hit1: number;
  hit5: number;
  mrr10: number;
}

export interface QuestionResult {
  id: string;
  qType: string;
  question: string;
  goldIds: string[];
  /** 1-based rank of the first gold procedure, or null when not in the top 10. */
  rank: number | null;
  top: string[];
}

export interface RetrievalRun {
  variant: string;
  overall: RankMetrics;
  byType: Record<string, RankMetrics>;
  results: QuestionResult[];
}

export function metricsOf(results: readonly QuestionResult[]): RankMetrics {
  const n = results.length;
  const sum = (f: (r: QuestionResult) => number) => results.reduce((s, r) => s + f(r), 0);
  return {
    n,
    hit1: n ? sum((r) => (r.rank === 1 ? 1 : 0)) / n : 0,
    hit5: n ? sum((r) => (r.rank !== null && r.rank <= 5 ? 1 : 0)) / n : 0,
    mrr10: n ? sum((r) => (r.rank !== null && r.rank <= 10 ? 1 / r.rank : 0)) / n : 0,
  };
}

/** Runs every question through the retriever, as written or with diacritics stripped. */
export async function runRetrievalEval(retriever: Retriever, questions: readonly EvalQuestion[], variant: 'as_written' | 'no_diacritics'): Promise<RetrievalRun> {
  const results: QuestionResult[] = [];
  for (const q of questions) {
    const text = variant === 'no_diacritics' ? fold(q.question) : q.question;
    const hits = await retriever.search({ text, limit: 10 });
    const top = hits.map((h) => h.procedureId);
    const index = top.findIndex((id) => q.goldIds.includes(id));
    results.push({ id: q.id, qType: q.qType, question: text, goldIds: q.goldIds, rank: index < 0 ? null : index + 1, top });
  }
  const types = [...new Set(results.map((r) => r.qType))].sort();
  const byType = Object.fromEntries(types.map((t) => [t, metricsOf(results.filter((r) => r.qType === t))]));
  return { variant, overall: metricsOf(results), byType, results };
}
