import type { Procedure } from '../domain/procedure.js';
import type { SearchFilter } from './retriever.js';

/**
 * Diacritic- and case-insensitive form used only for filter matching.
 * Citizens and staff type "tinh" for "Cấp tỉnh"; đ is not a combining mark, so it is mapped by hand.
 * (src/text/vietnamese.ts had no `fold` export when this was written; switch to it once it exists.)
 */
export function foldForFilter(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
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
