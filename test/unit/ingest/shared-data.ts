import { existsSync } from 'node:fs';
import path from 'node:path';

/** The shared data folder next to the repository; tests read it in place, never copy it. */
export const TTHC = path.resolve(import.meta.dirname, '../../../../shared/data/tthc');

export function tthc(...parts: string[]): string {
  if (!existsSync(TTHC)) {
    throw new Error(`Shared data folder missing: ${TTHC} (expected ../shared/data/tthc beside the repository)`);
  }
  return path.join(TTHC, ...parts);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}
