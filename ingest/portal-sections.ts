/**
 * Re-cuts a crawled portal page (`raw_text`, the page body's text) into its sections.
 *
 * The crawler cut sections at the first occurrence of each heading, which goes wrong when a
 * heading's words also appear in the content (a fee remark saying "Căn cứ pháp lý: …", steps
 * mentioning "Thành phần hồ sơ"). The page always lists its sections in the same order, so the
 * head of the page is cut forwards (each heading searched after the previous one) and the tail
 * backwards from the keyword box at the end, which leaves content-borne headings inside their
 * sections.
 */

export const HEAD_LABELS = [
  ['name', 'Tên thủ tục'],
  ['code', 'Mã thủ tục'],
  ['decisionNo', 'Số quyết định'],
  ['level', 'Cấp thực hiện'],
  ['procedureType', 'Loại thủ tục'],
  ['field', 'Lĩnh vực'],
  ['targetAudience', 'Đối tượng thực hiện'],
  ['competentAuthority', 'Cơ quan có thẩm quyền'],
  ['receptionAddress', 'Địa chỉ tiếp nhận HS'],
  ['authorisedAgency', 'Cơ quan được ủy quyền'],
  ['coordinatingAgency', 'Cơ quan phối hợp'],
  ['related', 'Thủ tục hành chính liên quan'],
  ['steps', 'Trình Tự Thực Hiện'],
  ['channels', 'Cách Thức Thực Hiện'],
  ['documents', 'Thành phần hồ sơ'],
] as const;

export type SectionKey =
  | (typeof HEAD_LABELS)[number][0]
  | 'legal'
  | 'agency'
  | 'conditions'
  | 'result'
  | 'keywords'
  | 'description';

export type Sections = Partial<Record<SectionKey, string>>;

/** Sections cut from `raw_text`, or undefined when the page lacks the expected headings. */
export function cutSections(raw: string): Sections | undefined {
  const starts: { key: SectionKey; at: number; label: string }[] = [];
  let pos = 0;
  for (const [key, label] of HEAD_LABELS) {
    const at = raw.indexOf(label, pos);
    if (at < 0) return undefined;
    starts.push({ key, at, label });
    pos = at + label.length;
  }
  const documentsAt = pos;

  const keywordsAt = raw.lastIndexOf('Từ khóa');
  if (keywordsAt < documentsAt) return undefined;
  const descriptionAt = raw.indexOf('Mô tả', keywordsAt);
  const conditionsAt = raw.lastIndexOf('Yêu cầu, điều kiện thực hiện', keywordsAt);
  const resultAt = raw.lastIndexOf('Kết quả xử lý', keywordsAt);
  const agencyAt = raw.lastIndexOf('Cơ quan thực hiện', conditionsAt);
  let legalAt = raw.lastIndexOf('Căn cứ pháp lýTên văn bản pháp lý', agencyAt);
  if (legalAt < documentsAt) legalAt = raw.lastIndexOf('Căn cứ pháp lý', agencyAt);
  if (conditionsAt < 0 || agencyAt < documentsAt || legalAt < documentsAt) return undefined;

  starts.push({ key: 'legal', at: legalAt, label: 'Căn cứ pháp lý' });
  starts.push({ key: 'agency', at: agencyAt, label: 'Cơ quan thực hiện' });
  starts.push({ key: 'conditions', at: conditionsAt, label: 'Yêu cầu, điều kiện thực hiện' });
  // Some pages have no result box at all; a "Kết quả xử lý" inside the conditions is not one.
  if (resultAt > conditionsAt) starts.push({ key: 'result', at: resultAt, label: 'Kết quả xử lý' });
  starts.push({ key: 'keywords', at: keywordsAt, label: 'Từ khóa' });
  if (descriptionAt > keywordsAt) starts.push({ key: 'description', at: descriptionAt, label: 'Mô tả' });

  const chooseAgency = raw.indexOf('Chọn cơ quan thực hiện', descriptionAt > 0 ? descriptionAt : keywordsAt);
  const end = chooseAgency >= 0 ? chooseAgency : raw.length;

  const sections: Sections = {};
  starts.forEach((s, i) => {
    const stop = i + 1 < starts.length ? starts[i + 1]!.at : end;
    sections[s.key] = raw.slice(s.at + s.label.length, stop);
  });
  return sections;
}
