import { PhraseMatcher } from './phrase-matcher.js';

/** Topics the center never handles. Kept narrow: a miss only costs a retrieval that finds nothing. */
const TOPICS = new PhraseMatcher([
  // weather, sport, entertainment
  'thời tiết', 'dự báo thời tiết', 'mưa không', 'nhiệt độ', 'weather', 'bóng đá', 'trận đấu', 'tỉ số', 'tỷ số', 'đội tuyển',
  'world cup', 'ngoại hạng anh', 'football', 'soccer', 'bộ phim', 'xem phim', 'phim hay', 'movie', 'bài hát', 'ca sĩ', 'song',
  'kể chuyện cười', 'truyện cười', 'joke', 'game', 'chơi game',
  // food
  'nấu', 'món ăn', 'công thức nấu', 'nấu ăn', 'quán ăn', 'nhà hàng', 'phở bò', 'recipe', 'cook', 'restaurant',
  // money tips
  'chứng khoán', 'cổ phiếu', 'mã cổ phiếu', 'bitcoin', 'tiền ảo', 'tiền điện tử', 'crypto', 'giá vàng', 'xổ số', 'lô đề',
  'stock', 'stocks', 'forex', 'đầu tư vào đâu', 'làm giàu', 'giàu nhất',
  // homework and writing
  'bài tập', 'giải toán', 'phương trình', 'hình tròn', 'công thức tính', 'làm thơ', 'bài thơ', 'viết thơ', 'bài văn', 'viết văn',
  'homework', 'poem', 'essay', 'dịch câu', 'dịch sang', 'translate',
  // health
  'bị sốt', 'đau bụng', 'đau đầu', 'đau răng', 'bị ho', 'uống thuốc', 'thuốc gì', 'triệu chứng', 'giảm cân', 'tăng cân',
  'chữa bệnh gì', 'bệnh gì', 'headache', 'fever', 'medicine', 'diet', 'lose weight',
  // politics
  'chính trị', 'tổng thống', 'bầu cử mỹ', 'đảng nào', 'chiến tranh', 'politics', 'president', 'election',
  // chit-chat about the assistant
  'bao nhiêu tuổi', 'mấy tuổi', 'có người yêu', 'người yêu chưa', 'ăn cơm chưa', 'bạn thích gì', 'bạn có buồn',
  'how old are you', 'are you married', 'do you love',
]);

/** Paperwork words: when present the message goes to retrieval whatever else it mentions. */
const PAPERWORK = new PhraseMatcher([
  'thủ tục', 'hồ sơ', 'giấy phép', 'giấy tờ', 'đăng ký', 'chứng nhận', 'chứng chỉ', 'cấp phép', 'xin phép', 'lệ phí', 'nộp',
  'kinh doanh', 'thành lập', 'doanh nghiệp', 'hộ kinh doanh', 'giấy', 'cấp lại', 'cấp đổi', 'xác nhận', 'thẩm định', 'phê duyệt',
  'hỗ trợ', 'trợ cấp', 'bảo hiểm', 'thuế', 'khám bệnh', 'chữa bệnh', 'hành nghề', 'tổ chức giải', 'thi đấu', 'biểu diễn',
  'license', 'permit', 'register', 'registration', 'certificate', 'procedure', 'application', 'apply', 'tax',
]);

/** True when the message is clearly about something other than administrative procedures. */
export function isOutOfScope(text: string): boolean {
  return TOPICS.test(text) && !PAPERWORK.test(text);
}
