/** Vietnamese words for the API's codes, shown to officers. */
export const REASONS: Record<string, string> = {
  citizen_request: 'Công dân yêu cầu gặp cán bộ',
  unanswered_twice: 'Trợ lý chưa trả lời được (2 lần)',
  negative_rating: 'Đánh giá chưa hài lòng',
  complaint: 'Phản ánh, khiếu nại',
};

export const STATUSES: Record<string, string> = {
  waiting: 'Đang chờ',
  claimed: 'Đang xử lý',
  returned: 'Đã trả lại trợ lý',
  closed: 'Đã kết thúc',
};

export const CHANNELS: Record<string, string> = {
  web: 'Trang web',
  messenger: 'Messenger',
  zalo: 'Zalo OA',
  mini_app: 'iHanoi',
};

export const TICKET_KINDS: Record<string, string> = {
  message: 'Lời nhắn ngoài giờ',
  callback: 'Yêu cầu gọi lại',
  feedback: 'Góp ý, kiến nghị',
  complaint: 'Phản ánh, khiếu nại',
};

export const AUTHORS: Record<string, string> = {
  user: 'Công dân',
  citizen: 'Công dân',
  assistant: 'Trợ lý',
  bot: 'Trợ lý',
  staff: 'Cán bộ',
  system: 'Hệ thống',
};

export function label(map: Record<string, string>, key: string): string {
  return map[key] ?? key;
}
