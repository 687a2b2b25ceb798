import { fold } from '../text/vietnamese.js';
import type { ApplicationStatus } from './application-status.js';

/** A backend's status words (as it writes them, any case or accents) → our status. */
export type StatusWordMap = Readonly<Record<string, ApplicationStatus>>;

/**
 * The words one-stop systems in Vietnam commonly show (Hanoi's Hệ thống thông tin giải quyết
 * TTHC, the national portal, vendors' English enums). Matched on folded text, whole phrase
 * first, then the longest phrase contained in the backend's word.
 */
const DEFAULT_WORDS: ReadonlyArray<readonly [string, ApplicationStatus]> = [
  // The result was handed over ("đã trả kết quả") before "kết quả" alone means it is ready.
  ['da tra ket qua', 'returned'],
  ['tra ket qua xong', 'returned'],
  ['da nhan ket qua', 'returned'],
  ['delivered', 'returned'],
  ['returned', 'returned'],
  ['cho tra ket qua', 'completed_ready'],
  ['da co ket qua', 'completed_ready'],
  ['co ket qua', 'completed_ready'],
  ['hoan thanh', 'completed_ready'],
  ['da giai quyet', 'completed_ready'],
  ['da xu ly xong', 'completed_ready'],
  ['xu ly xong', 'completed_ready'],
  ['completed', 'completed_ready'],
  ['ready', 'completed_ready'],
  ['done', 'completed_ready'],
  ['yeu cau bo sung', 'supplement_required'],
  ['cho bo sung', 'supplement_required'],
  ['can bo sung', 'supplement_required'],
  ['bo sung', 'supplement_required'],
  ['supplement', 'supplement_required'],
  ['tu choi', 'rejected'],
  ['khong giai quyet', 'rejected'],
  ['khong du dieu kien', 'rejected'],
  ['rejected', 'rejected'],
  ['rut ho so', 'withdrawn'],
  ['da rut', 'withdrawn'],
  ['huy ho so', 'withdrawn'],
  ['da huy', 'withdrawn'],
  ['withdrawn', 'withdrawn'],
  ['cancelled', 'withdrawn'],
  ['canceled', 'withdrawn'],
  // "Chưa có kết quả", "chưa xử lý": not yet, whatever the rest of the phrase says.
  ['chua co ket qua', 'in_progress'],
  ['chua xu ly', 'received'],
  ['dang xu ly', 'in_progress'],
  ['dang giai quyet', 'in_progress'],
  ['dang tham dinh', 'in_progress'],
  ['cho phe duyet', 'in_progress'],
  ['cho ky', 'in_progress'],
  ['dang thu ly', 'in_progress'],
  ['chuyen xu ly', 'in_progress'],
  ['in progress', 'in_progress'],
  ['in_progress', 'in_progress'],
  ['processing', 'in_progress'],
  ['moi tiep nhan', 'received'],
  ['da tiep nhan', 'received'],
  ['tiep nhan', 'received'],
  ['cho xu ly', 'received'],
  ['received', 'received'],
  ['new', 'received'],
];

function key(word: string): string {
  return fold(word).replace(/[_\s]+/g, ' ').trim();
}

/**
 * Our status for a backend's word: the operator's map first (exact), then the defaults (exact,
 * then the longest default phrase the word contains). Null when nothing fits: the caller must
 * not guess a state it was not told.
 */
export function mapStatusWord(word: string, custom: StatusWordMap = {}): ApplicationStatus | null {
  const k = key(word);
  if (k === '') return null;
  for (const [w, status] of Object.entries(custom)) if (key(w) === k) return status;
  for (const [w, status] of DEFAULT_WORDS) if (w === k || key(w) === k) return status;
  let best: { len: number; status: ApplicationStatus } | null = null;
  for (const [w, status] of DEFAULT_WORDS) {
    const pattern = new RegExp(`(?:^|[^a-z0-9])${w.replace(/[_\s]+/g, '[ _]+')}(?:$|[^a-z0-9])`);
    if (pattern.test(k) && (!best || w.length > best.len)) best = { len: w.length, status };
  }
  return best?.status ?? null;
}
