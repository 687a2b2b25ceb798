import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The file the team writes; one per deployment, beside lexicon.json. */
export const CENTER_FILE = 'center.json';

/** The Center's published support line: the only phone number the assistant ever gives. */
export const CENTER_HOTLINE = '19001009';

const URL_IN_TEXT = /\bhttps?:\/\/|\bwww\./i;

/**
 * Sentences of a voice answer: a voice channel reads at most three, so the file is checked
 * for it rather than trimmed at run time (a cut answer could drop the part that matters).
 */
export function spokenSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const voiceText = nonEmpty
  .refine((s) => spokenSentences(s).length <= 3, { message: 'a voice answer has at most 3 sentences' })
  .refine((s) => !URL_IN_TEXT.test(s), { message: 'a voice answer must not contain a URL' });

const httpsUrl = z.url({ protocol: /^https$/, message: 'must be an https:// URL' });

export const CenterLink = z.strictObject({
  label: nonEmpty,
  url: httpsUrl,
});

export const CenterTopic = z
  .strictObject({
    /** Stable id, used in traces (`center:<id>`) and tests. */
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'),
    title: nonEmpty,
    /** Phrases that pick this topic once the message is about the Center. */
    cues: z.array(nonEmpty).min(1, 'needs at least one cue'),
    /** Phrases specific enough to pick this topic even when the Center is not named. */
    standaloneCues: z.array(nonEmpty).default([]),
    /** True for topics that answer "does the Center do X" for a procedure X. */
    allowsProcedureMention: z.boolean().default(false),
    answer: nonEmpty,
    answerEn: nonEmpty.optional(),
    /** Said aloud: at most three short sentences, no links. */
    voiceAnswer: voiceText,
    voiceAnswerEn: voiceText.optional(),
    links: z.array(CenterLink).default([]),
    /** Pages the team read for this topic; empty only with confidence "team". */
    sources: z.array(z.url({ protocol: /^https?$/ })),
    confidence: z.enum(['sourced', 'team']),
    /** Why something is left out, or where general knowledge was used. */
    note: nonEmpty.optional(),
  })
  .refine((t) => t.sources.length > 0 || t.confidence === 'team', {
    message: 'a topic without sources must say confidence "team"',
    path: ['sources'],
  });
export type CenterTopic = z.infer<typeof CenterTopic>;

export const CenterKnowledge = z
  .strictObject({
    version: z.literal(1),
    name: nonEmpty,
    hotline: z.literal(CENTER_HOTLINE),
    description: nonEmpty.optional(),
    topics: z.array(CenterTopic).min(1, 'needs at least one topic'),
  })
  .superRefine((k, ctx) => {
    const seen = new Set<string>();
    k.topics.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', message: `duplicate topic id "${t.id}"`, path: ['topics', i, 'id'] });
      seen.add(t.id);
    });
  });
export type CenterKnowledge = z.infer<typeof CenterKnowledge>;

/** A center.json that exists but cannot be used: names the file and the field. */
export class CenterKnowledgeError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'CenterKnowledgeError';
  }
}

export interface CenterLog {
  warn(obj: object, msg: string): void;
}

/**
 * Reads `<knowledgeDir>/center.json`. No file is a valid setup (the assistant then answers
 * only procedure questions) and is logged; a broken file is an error, because staff who wrote
 * it expect it to be served and a half-read file could answer with the wrong topic.
 */
export function loadCenterKnowledge(knowledgeDir: string, log?: CenterLog): CenterKnowledge | null {
  const file = path.join(knowledgeDir, CENTER_FILE);
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      log?.warn({ file }, 'center knowledge file missing: questions about the Center go to procedure retrieval');
      return null;
    }
    throw err;
  }
  return parseCenterKnowledge(raw, file);
}

/** Parses and validates the file's text; `file` only names it in errors. */
export function parseCenterKnowledge(raw: string, file = CENTER_FILE): CenterKnowledge {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new CenterKnowledgeError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  const parsed = CenterKnowledge.safeParse(normaliseText(json));
  if (!parsed.success) {
    throw new CenterKnowledgeError(
      file,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return parsed.data;
}

/** Keyboards send NFC or NFD Vietnamese; matching and display assume NFC. */
function normaliseText(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) return value.map(normaliseText);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseText(v)]));
  }
  return value;
}
