/**
 * Splits an answer into pieces for a server-sent event stream: by line, so lists arrive item by
 * item. The text is complete and checked before the first piece is sent; nothing unchecked is
 * streamed.
 */
export function streamPieces(text: string): string[] {
  return text.match(/[^\n]*\n+|[^\n]+$/g) ?? [];
}
