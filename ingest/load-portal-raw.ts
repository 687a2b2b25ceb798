import { basename, dirname } from 'node:path';
import { PROCEDURE_CODE, type ProcedureInput, type SourceRef } from '../src/domain/procedure.js';
import { parseJsonObject, reject, splitLevels, textOrNull, validated, type LoadItem } from './load-result.js';
import { cutSections, type Sections } from './portal-sections.js';
import { parseChannelTable, parseDocumentTable, parseLegalTable, parseResultSection } from './portal-tables.js';

/** The crawler's folders are named after the ministry whose official list the codes came from. */
const MINISTRY_BY_FOLDER: Record<string, string> = {
  'bo-cong-an': 'Bộ Công an',
  'bo-tai-chinh': 'Bộ Tài chính',
  'bo-nong-nghiep-mt': 'Bộ Nông nghiệp và Môi trường',
  'bo-xay-dung': 'Bộ Xây dựng',
  'bo-tu-phap': 'Bộ Tư pháp',
  'ngan-hang-nha-nuoc': 'Ngân hàng Nhà nước Việt Nam',
  'toa-an-nhan-dan': 'Tòa án nhân dân',
  'bo-quoc-phong': 'Bộ Quốc phòng',
};

export function ministryFromFolder(file: string): string | null {
  return MINISTRY_BY_FOLDER[basename(dirname(file))] ?? null;
}

type RawPage = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The crawler's own section fields, used only when `raw_text` cannot be re-cut. */
function crawlerSections(page: RawPage): Sections {
  return {
    name: str(page.ten_thu_tuc) ?? undefined,
    code: str(page.ma_thu_tuc) ?? undefined,
    decisionNo: str(page.so_quyet_dinh) ?? undefined,
    level: str(page.cap_thuc_hien) ?? undefined,
    procedureType: str(page.loai_thu_tuc) ?? undefined,
    field: str(page.linh_vuc) ?? undefined,
    targetAudience: str(page.doi_tuong_thuc_hien) ?? undefined,
    competentAuthority: str(page.co_quan_co_tham_quyen) ?? undefined,
    receptionAddress: str(page.dia_chi_tiep_nhan) ?? undefined,
    coordinatingAgency: str(page.co_quan_phoi_hop) ?? undefined,
    steps: str(page.trinh_tu_thuc_hien) ?? undefined,
    channels: str(page.cach_thuc_thuc_hien) ?? undefined,
    documents: str(page.thanh_phan_ho_so) ?? undefined,
    legal: str(page.can_cu_phap_ly) ?? undefined,
    agency: str(page.co_quan_thuc_hien) ?? undefined,
    conditions: str(page.yeu_cau_dieu_kien) ?? undefined,
    result: str(page.ket_qua_xu_ly) ?? undefined,
  };
}

function urlOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    return new URL(value).href;
  } catch {
    return null;
  }
}

/** Maps one crawled page (already parsed JSON) to a record, or says why it cannot. */
export function mapPortalRaw(file: string, page: RawPage): LoadItem {
  const fileCode = basename(file).replace(/\.json$/iu, '');
  const declared = str(page.ma_thu_tuc)?.trim() ?? '';
  const id = PROCEDURE_CODE.test(fileCode) ? fileCode : declared;
  const rawText = str(page.raw_text);
  if (!rawText) return reject(file, 'invalid_record', 'Thiếu nội dung trang (raw_text)', { id });

  const cut = cutSections(rawText);
  const sections = cut ?? crawlerSections(page);
  const pageCode = cut?.code?.trim() ?? /Mã thủ tục\s*([\d.]+)/u.exec(rawText)?.[1];
  if (pageCode && pageCode !== id) {
    return reject(
      file,
      'code_mismatch',
      `Trang tải về là của thủ tục khác: tên tệp ghi mã ${id} nhưng trang ghi "Mã thủ tục ${pageCode}"`,
      { id },
    );
  }

  // The result box is followed by the keyword and description boxes; the crawler's result field
  // runs on through them, so it is cut at "Từ khóa" here too.
  const crawlerResult = str(page.ket_qua_xu_ly);
  const result = cut ? sections.result ?? null : crawlerResult?.split('Từ khóa')[0] ?? null;
  const keywords = cut ? sections.keywords ?? null : /Từ khóa(.*?)Mô tả/su.exec(crawlerResult ?? '')?.[1] ?? null;
  const description = cut ? sections.description ?? null : /Mô tả(.*)$/su.exec(crawlerResult ?? '')?.[1] ?? null;
  const tail = parseResultSection(result, keywords, description);
  const legal = parseLegalTable(sections.legal ?? null);

  const source: SourceRef = { kind: 'portal_raw', file, repo: null, commit: null };
  const record: ProcedureInput = {
    id,
    name: textOrNull(sections.name) ?? textOrNull(page.ten_thu_tuc) ?? '',
    field: textOrNull(sections.field),
    levels: splitLevels(sections.level),
    agency: textOrNull(sections.agency),
    competentAuthority: textOrNull(sections.competentAuthority),
    procedureType: textOrNull(sections.procedureType),
    decisionNo: textOrNull(sections.decisionNo),
    targetAudience: textOrNull(sections.targetAudience),
    channels: parseChannelTable(sections.channels ?? null),
    documents: parseDocumentTable(sections.documents ?? null),
    steps: textOrNull(sections.steps),
    conditions: textOrNull(sections.conditions),
    legalBasis: legal.text,
    legalCodes: legal.codes,
    result: tail.result,
    receptionAddress: textOrNull(sections.receptionAddress),
    coordinatingAgency: textOrNull(sections.coordinatingAgency),
    description: tail.description,
    aliases: tail.keywords,
    ministry: ministryFromFolder(file),
    url: urlOrNull(page.detail_url),
    completeness: 'detailed',
    sources: [source],
  };
  return validated(file, record, { id });
}

export async function* loadPortalRaw(file: string, content: Buffer | string): AsyncIterable<LoadItem> {
  const parsed = parseJsonObject(file, content, 'Không phải một trang thủ tục (cần đối tượng JSON có ma_thu_tuc và raw_text)');
  if (!parsed.ok) {
    yield parsed.rejection;
    return;
  }
  yield mapPortalRaw(file, parsed.value as RawPage);
}
