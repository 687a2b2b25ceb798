/**
 * Merges the contributions several sources made for one procedure code into the one record
 * the assistant answers from.
 *
 * ## Merge policy
 *
 * A source "holds" a field when its value is not `null` and not an empty array. For each field
 * the first source in the field's priority order that holds it wins, whole (lists are not mixed
 * item by item: a document list assembled from two parsers would match neither).
 * When one run brings the same code twice from the same kind of source, the later file wins.
 *
 * | Field(s) | Priority (first that holds it wins) | Why |
 * |---|---|---|
 * | `channels`, `documents`, `legalCodes` | word_export > portal_raw > normalised_jsonl > team_knowledge | The Word export keeps table rows as rows; our own parse of the crawled page keeps descriptions, forms and case headings that the third-party normaliser drops or leaves glued |
 * | `name`, `field`, `agency`, `levels`, `competentAuthority`, `procedureType`, `decisionNo`, `targetAudience`, `steps`, `conditions`, `legalBasis`, `result`, `receptionAddress`, `coordinatingAgency`, `description`, `effectiveFrom`, `effectiveTo` | word_export > portal_raw > normalised_jsonl > team_knowledge > portal_list | Detailed pages are the fuller statement; the list export only fills what no detailed source has |
 * | `ministry` | portal_list > portal_raw > normalised_jsonl > word_export > team_knowledge | The official list export is the authority on which ministry publishes the code; the others infer it from a folder name |
 * | `url` | portal_raw > normalised_jsonl > word_export > team_knowledge > portal_list | Only crawled pages carry the portal address |
 * | `aliases` | union of all sources, in the order above, without duplicates | Every keyword helps retrieval; none contradicts another |
 * | `completeness` | `detailed` when any contribution is detailed, else `list` | A list row completed by a detailed record is no longer a stub |
 * | `sources` | every contribution's sources | So an answer can cite where each record came from |
 *
 * `team_knowledge` (the team's starter catalogue) ranks below the official detailed sources
 * and above the list export: hand-written, but fuller than a list row.
 */
import type { Procedure, SourceKind, SourceRef } from '../domain/procedure.js';

type Priority = readonly SourceKind[];

const STRUCTURED: Priority = ['word_export', 'portal_raw', 'normalised_jsonl', 'team_knowledge'];
const TEXT: Priority = ['word_export', 'portal_raw', 'normalised_jsonl', 'team_knowledge', 'portal_list'];
const MINISTRY: Priority = ['portal_list', 'portal_raw', 'normalised_jsonl', 'word_export', 'team_knowledge'];
const URL: Priority = ['portal_raw', 'normalised_jsonl', 'word_export', 'team_knowledge', 'portal_list'];

const TEXT_FIELDS = [
  'name', 'field', 'agency', 'levels', 'competentAuthority', 'procedureType', 'decisionNo',
  'targetAudience', 'steps', 'conditions', 'legalBasis', 'result', 'receptionAddress',
  'coordinatingAgency', 'description', 'effectiveFrom', 'effectiveTo',
] as const satisfies readonly (keyof Procedure)[];
const STRUCTURED_FIELDS = ['channels', 'documents', 'legalCodes'] as const satisfies readonly (keyof Procedure)[];

/** The kind a contribution speaks for: the kind of its first source. */
export function contributionKind(record: Procedure): SourceKind {
  const kind = record.sources[0]?.kind;
  if (!kind) throw new Error(`record ${record.id} has no source`);
  return kind;
}

function holds(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'string') return value.length > 0;
  return true;
}

/**
 * Contributions sorted for one priority order; ties keep the later contribution first so
 * that a newer file of the same kind wins.
 */
function ordered(contributions: readonly Procedure[], priority: Priority): Procedure[] {
  const rank = (r: Procedure): number => {
    const i = priority.indexOf(contributionKind(r));
    return i === -1 ? priority.length : i;
  };
  return contributions
    .map((record, index) => ({ record, index }))
    .sort((a, b) => rank(a.record) - rank(b.record) || b.index - a.index)
    .map((x) => x.record);
}

function pick<K extends keyof Procedure>(sorted: readonly Procedure[], key: K): Procedure[K] | undefined {
  for (const record of sorted) if (holds(record[key])) return record[key];
  return undefined;
}

function sourceKey(s: SourceRef): string {
  return `${s.kind}\u0000${s.file}`;
}

export function mergeProcedure(contributions: readonly Procedure[]): Procedure {
  const first = contributions[0];
  if (!first) throw new Error('mergeProcedure needs at least one contribution');
  const other = contributions.find((c) => c.id !== first.id);
  if (other) throw new Error(`cannot merge different codes ${first.id} and ${other.id}`);

  const byText = ordered(contributions, TEXT);
  const byStructure = ordered(contributions, STRUCTURED);
  // Start from the best-ranked record so fields nobody holds keep their schema defaults.
  const merged: Procedure = { ...byText[0]! };

  for (const key of TEXT_FIELDS) {
    const value = pick(byText, key);
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  for (const key of STRUCTURED_FIELDS) {
    const value = pick(byStructure, key);
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  merged.ministry = pick(ordered(contributions, MINISTRY), 'ministry') ?? null;
  merged.url = pick(ordered(contributions, URL), 'url') ?? null;

  const aliases: string[] = [];
  const seenAlias = new Set<string>();
  for (const record of byText) {
    for (const alias of record.aliases) {
      const key = alias.normalize('NFC').toLowerCase();
      if (!seenAlias.has(key)) {
        seenAlias.add(key);
        aliases.push(alias);
      }
    }
  }
  merged.aliases = aliases;

  merged.completeness = contributions.some((c) => c.completeness === 'detailed') ? 'detailed' : 'list';

  const sources: SourceRef[] = [];
  const seenSource = new Set<string>();
  for (const record of byText) {
    for (const source of record.sources) {
      const key = sourceKey(source);
      if (!seenSource.has(key)) {
        seenSource.add(key);
        sources.push(source);
      }
    }
  }
  merged.sources = sources;
  merged.contentHash = '';
  merged.ingestedAt = '';
  return merged;
}
