import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseOverlay, type Overlay } from '../knowledge/overlay.js';
import { fold } from '../text/vietnamese.js';

/** The overlay lists an officer may add to from the review list. */
export type OverlayField = 'aliases' | 'notes';

export type OverlayEditResult =
  | { ok: true; overlay: Overlay; created: boolean; file: string }
  | { ok: false; error: 'duplicate' | 'invalid' | 'broken_file'; message: string };

/** Collapses inner whitespace too: "làm   sổ đỏ" and "làm sổ đỏ" are one alias. */
export function cleanPhrase(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/**
 * Adds one alias or note to `<knowledgeDir>/overlays/<code>.json`, creating the file when the
 * procedure has none. The result is checked against the overlay schema before it is written
 * (to a temporary file renamed over the old one, so a reader never sees half a file); a file
 * that is already broken is left for a person to fix rather than overwritten. A phrase equal to
 * one already there, ignoring case and diacritics, is refused.
 */
export function addToOverlay(knowledgeDir: string, code: string, field: OverlayField, text: string): OverlayEditResult {
  const phrase = cleanPhrase(text);
  const dir = path.join(knowledgeDir, 'overlays');
  const name = `${code}.json`;
  const file = path.join(dir, name);
  const created = !existsSync(file);
  let raw: Record<string, unknown> = { id: code, aliases: [], examples: [], notes: [] };
  if (!created) {
    const current = readFileSync(file, 'utf8');
    const parsed = parseOverlay(current, name);
    if (typeof parsed === 'string') return { ok: false, error: 'broken_file', message: `${name}: ${parsed}` };
    // Edit the file's own JSON (keeps its key order and any list it spells out).
    raw = JSON.parse(current) as Record<string, unknown>;
  }
  const list = Array.isArray(raw[field]) ? (raw[field] as string[]) : [];
  const key = fold(phrase);
  const same = list.find((existing) => fold(cleanPhrase(existing)) === key);
  if (same !== undefined) return { ok: false, error: 'duplicate', message: `"${same}" is already in ${field} of ${code}` };
  raw[field] = [...list, phrase];

  const json = `${JSON.stringify(raw, null, 2)}\n`;
  const checked = parseOverlay(json, name);
  if (typeof checked === 'string') return { ok: false, error: 'invalid', message: checked };
  mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${name}.${process.pid}.tmp`);
  writeFileSync(temp, json, 'utf8');
  renameSync(temp, file);
  return { ok: true, overlay: checked, created, file };
}
