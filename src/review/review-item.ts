/** An officer's judgement of one live answer. */
export const REVIEW_VERDICTS = ['correct', 'incorrect', 'incomplete'] as const;
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];

/**
 * One sampled answer in the review queue. It keeps its own copy of the redacted question and
 * answer, so the review survives the Q&A log's retention.
 */
export interface ReviewItem {
  id: string;
  /** The Hanoi ISO week it was drawn for, `2026-W48`. */
  week: string;
  turnId: string;
  /** When the citizen asked (ISO UTC). */
  at: string;
  channel: string;
  status: string;
  statusFamily: string;
  question: string;
  answer: string;
  procedureIds: string[];
  drawnAt: string;
  verdict: ReviewVerdict | null;
  comment: string | null;
  reviewer: { id: string; name: string } | null;
  reviewedAt: string | null;
}

export interface ReviewComment {
  itemId: string;
  week: string;
  verdict: ReviewVerdict;
  comment: string;
  reviewer: string;
  reviewedAt: string;
  question: string;
}

/** Reviewed answers in a range of Hanoi days; `accuracy` = correct / reviewed, null when none. */
export interface ReviewedAccuracy {
  from: string;
  to: string;
  reviewed: number;
  correct: number;
  incorrect: number;
  incomplete: number;
  accuracy: number | null;
  comments: ReviewComment[];
}
