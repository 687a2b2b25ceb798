import type { Procedure, ProcedureDocument, SubmissionChannel } from '../domain/procedure.js';
import { canonicalJson } from './content-hash.js';

/**
 * Which content fields differ between two merged records of one code.
 *
 * Field names are the record's keys, except that channels are compared per channel kind so a
 * fee or a processing time change says which channel (`channels.online.fee`), and documents
 * say which names came and went. Where and when a record came from (`sources`, `contentHash`,
 * `ingestedAt`) is not content and never listed, matching the content hash.
 */
export interface FieldChange {
  /** e.g. `name`, `channels.in_person.fee`, `channels.post` (channel added or removed), `documents`. */
  field: string;
  before: unknown;
  after: unknown;
  /** A short human summary when before/after alone are not readable (document lists). */
  detail?: string;
}

const NOT_CONTENT = new Set(['sources', 'contentHash', 'ingestedAt']);
const CHANNEL_PARTS = ['label', 'fee', 'processingTime', 'description'] as const satisfies readonly (keyof SubmissionChannel)[];

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

/** Channels keyed by kind; a second channel of the same kind becomes `online#2`. */
function channelsByKey(channels: readonly SubmissionChannel[]): Map<string, SubmissionChannel> {
  const out = new Map<string, SubmissionChannel>();
  const seen = new Map<string, number>();
  for (const c of channels) {
    const n = (seen.get(c.kind) ?? 0) + 1;
    seen.set(c.kind, n);
    out.set(n === 1 ? c.kind : `${c.kind}#${n}`, c);
  }
  return out;
}

function channelChanges(before: readonly SubmissionChannel[], after: readonly SubmissionChannel[]): FieldChange[] {
  const a = channelsByKey(before);
  const b = channelsByKey(after);
  const out: FieldChange[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    if (!x || !y) {
      out.push({ field: `channels.${key}`, before: x ?? null, after: y ?? null });
      continue;
    }
    for (const part of CHANNEL_PARTS) {
      if (!same(x[part], y[part])) out.push({ field: `channels.${key}.${part}`, before: x[part], after: y[part] });
    }
  }
  // Same channels in another order: still a content change, reported as a whole.
  if (out.length === 0 && !same(before, after)) out.push({ field: 'channels', before, after });
  return out;
}

function documentChange(before: readonly ProcedureDocument[], after: readonly ProcedureDocument[]): FieldChange | undefined {
  if (same(before, after)) return undefined;
  const key = (d: ProcedureDocument): string => `${d.case ?? ''}\u0000${d.name}`;
  const a = new Map(before.map((d) => [key(d), d]));
  const b = new Map(after.map((d) => [key(d), d]));
  const added = [...b.keys()].filter((k) => !a.has(k)).length;
  const removed = [...a.keys()].filter((k) => !b.has(k)).length;
  const edited = [...a.keys()].filter((k) => b.has(k) && !same(a.get(k), b.get(k))).length;
  const parts = [`${before.length} → ${after.length} giấy tờ`];
  if (added) parts.push(`+${added}`);
  if (removed) parts.push(`−${removed}`);
  if (edited) parts.push(`~${edited} sửa`);
  if (!added && !removed && !edited) parts.push('đổi thứ tự');
  return { field: 'documents', before, after, detail: parts.join(' ') };
}

/** Every content field that differs between two records of the same code, in record key order. */
export function fieldChanges(before: Procedure, after: Procedure): FieldChange[] {
  const out: FieldChange[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (NOT_CONTENT.has(key)) continue;
    const x = (before as Record<string, unknown>)[key];
    const y = (after as Record<string, unknown>)[key];
    if (key === 'channels') out.push(...channelChanges(before.channels ?? [], after.channels ?? []));
    else if (key === 'documents') {
      const change = documentChange(before.documents ?? [], after.documents ?? []);
      if (change) out.push(change);
    } else if (!same(x, y)) out.push({ field: key, before: x ?? null, after: y ?? null });
  }
  return out;
}

/** Just the names, for lists. */
export function changedFields(before: Procedure, after: Procedure): string[] {
  return fieldChanges(before, after).map((c) => c.field);
}
