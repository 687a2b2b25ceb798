import type { ProcedureDocument, ProcedureInput, SubmissionChannel } from '../src/domain/procedure.js';
import { channelKind, legalCodesIn, parseJsonObject, splitLevels, textOrNull, validated, type LoadItem } from './load-result.js';

/**
 * Records parsed from the portal's official Word export (`ChiTietTTHC_<code>.doc`), one JSON
 * per procedure with `metadata`, `content` and `tables` (table rows kept as rows).
 */
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const rows = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

/** "Quyết định số 6225/QĐ-BQP" → "6225/QĐ-BQP", the form the portal pages use. */
function decisionNo(value: unknown): string | null {
  const t = textOrNull(value);
  return t ? t.replace(/^Quyết định\s+(số\s+)?/iu, '') : null;
}

/** "Bản chính: 1\nBản sao: 0" → "Bản chính: 1 / Bản sao: 0". */
function quantity(value: unknown): string | null {
  const t = typeof value === 'string' ? value.split(/\n+/u).map((s) => s.trim()).filter(Boolean).join(' / ') : '';
  return textOrNull(t);
}

function forms(value: unknown): string[] {
  const t = textOrNull(value);
  return t ? t.split(/\n+/u).map((s) => s.trim()).filter(Boolean) : [];
}

function keywords(value: unknown): string[] {
  const t = textOrNull(value);
  return t ? [...new Set(t.split(/[;\n]|,\s+/u).map((s) => s.trim()).filter((s) => s.length > 1))] : [];
}

export function mapWordExport(file: string, doc: Obj): LoadItem {
  const metadata = obj(doc.metadata);
  const content = obj(doc.content);
  const tables = obj(doc.tables);
  const id = textOrNull(metadata['mã_thủ_tục']) ?? textOrNull(doc.thu_tuc_id) ?? '';

  const channels: SubmissionChannel[] = [];
  for (const r of rows(tables.hinh_thuc_nop)) {
    const label = textOrNull(r.hinh_thuc);
    const kind = label ? channelKind(label) : undefined;
    if (!label || !kind) continue;
    channels.push({
      kind,
      label,
      processingTime: textOrNull(r.thoi_han_giai_quyet),
      fee: textOrNull(r.phi_le_phi),
      description: textOrNull(r.mo_ta),
    });
  }
  const documents: ProcedureDocument[] = [];
  for (const r of rows(tables.thanh_phan_ho_so)) {
    const name = textOrNull(r.ten_giay_to);
    if (!name) continue;
    // In this export the "Số lượng" column holds the form file and "Ghi chú" the quantity.
    documents.push({ name, quantity: quantity(r.ghi_chu), forms: forms(r.so_luong), case: null });
  }
  const legalRows = rows(tables.can_cu_phap_ly);
  const legalLines = legalRows
    .map((r) => textOrNull(r.trich_yeu) ?? textOrNull(r.so_ky_hieu))
    .filter((s): s is string => !!s);
  // `so_ky_hieu` is often just the number ("12"); the full code is cited in the summary.
  const legalCodes = [
    ...new Set(legalRows.flatMap((r) => legalCodesIn(`${String(r.so_ky_hieu ?? '')} ${String(r.trich_yeu ?? '')}`))),
  ];

  const record: ProcedureInput = {
    id,
    name: textOrNull(metadata['tên_thủ_tục']) ?? '',
    field: textOrNull(metadata['lĩnh_vực']),
    levels: splitLevels(metadata['cấp_thực_hiện']),
    agency: textOrNull(content['cơ_quan_thực_hiện']),
    competentAuthority: textOrNull(content['cơ_quan_có_thẩm_quyền']),
    procedureType: textOrNull(metadata['loại_thủ_tục']),
    decisionNo: decisionNo(metadata['số_quyết_định']),
    targetAudience: textOrNull(content['đối_tượng_thực_hiện']),
    channels,
    documents,
    steps: textOrNull(content['trình_tự_thực_hiện']),
    conditions: textOrNull(content['yêu_cầu_điều_kiện_thực_hiện']),
    legalBasis: legalLines.length > 0 ? legalLines.join('\n') : null,
    legalCodes,
    result: textOrNull(content['kết_quả_thực_hiện']),
    receptionAddress: textOrNull(content['địa_chỉ_tiếp_nhận_hs']),
    coordinatingAgency: textOrNull(content['cơ_quan_phối_hợp']),
    description: textOrNull(content['mô_tả']),
    aliases: keywords(content['từ_khóa']),
    // Every decision in this export is the Ministry of Defence's (…/QĐ-BQP).
    ministry: /BQP/u.test(String(metadata['số_quyết_định'] ?? '')) ? 'Bộ Quốc phòng' : null,
    url: null,
    completeness: 'detailed',
    sources: [{ kind: 'word_export', file, repo: null, commit: null }],
  };
  return validated(file, record, { id });
}

export async function* loadWordExport(file: string, content: Buffer | string): AsyncIterable<LoadItem> {
  const parsed = parseJsonObject(file, content, 'Không phải bản xuất Word (cần đối tượng JSON có metadata và tables)');
  if (!parsed.ok) {
    yield parsed.rejection;
    return;
  }
  yield mapWordExport(file, parsed.value as Obj);
}
