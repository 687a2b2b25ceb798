/** Vietnamese words for the statistics' codes (channels, handoff reasons, statuses, aspects). */

export const CHANNEL_LABELS: Record<string, string> = {
  web: 'Trang web',
  messenger: 'Messenger',
  zalo: 'Zalo OA',
  mini_app: 'iHanoi (mini app)',
  voice: 'Tổng đài (thoại)',
};

/** Chat (handoff queue) and voice (call transfer) reasons. */
export const REASON_LABELS: Record<string, string> = {
  citizen_request: 'Công dân yêu cầu gặp cán bộ',
  unanswered_twice: 'Trợ lý chưa trả lời được (2 lần)',
  negative_rating: 'Đánh giá chưa hài lòng',
  complaint: 'Phản ánh, khiếu nại',
  caller_request: 'Người gọi muốn gặp tổng đài viên',
  repeated_failure: 'Trợ lý nhiều lần không hiểu',
  status_unfinished: 'Tra cứu hồ sơ chưa xong',
};

export const CHANNEL_KIND_LABELS: Record<string, string> = { chat: 'nhắn tin', voice: 'thoại' };

export const STATUS_LABELS: Record<string, string> = {
  unanswerable_no_content: 'Chưa có thông tin',
  unanswerable_out_of_scope: 'Ngoài phạm vi',
  guardrail_injection: 'Từ chối: câu lệnh bất thường',
  guardrail_personal_data: 'Từ chối: có dữ liệu cá nhân',
  guardrail_abuse: 'Từ chối: ngôn từ không phù hợp',
  guardrail_answer_check: 'Từ chối: câu trả lời không đạt kiểm tra',
  error_llm: 'Lỗi mô hình ngôn ngữ',
  error_timeout: 'Quá thời gian xử lý',
  error_internal: 'Lỗi hệ thống',
};

export const FAMILY_LABELS: Record<string, string> = {
  unanswerable: 'Chưa trả lời được',
  error: 'Lỗi',
  guardrail: 'Từ chối',
};

export const ASPECT_LABELS: Record<string, string> = {
  fee: 'Lệ phí',
  time: 'Thời hạn giải quyết',
  documents: 'Thành phần hồ sơ',
  where: 'Nơi nộp hồ sơ',
  online: 'Nộp trực tuyến',
  conditions: 'Điều kiện',
  steps: 'Trình tự thực hiện',
  result: 'Kết quả',
  legal_basis: 'Căn cứ pháp lý',
};

/** The Vietnamese word for a code, or the code itself when there is none (a new code still shows). */
export function label(map: Record<string, string>, key: string): string {
  return map[key] ?? key;
}
