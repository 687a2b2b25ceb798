/**
 * What privacy needs from the Q&A log (implemented by `SqliteQaLogStore`): deletion of raw turns
 * and ratings only; the statistics' rollups stay.
 */
export interface QaLogEraser {
  /** Deletes turns and ratings with `at` before the cutoff (ISO UTC). */
  deleteTurnsBefore(cutoffIso: string): Promise<{ turns: number; ratings: number }>;
  /** Deletes one conversation's turns and ratings. */
  deleteSession(sessionId: string): Promise<{ turns: number; ratings: number }>;
}

/** A Q&A log store whose deletion methods may be optional (the `QaLogStore` port). */
export type MaybeQaLogEraser = Partial<QaLogEraser>;

/**
 * The deletion methods of a Q&A log store; throws at start-up, not at 03:00 or in front of a
 * citizen, when the store cannot delete.
 */
export function asQaLogEraser(store: MaybeQaLogEraser): QaLogEraser {
  const { deleteTurnsBefore, deleteSession } = store;
  if (!deleteTurnsBefore || !deleteSession) throw new TypeError('The Q&A log store cannot delete turns (deleteTurnsBefore/deleteSession missing)');
  return { deleteTurnsBefore: deleteTurnsBefore.bind(store), deleteSession: deleteSession.bind(store) };
}
