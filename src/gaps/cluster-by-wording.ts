import { shingles } from './wording-signature.js';

/** One distinct wording (its signature, see `wordingSignature`) and how many turns had it. */
export interface SignatureCount {
  signature: string;
  count: number;
}

export interface WordingCluster {
  /** The most frequent signature of the cluster, the one the others were compared with. */
  representative: string;
  /** Every signature in the cluster, the representative first. */
  signatures: string[];
  count: number;
}

/** Two wordings whose shingle sets overlap at least this much (Jaccard) are one question. */
export const WORDING_THRESHOLD = 0.5;

/**
 * Greedy, deterministic clustering: signatures in order of count (then text), each joins the
 * existing cluster whose representative it overlaps most (at least `threshold`), else starts a
 * new one. Candidates come from an inverted index over shingles, so a signature is only
 * compared with clusters it shares a shingle with (work grows with overlaps, not clusters²).
 */
export function clusterByWording(items: readonly SignatureCount[], threshold = WORDING_THRESHOLD): WordingCluster[] {
  const sorted = [...items].sort((a, b) => b.count - a.count || (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0));
  const clusters: Array<WordingCluster & { shingles: Set<string> }> = [];
  const index = new Map<string, number[]>();
  let empty: (WordingCluster & { shingles: Set<string> }) | undefined;

  for (const item of sorted) {
    const own = new Set(shingles(item.signature === '' ? [] : item.signature.split(' ')));
    if (own.size === 0) {
      // Only fillers ("alo", "?"): one cluster for all of them rather than one per spelling.
      if (!empty) {
        empty = { representative: item.signature, signatures: [], count: 0, shingles: own };
        clusters.push(empty);
      }
      empty.signatures.push(item.signature);
      empty.count += item.count;
      continue;
    }
    const overlaps = new Map<number, number>();
    for (const s of own) for (const c of index.get(s) ?? []) overlaps.set(c, (overlaps.get(c) ?? 0) + 1);
    let best = -1;
    let bestScore = 0;
    for (const [c, common] of overlaps) {
      const score = common / (own.size + clusters[c]!.shingles.size - common);
      // Ties go to the older (larger) cluster: the order does not depend on Map iteration.
      if (score >= threshold && (score > bestScore || (score === bestScore && c < best))) {
        best = c;
        bestScore = score;
      }
    }
    if (best >= 0) {
      const cluster = clusters[best]!;
      cluster.signatures.push(item.signature);
      cluster.count += item.count;
      continue;
    }
    const at = clusters.length;
    clusters.push({ representative: item.signature, signatures: [item.signature], count: item.count, shingles: own });
    for (const s of own) {
      const list = index.get(s);
      if (list) list.push(at);
      else index.set(s, [at]);
    }
  }
  return clusters
    .map(({ representative, signatures, count }) => ({ representative, signatures, count }))
    .sort((a, b) => b.count - a.count || (a.representative < b.representative ? -1 : 1));
}
