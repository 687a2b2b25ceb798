import { normalized } from './embedder.js';
import type { PassagePayload, VectorFilter, VectorMatch, VectorPoint, VectorStore } from './vector-store.js';

/**
 * Exact (brute-force) cosine search over one contiguous Float32Array of unit vectors.
 * For the catalogue's ~6k passages (and up to ~100k) a linear scan is a few milliseconds to ~100 ms
 * and needs no index build, no native module and no tuning; rows are unit length so cosine = dot.
 */
export class InMemoryVectorStore implements VectorStore {
  private dims = 0;
  private data = new Float32Array(0);
  private size = 0;
  private readonly rowOf = new Map<string, number>();
  private readonly payloads: PassagePayload[] = [];
  private readonly ids: string[] = [];

  get dimensions(): number {
    return this.dims;
  }

  async upsert(points: VectorPoint[]): Promise<void> {
    for (const p of points) {
      if (this.dims === 0) this.dims = p.vector.length;
      if (p.vector.length !== this.dims) {
        throw new Error(`vector for ${p.id} has ${p.vector.length} dimensions, the store holds ${this.dims}`);
      }
      let row = this.rowOf.get(p.id);
      if (row === undefined) {
        row = this.size++;
        this.ensureCapacity(this.size);
        this.rowOf.set(p.id, row);
        this.ids[row] = p.id;
      }
      this.data.set(normalized(p.vector), row * this.dims);
      this.payloads[row] = { ...p.payload };
    }
  }

  private ensureCapacity(rows: number): void {
    if (rows * this.dims <= this.data.length) return;
    // Doubling keeps bulk loads linear overall.
    const next = new Float32Array(Math.max(rows, 1024, Math.ceil((this.data.length / Math.max(1, this.dims)) * 2)) * this.dims);
    next.set(this.data);
    this.data = next;
  }

  async query(vector: Float32Array, limit: number, filter?: VectorFilter): Promise<VectorMatch[]> {
    if (limit <= 0 || this.size === 0) return [];
    if (vector.length !== this.dims) {
      throw new Error(`query vector has ${vector.length} dimensions, the store holds ${this.dims}`);
    }
    const q = normalized(vector);
    const allowed = filter?.procedureIds ? new Set(filter.procedureIds) : undefined;
    const heap = new TopK(limit);
    const d = this.dims;
    const data = this.data;
    for (let row = 0; row < this.size; row++) {
      if (allowed && !allowed.has(this.payloads[row]!.procedureId)) continue;
      let dot = 0;
      const base = row * d;
      for (let i = 0; i < d; i++) dot += data[base + i]! * q[i]!;
      heap.offer(dot, row);
    }
    return heap.sorted().map(({ score, row }) => ({ id: this.ids[row]!, score, payload: { ...this.payloads[row]! } }));
  }

  async count(): Promise<number> {
    return this.size;
  }

  async contentHashes(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of ids) {
      const row = this.rowOf.get(id);
      if (row !== undefined) out.set(id, this.payloads[row]!.contentHash);
    }
    return out;
  }
}

/** Bounded min-heap keeping the k best scores; ties keep the earlier row (stable, deterministic). */
class TopK {
  private readonly scores: number[] = [];
  private readonly rows: number[] = [];
  constructor(private readonly k: number) {}

  /** a is "worse" than b: lower score, or equal score and later row. */
  private worse(i: number, j: number): boolean {
    const a = this.scores[i]!, b = this.scores[j]!;
    return a < b || (a === b && this.rows[i]! > this.rows[j]!);
  }

  offer(score: number, row: number): void {
    if (this.scores.length < this.k) {
      this.scores.push(score);
      this.rows.push(row);
      this.up(this.scores.length - 1);
    } else if (score > this.scores[0]!) {
      this.scores[0] = score;
      this.rows[0] = row;
      this.down(0);
    }
  }

  private swap(i: number, j: number): void {
    [this.scores[i], this.scores[j]] = [this.scores[j]!, this.scores[i]!];
    [this.rows[i], this.rows[j]] = [this.rows[j]!, this.rows[i]!];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.scores.length;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < n && this.worse(l, m)) m = l;
      if (r < n && this.worse(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  sorted(): { score: number; row: number }[] {
    return this.scores
      .map((score, i) => ({ score, row: this.rows[i]! }))
      .sort((a, b) => b.score - a.score || a.row - b.row);
  }
}
