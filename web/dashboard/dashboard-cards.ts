import { formatCount, formatDecimal, formatHours, formatScore, formatShare } from './dashboard-format.js';
import type { StatsFigures } from './stats-types.js';

/** One headline figure: a label, its formatted value and an optional line of detail. */
export interface HeadlineCard {
  key: string;
  label: string;
  value: string;
  detail?: string;
}

/** The headline cards of a report's totals, in the order the Center reads them. Pure. */
export function headlineCards(t: StatsFigures): HeadlineCard[] {
  const ratings = t.ratings.count
    ? `điểm trung bình ${formatScore(t.ratings.meanScore)} · ${formatCount(t.ratings.count)} lượt đánh giá`
    : 'chưa có lượt đánh giá';
  return [
    { key: 'users', label: 'Lượt người dùng', value: formatCount(t.users) },
    { key: 'conversations', label: 'Hội thoại', value: formatCount(t.conversations) },
    { key: 'turns', label: 'Lượt hỏi đáp', value: formatCount(t.turns) },
    { key: 'calls', label: 'Cuộc gọi', value: formatCount(t.calls) },
    { key: 'talk', label: 'Giờ thoại', value: formatHours(t.talkSeconds) },
    { key: 'avg-turns', label: 'Số lượt hỏi trung bình mỗi hội thoại', value: formatDecimal(t.avgTurnsPerConversation) },
    { key: 'containment-conversations', label: 'Tỷ lệ tự phục vụ (hội thoại)', value: formatShare(t.containment.conversations), detail: 'kết thúc không cần cán bộ' },
    { key: 'containment-calls', label: 'Tỷ lệ tự phục vụ (cuộc gọi)', value: formatShare(t.containment.calls), detail: 'không chuyển tổng đài viên' },
    { key: 'handoffs', label: 'Chuyển cán bộ', value: formatCount(t.handoffs) },
    { key: 'unanswered', label: 'Chưa trả lời được', value: formatCount(t.unanswered) },
    { key: 'refused', label: 'Từ chối', value: formatCount(t.refused) },
    { key: 'satisfaction', label: 'Hài lòng', value: formatShare(t.ratings.positiveShare), detail: ratings },
  ];
}
