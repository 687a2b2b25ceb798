import type { CatalogueStore, ProcedureVersion, UpsertReport } from './catalogue-store.js';
import type { Procedure } from '../domain/procedure.js';

/**
 * A read-only catalogue over records already in memory (evals, benchmarks, tests): the same
 * port the server reads, so they build the knowledge layer exactly as `npm start` does.
 */
export class ArrayCatalogueStore implements CatalogueStore {
  private readonly byId: ReadonlyMap<string, Procedure>;

  constructor(records: Iterable<Procedure>) {
    this.byId = new Map([...records].map((p) => [p.id, p]));
  }

  async get(id: string): Promise<Procedure | undefined> {
    return this.byId.get(id);
  }

  async upsertMany(): Promise<UpsertReport> {
    throw new Error('ArrayCatalogueStore is read-only');
  }

  async *all(): AsyncIterable<Procedure> {
    yield* this.byId.values();
  }

  async count(): Promise<number> {
    return this.byId.size;
  }

  async versions(): Promise<ProcedureVersion[]> {
    return [];
  }

  async close(): Promise<void> {}
}
