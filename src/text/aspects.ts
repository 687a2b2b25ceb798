/** What a question asks about a procedure. */
export type Aspect = 'fee' | 'time' | 'documents' | 'where' | 'online' | 'conditions' | 'steps' | 'result' | 'legal_basis';
export const ASPECTS: readonly Aspect[] = ['fee', 'time', 'documents', 'where', 'online', 'conditions', 'steps', 'result', 'legal_basis'];

/** The main aspect a question asks about, or null when it asks about the procedure as a whole. */
export function detectAspect(_text: string): Aspect | null {
  return null; // replaced by the real detector in this same change
}
