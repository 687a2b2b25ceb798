import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import path from 'node:path';

/** The repository root, for spawning `src/main.ts` and reading datasets. */
export const ROOT = path.resolve(import.meta.dirname, '..');

/** The team's single eval questions, as realistic message texts for load. */
export function benchQuestions(): string[] {
  return readFileSync(path.join(ROOT, 'evals/datasets/answers-single.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { question: string }).question);
}

/** A port free right now on 127.0.0.1, for a server started in a child process. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}
