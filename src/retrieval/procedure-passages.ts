import { createHash } from 'node:crypto';
import type { Procedure } from '../domain/procedure.js';

/** A piece of one procedure's text that gets its own vector. */
export interface Passage {
  /** Stable across runs: `${procedureId}#${kind}`; used as the vector-store key. */
  id: string;
  procedureId: string;
  kind: PassageKind;
  text: string;
}

/**
 * `title`: what citizens name the procedure by (name, field, aliases) — most questions are this.
 * `detail`: who it is for and what it needs (audience, documents, conditions, result), so
 * "giấy tờ cần khi mở quán ăn" can reach a procedure whose name shares no words with the question.
 */
export type PassageKind = 'title' | 'detail';

/**
 * Many self-hosted embedding models accept 512 tokens; Vietnamese runs around 3–4 characters per token,
 * so longer text would be cut by the server (or rejected by vLLM) anyway. Keep the start, which names things.
 */
export const MAX_PASSAGE_CHARS = 1200;

function clip(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  return (lastSpace > max * 0.8 ? cut.slice(0, lastSpace) : cut).trimEnd() + '…';
}

export function procedurePassages(p: Procedure): Passage[] {
  const name = p.name.normalize('NFC');
  const titleParts = [name];
  if (p.field) titleParts.push(`Lĩnh vực: ${p.field}`);
  if (p.aliases.length > 0) titleParts.push(`Tên gọi khác: ${p.aliases.join('; ')}`);
  const passages: Passage[] = [
    { id: `${p.id}#title`, procedureId: p.id, kind: 'title', text: clip(titleParts.join('. '), MAX_PASSAGE_CHARS) },
  ];

  const detailParts: string[] = [];
  if (p.targetAudience) detailParts.push(`Đối tượng: ${p.targetAudience}`);
  if (p.description) detailParts.push(clip(p.description, 300));
  if (p.documents.length > 0) {
    // Distinct names only: case-grouped tables repeat the same document for every case.
    const names = [...new Set(p.documents.map((d) => d.name.replace(/\s+/g, ' ').trim()))];
    detailParts.push(`Hồ sơ: ${clip(names.join('; '), 500)}`);
  }
  if (p.conditions) detailParts.push(`Điều kiện: ${clip(p.conditions, 300)}`);
  if (p.result) detailParts.push(`Kết quả: ${clip(p.result, 150)}`);
  // A detail passage with nothing but the name would duplicate the title passage's vector.
  if (detailParts.length > 0) {
    passages.push({
      id: `${p.id}#detail`,
      procedureId: p.id,
      kind: 'detail',
      text: clip(`${name}. ${detailParts.join('. ')}`, MAX_PASSAGE_CHARS),
    });
  }
  return passages.map((x) => ({ ...x, text: x.text.normalize('NFC') }));
}

/**
 * Hash stored beside each vector: a passage is re-embedded only when its text or the model changed.
 */
export function passageHash(embedderId: string, text: string): string {
  return createHash('sha256').update(embedderId).update('\u0000').update(text).digest('hex');
}
