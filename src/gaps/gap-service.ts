import { createHash } from 'node:crypto';
import { hanoiDate, isIsoDate } from '../knowledge/hanoi-date.js';
import type { SqliteLocation } from '../sqlite/open-sqlite-database.js';
import type { Lexicon } from '../text/lexicon.js';
import { hasDiacritics } from '../text/vietnamese.js';
import { clusterByWording } from './cluster-by-wording.js';
import { SqliteGapStore, type GapAction, type GapActor, type NewGapAction, type OutOfScopeMark } from './gap-store.js';
import { GapTurnReader, type GapReason, type GapTurn } from './gap-turn-reader.js';
import { wordingSignature } from './wording-signature.js';
import { hanoiDayStart, nextDay } from '../domain/hanoi-calendar.js';

export type GapGrouping = 'wording' | 'procedure';

export interface GapQuery {
  /** First Hanoi day, YYYY-MM-DD, inclusive (default: 29 days before `to`). */
  from?: string;
  /** Last Hanoi day, inclusive (default: today in Hanoi). */
  to?: string;
  channel?: string;
  by: GapGrouping;
  includeOutOfScope: boolean;
  /** Groups per page (default 50, at most 500). */
  limit?: number;
  offset?: number;
}

export interface Counted<K extends string = string> {
  key: K;
  count: number;
}

/** A set of turns the assistant got wrong, with what an officer needs to act on it. */
export interface GapGroup {
  /** `w:<hash>` for a wording group, `p:<code>` (or `p:none`) for a procedure group. */
  key: string;
  kind: GapGrouping;
  /** The representative question (wording) or the procedure's name (procedure). */
  label: string;
  /** The most frequent question of the group, redacted text. */
  representative: string;
  count: number;
  /** Up to five distinct questions, most frequent first (redacted text). */
  examples: string[];
  statuses: Counted[];
  reasons: Counted<GapReason>[];
  channels: Counted[];
  /** The procedures the group's turns cited or were handed off about, most frequent first. */
  procedures: Array<{ id: string; name: string | null; count: number }>;
  firstSeen: string;
  lastSeen: string;
  outOfScope: OutOfScopeMark | null;
}

export interface GapsPage {
  from: string;
  to: string;
  channel: string | null;
  by: GapGrouping;
  /** Turns on the review list in the range (before grouping and hiding). */
  turns: number;
  /** Groups after hiding the out-of-scope ones (unless included). */
  total: number;
  /** Groups hidden because an officer marked them out of scope. */
  hidden: number;
  offset: number;
  limit: number;
  groups: GapGroup[];
  /** True when the range held more turns than are read at once (the newest were grouped). */
  truncated: boolean;
}

export interface GapServiceOptions {
  location: SqliteLocation;
  /** The lexicon in use (shorthand such as "cccd" is grouped with the catalogue's words). */
  lexicon?: () => Lexicon;
  /** Turns older than this many days are not listed (they are being deleted); 0 = no limit. */
  retentionDays?: number;
  /** Turns of each kind read per request, newest first (default 50,000). */
  maxTurns?: number;
  now?: () => Date;
}

const NO_PROCEDURE = 'p:none';
const DAY_MS = 86_400_000;

/**
 * "What the assistant did not know": the turns that ended unanswered, refused, handed off or
 * rated negatively, grouped by similar wording or by procedure, and the officers' marks on them.
 */
export class GapService {
  private readonly reader: GapTurnReader;
  private readonly store: SqliteGapStore;
  private readonly now: () => Date;

  constructor(private readonly options: GapServiceOptions) {
    this.reader = new GapTurnReader(options.location);
    this.store = new SqliteGapStore(options.location);
    this.now = options.now ?? (() => new Date());
  }

  list(query: GapQuery, name: (code: string) => string | null = () => null): GapsPage {
    const now = this.now();
    const to = query.to ?? hanoiDate(now);
    const from = query.from ?? hanoiDate(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS));
    if (!isIsoDate(from) || !isIsoDate(to)) throw new RangeError('from and to must be dates written YYYY-MM-DD');
    if (from > to) throw new RangeError('from must not be after to');
    let fromAt = hanoiMidnightUtc(from);
    const toAt = hanoiMidnightUtc(nextDay(to));
    const retention = this.options.retentionDays ?? 0;
    if (retention > 0) {
      const oldest = new Date(now.getTime() - retention * DAY_MS).toISOString();
      if (oldest > fromAt) fromAt = oldest;
    }
    const limit = Math.min(Math.max(1, query.limit ?? 50), 500);
    const offset = Math.max(0, query.offset ?? 0);
    const { turns, truncated } = this.reader.read({
      fromAt,
      toAt,
      ...(query.channel ? { channel: query.channel } : {}),
      limit: this.options.maxTurns ?? 50_000,
    });

    const marks = this.store.outOfScope();
    const all = query.by === 'wording' ? this.byWording(turns, marks, name) : byProcedure(turns, marks, name);
    const shown = query.includeOutOfScope ? all : all.filter((g) => !g.outOfScope);
    return {
      from,
      to,
      channel: query.channel ?? null,
      by: query.by,
      turns: turns.length,
      total: shown.length,
      hidden: all.length - all.filter((g) => !g.outOfScope).length,
      offset,
      limit,
      groups: shown.slice(offset, offset + limit),
      truncated,
    };
  }

  markOutOfScope(input: { key: string; label: string; comment: string | null; by: GapActor }): OutOfScopeMark {
    const mark: OutOfScopeMark = { key: input.key, label: input.label, comment: input.comment, by: input.by, at: this.now().toISOString() };
    this.store.markOutOfScope(mark);
    return mark;
  }

  /** False when the group was not marked. */
  unmarkOutOfScope(key: string, by: GapActor): boolean {
    return this.store.unmarkOutOfScope(key, by, this.now().toISOString());
  }

  /** Records an action taken elsewhere (an alias or a note written to an overlay). */
  recordAction(action: Omit<NewGapAction, 'at'>): void {
    this.store.recordAction({ ...action, at: this.now().toISOString() });
  }

  actions(limit = 50): GapAction[] {
    return this.store.actions(Math.min(Math.max(1, limit), 500));
  }

  close(): void {
    this.reader.close();
    this.store.close();
  }

  private byWording(turns: readonly GapTurn[], marks: ReadonlyMap<string, OutOfScopeMark>, name: (code: string) => string | null): GapGroup[] {
    const lexicon = this.options.lexicon?.();
    // Signatures per distinct text: the same question asked many times is normalised once.
    const signatureOf = new Map<string, string>();
    const bySignature = new Map<string, GapTurn[]>();
    for (const t of turns) {
      let sig = signatureOf.get(t.question);
      if (sig === undefined) {
        sig = wordingSignature(t.question, lexicon);
        signatureOf.set(t.question, sig);
      }
      const list = bySignature.get(sig);
      if (list) list.push(t);
      else bySignature.set(sig, [t]);
    }
    const clusters = clusterByWording([...bySignature].map(([signature, list]) => ({ signature, count: list.length })));
    return clusters.map((c) => {
      const members = c.signatures.flatMap((s) => bySignature.get(s)!);
      // A mark on any wording of the group hides it: the group's representative may change as
      // new turns arrive, the wordings an officer judged do not.
      const keys = c.signatures.map(wordingKey);
      const mark = keys.map((k) => marks.get(k)).find((m) => m !== undefined) ?? null;
      const representative = mostFrequent(bySignature.get(c.representative)!.map((t) => t.question));
      return summarise(wordingKey(c.representative), 'wording', representative, members, mark, name, representative);
    });
  }
}

/** The stable key of a wording group: a hash of its representative's signature. */
export function wordingKey(signature: string): string {
  return `w:${createHash('sha1').update(signature).digest('hex').slice(0, 16)}`;
}

function byProcedure(turns: readonly GapTurn[], marks: ReadonlyMap<string, OutOfScopeMark>, name: (code: string) => string | null): GapGroup[] {
  const groups = new Map<string, GapTurn[]>();
  for (const t of turns) {
    const keys = t.procedureIds.length > 0 ? [...new Set(t.procedureIds)].map((id) => `p:${id}`) : [NO_PROCEDURE];
    for (const k of keys) {
      const list = groups.get(k);
      if (list) list.push(t);
      else groups.set(k, [t]);
    }
  }
  return [...groups]
    .map(([key, members]) => {
      const code = key === NO_PROCEDURE ? null : key.slice(2);
      const label = code ? (name(code) ?? code) : 'Không xác định được thủ tục';
      return summarise(key, 'procedure', label, members, marks.get(key) ?? null, name);
    })
    .sort(byCountThenLabel);
}

function summarise(
  key: string,
  kind: GapGrouping,
  label: string,
  members: readonly GapTurn[],
  mark: OutOfScopeMark | null,
  name: (code: string) => string | null,
  representative?: string,
): GapGroup {
  const questions = tally(members.map((t) => t.question));
  let firstSeen = members[0]!.at;
  let lastSeen = firstSeen;
  for (const t of members) {
    if (t.at < firstSeen) firstSeen = t.at;
    if (t.at > lastSeen) lastSeen = t.at;
  }
  return {
    key,
    kind,
    label,
    representative: representative ?? mostFrequent(members.map((t) => t.question)),
    count: members.length,
    examples: questions.slice(0, 5).map((q) => q.key),
    statuses: tally(members.map((t) => t.status)),
    reasons: tally(members.flatMap((t) => t.reasons)),
    channels: tally(members.map((t) => t.channel)),
    procedures: tally(members.flatMap((t) => [...new Set(t.procedureIds)])).map((p) => ({ id: p.key, name: name(p.key), count: p.count })),
    firstSeen,
    lastSeen,
    outOfScope: mark,
  };
}

/** Counts, most frequent first, then by key: the same input always lists the same way. */
function tally<K extends string>(values: readonly K[]): Counted<K>[] {
  const counts = new Map<K, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The most frequent text; among equals, one written with diacritics (easier for staff to read). */
function mostFrequent(values: readonly string[]): string {
  const counted = tally(values);
  const top = counted.filter((c) => c.count === counted[0]!.count);
  return (top.find((c) => hasDiacritics(c.key)) ?? top[0]!).key;
}

function byCountThenLabel(a: GapGroup, b: GapGroup): number {
  return b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
}

/** Midnight of a Hanoi day as a UTC ISO instant, the form turns are stored in. */
export function hanoiMidnightUtc(day: string): string {
  return hanoiDayStart(day);
}
