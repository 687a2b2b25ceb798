import { createHash } from 'node:crypto';

/**
 * How many to draw from each stratum: proportional allocation with at least one from every
 * non-empty stratum. One is reserved per stratum first (so a rare channel or status is always
 * seen), the rest is shared in proportion to the strata's sizes by largest remainder, never more
 * than a stratum holds. With fewer draws than strata, the largest strata get one each.
 * Deterministic: ties go to the larger stratum, then to the smaller key.
 */
export function allocateStratified(sizes: ReadonlyMap<string, number>, total: number): Map<string, number> {
  const strata = [...sizes].filter(([, n]) => n > 0).sort(([a, na], [b, nb]) => nb - na || (a < b ? -1 : a > b ? 1 : 0));
  const out = new Map<string, number>(strata.map(([key]) => [key, 0]));
  const population = strata.reduce((s, [, n]) => s + n, 0);
  if (total <= 0 || population === 0) return out;
  if (total >= population) return new Map(strata);
  if (total <= strata.length) {
    for (const [key] of strata.slice(0, total)) out.set(key, 1);
    return out;
  }
  for (const [key] of strata) out.set(key, 1);
  const rest = total - strata.length;
  const quotas = strata.map(([key, n]) => ({ key, room: n - 1, quota: (rest * n) / population }));
  let given = 0;
  for (const q of quotas) {
    const k = Math.min(q.room, Math.floor(q.quota));
    out.set(q.key, out.get(q.key)! + k);
    given += k;
  }
  // Largest remainders first; a stratum without room passes its turn on (the sort is stable, so
  // ties keep the size-then-key order above).
  while (given < rest) {
    const open = quotas
      .filter((q) => out.get(q.key)! - 1 < q.room)
      .sort((a, b) => b.quota - Math.floor(b.quota) - (a.quota - Math.floor(a.quota)));
    if (open.length === 0) break;
    for (const q of open) {
      if (given >= rest) break;
      out.set(q.key, out.get(q.key)! + 1);
      given++;
    }
  }
  return out;
}

/**
 * The order in which a stratum's members are drawn: by a hash of the seed and the member's id.
 * Deterministic given the seed, and stable as a week's log grows: members already ranked keep
 * their order, so a later top-up continues the same draw.
 */
export function drawOrder(seed: string, id: string): string {
  return createHash('sha256').update(`${seed}\u0000${id}`).digest('hex');
}
