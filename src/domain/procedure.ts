import { z } from 'zod';

/**
 * One administrative procedure (thủ tục hành chính) as the national procedure database holds it.
 * Optional text fields are `null` when the source does not say; arrays are empty instead.
 */

/** The ways a dossier can be submitted; the portal's "Hình thức nộp" column. */
export const ChannelKind = z.enum(['in_person', 'online', 'post']);
export type ChannelKind = z.infer<typeof ChannelKind>;

const text = z.string().min(1);
const optionalText = text.nullable().default(null);

export const SubmissionChannel = z.object({
  kind: ChannelKind,
  /** The portal's own label, e.g. "Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính". */
  label: text,
  processingTime: optionalText,
  fee: optionalText,
  description: optionalText,
});
export type SubmissionChannel = z.infer<typeof SubmissionChannel>;

export const ProcedureDocument = z.object({
  name: text,
  /** e.g. "1 bản chính", "Bản chính: 1 / Bản sao: 0". */
  quantity: optionalText,
  /** Form/template file names (mẫu đơn, tờ khai). */
  forms: z.array(text).default([]),
  /** The case this document applies to, when the table groups documents by case. */
  case: optionalText,
});
export type ProcedureDocument = z.infer<typeof ProcedureDocument>;

/** Which file (and which format) a record or a field came from. */
export const SourceKind = z.enum(['normalised_jsonl', 'portal_raw', 'word_export', 'portal_list', 'team_knowledge']);
export type SourceKind = z.infer<typeof SourceKind>;

export const SourceRef = z.object({
  kind: SourceKind,
  /** Path of the file as given to ingest (relative when possible). */
  file: text,
  repo: optionalText,
  commit: optionalText,
});
export type SourceRef = z.infer<typeof SourceRef>;

/** Official codes look like 1.001193, 2.000779, 3.000347, 6.005710. */
export const PROCEDURE_CODE = /^\d{1,2}\.\d{6}(\.\d{3}\.\d{2})?$/;

export const Procedure = z.object({
  id: z.string().regex(PROCEDURE_CODE, 'official code like 1.001193'),
  name: text,
  /** Lĩnh vực. */
  field: optionalText,
  /** Cấp thực hiện, split: ["Cấp bộ", "Cấp tỉnh"]. */
  levels: z.array(text).default([]),
  /** Cơ quan thực hiện. */
  agency: optionalText,
  /** Cơ quan có thẩm quyền. */
  competentAuthority: optionalText,
  procedureType: optionalText,
  /** Số quyết định công bố. */
  decisionNo: optionalText,
  targetAudience: optionalText,
  channels: z.array(SubmissionChannel).default([]),
  documents: z.array(ProcedureDocument).default([]),
  steps: optionalText,
  conditions: optionalText,
  legalBasis: optionalText,
  legalCodes: z.array(text).default([]),
  result: optionalText,
  receptionAddress: optionalText,
  coordinatingAgency: optionalText,
  description: optionalText,
  /** Keywords and colloquial names (from the source's "từ khóa" or the team's overlays). */
  aliases: z.array(text).default([]),
  /** Which ministry's official list the code appears in. */
  ministry: optionalText,
  url: z.url().nullable().default(null),
  /** `list` = only what the official list export holds; a detailed record completes it later. */
  completeness: z.enum(['list', 'detailed']).default('detailed'),
  sources: z.array(SourceRef).min(1),
  /** sha256 over the content fields (not sources, hash or timestamps). */
  contentHash: z.string().default(''),
  ingestedAt: z.string().default(''),
  effectiveFrom: z.string().nullable().default(null),
  effectiveTo: z.string().nullable().default(null),
});
export type Procedure = z.infer<typeof Procedure>;
export type ProcedureInput = z.input<typeof Procedure>;
