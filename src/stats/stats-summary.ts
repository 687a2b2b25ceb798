import type { StatsFigures } from './stats-report.js';

/** 73568 → "73.568": Vietnamese groups thousands with a dot (written out, not left to the ICU build). */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.trunc(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/**
 * The Center's own sentence: "73.568 lượt người dùng, 564.549 lượt hỏi đáp, 9.021 cuộc gọi,
 * 204 giờ thoại". Talk hours are whole hours rounded DOWN, so the report never claims an hour
 * that was not talked (59 minutes is "0 giờ thoại").
 */
export function statsSummary(figures: Pick<StatsFigures, 'users' | 'turns' | 'calls' | 'talkSeconds'>): string {
  return [
    `${formatCount(figures.users)} lượt người dùng`,
    `${formatCount(figures.turns)} lượt hỏi đáp`,
    `${formatCount(figures.calls)} cuộc gọi`,
    `${formatCount(Math.floor(figures.talkSeconds / 3600))} giờ thoại`,
  ].join(', ');
}
