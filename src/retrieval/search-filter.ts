import type { Procedure } from '../domain/procedure.js';
import { fold } from '../text/vietnamese.js';
import type { SearchFilter } from './retriever.js';

/**
 * Diacritic- and case-insensitive form used for filter matching: citizens and staff type "tinh" for
 * "Cấp tỉnh". Whitespace is collapsed so "Cấp  tỉnh" from a form still matches.
 */
export function foldForFilter(s: string): string {
  return fold(s).replace(/\s+/g, ' ').trim();
}

/**
 * Whether a procedure satisfies a search filter. An empty or blank filter value means "no constraint",
 * so a form that sends `level=""` does not hide every procedure.
 */
export function matchesFilter(procedure: Procedure, filter: SearchFilter | undefined): boolean {
  if (!filter) return true;
  const level = filter.level === undefined ? '' : foldForFilter(filter.level);
  if (level !== '' && !procedure.levels.some((l) => foldForFilter(l).includes(level))) return false;
  const agency = filter.agency === undefined ? '' : foldForFilter(filter.agency);
  if (agency !== '') {
    const candidates = [procedure.agency, procedure.competentAuthority];
    if (!candidates.some((a) => a !== null && foldForFilter(a).includes(agency))) return false;
  }
  return true;
}

/** True when the filter constrains anything at all (lets callers skip the per-procedure scan). */
export function isActiveFilter(filter: SearchFilter | undefined): filter is SearchFilter {
  return !!filter && ((filter.level ?? '').trim() !== '' || (filter.agency ?? '').trim() !== '');
}
