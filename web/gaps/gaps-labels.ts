/** Vietnamese words for the gaps API's codes, shown to officers. */
export const REASONS: Record<string, string> = {
  unanswered: 'Không trả lời được',
  refused: 'Từ chối trả lời',
  handoff: 'Chuyển cán bộ',
  negative_rating: 'Bị đánh giá chưa tốt',
};

export const CHANNELS: Record<string, string> = {
  web: 'Trang web',
  messenger: 'Messenger',
  zalo: 'Zalo OA',
  mini_app: 'iHanoi',
  voice: 'Tổng đài',
};

export const STATUSES: Record<string, string> = {
  answered: 'Đã trả lời',
  answered_fallback: 'Trả lời dự phòng',
  answered_smalltalk: 'Trò chuyện xã giao',
  clarification: 'Hỏi lại cho rõ',
  unanswerable_no_content: 'Không có thông tin phù hợp',
  unanswerable_out_of_scope: 'Ngoài phạm vi hỗ trợ',
  guardrail_injection: 'Chặn: câu lệnh bất thường',
  guardrail_personal_data: 'Chặn: có dữ liệu cá nhân',
  guardrail_abuse: 'Chặn: lời lẽ không phù hợp',
  guardrail_answer_check: 'Chặn: câu trả lời không khớp nguồn',
  handoff_requested: 'Công dân xin gặp cán bộ',
  handoff_staff: 'Cán bộ đang xử lý',
  status_lookup_verify: 'Tra cứu hồ sơ: chờ xác minh',
  status_lookup_answered: 'Tra cứu hồ sơ: đã trả lời',
  status_lookup_failed: 'Tra cứu hồ sơ: không thành công',
  error_llm: 'Lỗi mô hình ngôn ngữ',
  error_timeout: 'Quá thời gian xử lý',
  error_internal: 'Lỗi hệ thống',
};

export const ACTIONS: Record<string, string> = {
  alias: 'Thêm tên gọi khác',
  note: 'Thêm ghi chú',
  out_of_scope: 'Đánh dấu ngoài phạm vi',
  in_scope: 'Đưa lại vào danh sách',
};

export function label(map: Record<string, string>, key: string): string {
  return map[key] ?? key;
}

/** "20/11/2026 10:42" in Hanoi time. */
export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString('vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Today in Hanoi, YYYY-MM-DD, `daysBack` days earlier. */
export function hanoiDay(daysBack = 0): string {
  const at = new Date(Date.now() - daysBack * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
