import { PROCEDURE_CODE, type Procedure } from '../domain/procedure.js';
import type { Lexicon } from '../text/lexicon.js';
import { isQuestionWord } from '../text/question-words.js';
import { foldTerm, syllables } from '../text/vietnamese.js';
import { type FieldSpec, LexicalIndex, type ScoredDoc } from './lexical-index.js';
import { analyseQuery, type BigramRestorer, DEFAULT_QUERY_WEIGHTS, documentTerms, type QueryWeights, type SyllableCorrector, TERM } from './query-terms.js';
import type { Hit, Retriever, SearchFilter, SearchQuery } from './retriever.js';
import { foldForFilter, isActiveFilter } from './search-filter.js';

/**
 * Which parts of a procedure are searched and how much each counts. The name and the aliases
 * are what citizens' words most often echo; the field, result and agency help when the question
 * describes a situation ("Sở Nông nghiệp", "giấy khai sinh") rather than naming the procedure.
 * Document lists, steps and conditions are left out: on the public eval they changed no
 * ranking while tripling build time and index memory.
 */
export const PROCEDURE_FIELDS: readonly FieldSpec[] = [
  { name: 'name', weight: 4, b: 0.6 },
  { name: 'aliases', weight: 2.5, b: 0.5 },
  { name: 'field', weight: 0.8, b: 0.3 },
  { name: 'result', weight: 0.6, b: 0.5 },
  { name: 'agency', weight: 0.4, b: 0.5 },
];

/** How many BM25 candidates the name-coverage rerank looks at. */
const RERANK_DEPTH = 50;
/** How much a name fully covered by the question's words multiplies the score by (1 + w). */
const NAME_COVERAGE_WEIGHT = 1;

function procedureTerms(p: Procedure): string[][] {
  return [
    documentTerms(p.name, true),
    documentTerms(p.aliases.join(' . '), true),
    documentTerms(p.field, true),
    documentTerms(p.result, true),
    documentTerms([p.agency, p.competentAuthority].filter(Boolean).join(' . '), false),
  ];
}

export interface LexicalRetrieverOptions {
  weights?: QueryWeights;
  /** Restore diacritics of unaccented queries from the catalogue's vocabulary (default on). */
  restoreDiacritics?: boolean;
  /** Replace syllables the catalogue never uses by a catalogue syllable one edit away (default on). */
  correctTypos?: boolean;
}

/** Field-weighted Vietnamese lexical ranking in process. */
export class LexicalRetriever implements Retriever {
  private readonly ids: string[];
  private readonly docOfId: Map<string, number>;
  private readonly foldedLevels: string[][];
  private readonly foldedAgencies: string[][];
  /** Folded topic syllables of each name as ids into `syllableIds`, for the coverage rerank. */
  private readonly nameSyllables: Uint32Array[];
  /**
   * The same for each alias. An alias ("làm sổ đỏ") names the procedure as fully as its official
   * name, but only when the citizen says it as a phrase: short aliases share their words with
   * many questions ("giấy tờ xe"), so scattered words are not enough.
   */
  private readonly aliasSyllables: Uint32Array[][];
  private readonly syllableIds = new Map<string, number>();

  private constructor(
    private readonly procedures: readonly Procedure[],
    private readonly index: LexicalIndex,
    private readonly lexicon: Lexicon,
    private readonly restore: BigramRestorer | undefined,
    private readonly weights: QueryWeights,
    private readonly correct: SyllableCorrector | undefined,
  ) {
    this.ids = procedures.map((p) => p.id);
    this.docOfId = new Map(this.ids.map((id, i) => [id, i]));
    // Folded once here so a filtered search does not fold every candidate's fields again; the
    // semantics are those of `matchesFilter`, which the hybrid retriever applies.
    this.foldedLevels = procedures.map((p) => p.levels.map(foldForFilter));
    this.foldedAgencies = procedures.map((p) => [p.agency, p.competentAuthority].filter((a) => a !== null).map(foldForFilter));
    const toIds = (text: string, keepAll = false) =>
      Uint32Array.from(
        syllables(text)
          .map(foldTerm)
          .filter((x) => keepAll || !isQuestionWord(x))
          .map((x) => {
            let id = this.syllableIds.get(x);
            if (id === undefined) this.syllableIds.set(x, (id = this.syllableIds.size));
            return id;
          }),
      );
    this.nameSyllables = procedures.map((p) => toIds(p.name));
    // Every word of an alias counts ("thu hồi biển số xe" is not "biển số xe"), and a one-word
    // alias is too weak to name a procedure on its own.
    this.aliasSyllables = procedures.map((p) => p.aliases.map((a) => toIds(a, true)).filter((ids) => ids.length >= 2));
  }

  static build(procedures: Iterable<Procedure>, lexicon: Lexicon, options: LexicalRetrieverOptions = {}): LexicalRetriever {
    const list = [...procedures];
    const index = LexicalIndex.build(list.length, (d) => procedureTerms(list[d]!), { fields: PROCEDURE_FIELDS });
    const restore = options.restoreDiacritics === false ? undefined : buildRestorer(index, list);
    const correct = options.correctTypos === false ? undefined : buildCorrector(index);
    return new LexicalRetriever(list, index, lexicon, restore, options.weights ?? DEFAULT_QUERY_WEIGHTS, correct);
  }

  get size(): number {
    return this.procedures.length;
  }

  async search(query: SearchQuery): Promise<Hit[]> {
    return this.searchSync(query);
  }

  /** The synchronous core; the async `search` exists for the port. */
  searchSync(query: SearchQuery): Hit[] {
    const accept = isActiveFilter(query.filter) ? this.filterPredicate(query.filter) : undefined;
    const hits: Hit[] = [];
    // A citizen who quotes an official code means that procedure.
    for (const code of query.text.match(/\d{1,2}\.\d{6}/g) ?? []) {
      const d = this.docOfId.get(code);
      if (d !== undefined && PROCEDURE_CODE.test(code) && (!accept || accept(d))) hits.push({ procedureId: code, score: Number.MAX_SAFE_INTEGER });
    }
    const analysed = analyseQuery(query.text, this.lexicon, this.restore, this.weights, this.correct);
    const candidates = this.index.search(analysed.terms, Math.max(query.limit, RERANK_DEPTH), accept);
    for (const { doc, score } of this.rerank(candidates, analysed.querySyllables, analysed.foldedSequence).slice(0, query.limit)) {
      if (hits.length >= query.limit) break;
      const id = this.ids[doc]!;
      if (!hits.some((h) => h.procedureId === id)) hits.push({ procedureId: id, score });
    }
    return hits.slice(0, query.limit);
  }

  /**
   * Prefers the procedure whose name says no more than the citizen asked: "đăng ký khai sinh"
   * means the plain procedure, not "… có yếu tố nước ngoài" or "… lưu động", which BM25 alone
   * may rank higher because their longer names repeat the query's words.
   */
  private rerank(candidates: ScoredDoc[], querySyllables: ReadonlySet<string>, sequence: readonly string[]): ScoredDoc[] {
    const asked = new Set<number>();
    for (const s of querySyllables) {
      const id = this.syllableIds.get(s);
      if (id !== undefined) asked.add(id);
    }
    // The question as syllable ids in order (-1 for words no name or alias uses).
    const said = sequence.map((s) => this.syllableIds.get(s) ?? -1);
    return candidates
      .map(({ doc, score }) => {
        const name = this.nameSyllables[doc]!;
        let covered = 0;
        for (const s of name) if (asked.has(s)) covered++;
        let coverage = name.length ? covered / name.length : 0;
        if (coverage < 1 && this.aliasSyllables[doc]!.some((alias) => containsRun(said, alias))) coverage = 1;
        return { doc, score: score * (1 + NAME_COVERAGE_WEIGHT * coverage) };
      })
      .sort((a, b) => b.score - a.score || a.doc - b.doc);
  }

  private filterPredicate(filter: SearchFilter): (doc: number) => boolean {
    const level = foldForFilter(filter.level ?? '');
    const agency = foldForFilter(filter.agency ?? '');
    return (d) =>
      (!level || this.foldedLevels[d]!.some((l) => l.includes(level))) && (!agency || this.foldedAgencies[d]!.some((a) => a.includes(agency)));
  }
}

/** True when `run` occurs in `seq` as consecutive items. */
function containsRun(seq: readonly number[], run: Uint32Array): boolean {
  outer: for (let i = 0; i + run.length <= seq.length; i++) {
    for (let j = 0; j < run.length; j++) if (seq[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * For each folded bigram of the catalogue, its most frequent accented spelling: an unaccented
 * "giay phep lai xe" is read as "giấy phép lái xe" because that is how the catalogue writes it.
 */
function buildRestorer(index: LexicalIndex, procedures: readonly Procedure[]): BigramRestorer {
  const best = new Map<string, { accented: string; df: number }>();
  const seen = new Set<string>();
  for (const p of procedures) {
    for (const term of documentTerms(p.name, true)) {
      if (!term.startsWith('B:') || seen.has(term)) continue;
      seen.add(term);
      const accented = term.slice(2);
      const folded = accented.split(' ').map(foldTerm).join(' ');
      const df = index.documentFrequency(term);
      const current = best.get(folded);
      if (!current || df > current.df) best.set(folded, { accented, df });
    }
  }
  return (foldedBigram) => best.get(foldedBigram)?.accented;
}

/**
 * Typo correction by symmetric deletion: a syllable the catalogue never uses ("khai sing",
 * "thuong chu") is replaced by the most frequent catalogue syllable within one edit
 * (insertion, deletion or substitution). Syllables are short and the vocabulary is a few
 * thousand, so the deletion table is small and a lookup is a handful of map reads.
 */
function buildCorrector(index: LexicalIndex): SyllableCorrector {
  const byKey = new Map<string, string[]>();
  const addKey = (key: string, word: string) => {
    const list = byKey.get(key);
    if (list) list.push(word);
    else byKey.set(key, [word]);
  };
  for (const term of index.terms()) {
    if (!term.startsWith('u:')) continue;
    const word = term.slice(2);
    if (word.length < 2 || /\d/.test(word)) continue;
    addKey(word, word);
    for (const d of deletions(word)) addKey(d, word);
  }
  return (syllable, previous, next) => {
    if (/\d/.test(syllable) || index.documentFrequency(TERM.foldedUnigram(syllable)) > 0) return undefined;
    let best: string | undefined;
    let bestScore = 0;
    for (const key of [syllable, ...deletions(syllable)]) {
      for (const word of byKey.get(key) ?? []) {
        if (word === best || !withinOneEdit(syllable, word)) continue;
        // A candidate that forms a compound with a neighbour ("khai sinh" for "khai sing") beats
        // a merely frequent one ("sang"); frequency only breaks the remaining ties.
        const compound =
          (previous ? index.documentFrequency(TERM.foldedBigram(previous, word)) : 0) +
          (next ? index.documentFrequency(TERM.foldedBigram(word, next)) : 0);
        const score = compound * 1e6 + index.documentFrequency(TERM.foldedUnigram(word));
        if (score > bestScore || (score === bestScore && best !== undefined && word < best)) {
          best = word;
          bestScore = score;
        }
      }
    }
    return best;
  };
}

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Levenshtein distance ≤ 1 (the deletion table also proposes some pairs two edits apart). */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
