import type { Procedure } from '../domain/procedure.js';
import type { CatalogueStore } from './catalogue-store.js';
import { inForceOn, vietnamDay } from './effective-dates.js';

/**
 * The records in force on `date`: the store's own `allAsOf` when it has one (it can see older
 * versions), else its current records filtered by their effective dates.
 */
export async function* proceduresAsOf(store: CatalogueStore, date: Date): AsyncIterable<Procedure> {
  if (store.allAsOf) {
    yield* store.allAsOf(date);
    return;
  }
  const day = vietnamDay(date);
  for await (const p of store.all()) if (inForceOn(p, day)) yield p;
}
