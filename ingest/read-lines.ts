import { createReadStream } from 'node:fs';

export type LineItem = { line: number; text: string } | { line: number; tooLong: true; bytes: number };

/** Lines longer than this are skipped, not parsed: no record is anywhere near it. */
export const MAX_LINE_BYTES = 5 * 1024 * 1024;

/**
 * Splits a byte stream into lines without ever holding more than `maxBytes` of one line: once a
 * line grows past the limit its bytes are dropped as they arrive and only its length is kept.
 */
export async function* splitLines(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  maxBytes = MAX_LINE_BYTES,
): AsyncIterable<LineItem> {
  let parts: Buffer[] = [];
  let size = 0;
  let overflow = false;
  let line = 1;
  const finish = (): LineItem => {
    const item: LineItem = overflow
      ? { line, tooLong: true, bytes: size }
      : { line, text: Buffer.concat(parts, size).toString('utf8').replace(/\r$/u, '') };
    parts = [];
    size = 0;
    overflow = false;
    line++;
    return item;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      size += piece.length;
      if (!overflow && size > maxBytes) {
        overflow = true;
        parts = [];
      }
      if (!overflow && piece.length > 0) parts.push(Buffer.from(piece));
      if (nl === -1) break;
      yield finish();
      start = nl + 1;
    }
  }
  if (size > 0 || overflow) yield finish();
}

export function fileLines(path: string, maxBytes = MAX_LINE_BYTES): AsyncIterable<LineItem> {
  return splitLines(createReadStream(path, { highWaterMark: 1024 * 1024 }), maxBytes);
}
