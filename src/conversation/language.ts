import type { Language } from '../domain/answer.js';
import { fold, normalize } from '../text/vietnamese.js';

/** Words that only English uses (not a Vietnamese syllable once folded). */
const ENGLISH = new Set([
  'the', 'is', 'are', 'was', 'were', 'do', 'does', 'did', 'how', 'what', 'where', 'when', 'which', 'who', 'why', 'i', 'my', 'me',
  'we', 'our', 'you', 'your', 'it', 'its', 'of', 'for', 'with', 'from', 'about', 'need', 'needed', 'want', 'get', 'register',
  'registration', 'documents', 'document', 'birth', 'marriage', 'certificate', 'please', 'hello', 'hi', 'thanks', 'thank',
  'fee', 'fees', 'cost', 'much', 'long', 'take', 'apply', 'application', 'permit', 'license', 'passport', 'card', 'renew',
  'lost', 'submit', 'online', 'office', 'procedure', 'should', 'would', 'could', 'there', 'this', 'that', 'these', 'those',
  'and', 'or', 'if', 'be', 'have', 'has', 'an', 'at', 'by', 'into', 'any', 'human', 'talk', 'speak', 'bye', 'goodbye',
  'weather', 'tell', 'help', 'business', 'id', 'new', 'old', 'address', 'residence', 'required', 'requirements', 'days',
  'time', 'processing', 'officer', 'person', 'someone', 'what\'s', 'how\'s', 'can\'t', 'don\'t', 'first', 'second', 'third', 'one',
]);

/** Unaccented Vietnamese syllables common in citizens' questions, incl. procedure words. */
const VIETNAMESE = new Set(
  [
    'tôi', 'mình', 'bạn', 'làm', 'sao', 'thế', 'nào', 'gì', 'ở', 'đâu', 'không', 'được', 'có', 'cần', 'những', 'giấy', 'tờ',
    'đăng', 'ký', 'kí', 'khai', 'sinh', 'tử', 'kết', 'hôn', 'thủ', 'tục', 'hồ', 'sơ', 'lệ', 'phí', 'bao', 'nhiêu', 'lâu', 'mấy',
    'ngày', 'xin', 'cấp', 'lại', 'đổi', 'chứng', 'nhận', 'thực', 'căn', 'cước', 'hộ', 'khẩu', 'chiếu', 'thường', 'trú', 'tạm',
    'phường', 'xã', 'quận', 'huyện', 'nộp', 'mất', 'phép', 'lái', 'xe', 'đất', 'nhà', 'sổ', 'đỏ', 'cccd', 'cmnd', 'gplx', 'dkkd',
    'vneid', 'chào', 'cảm', 'ơn', 'nhé', 'ạ', 'ơi', 'thì', 'là', 'của', 'và', 'cho', 'con', 'vợ', 'chồng', 'muốn', 'phải',
    'kinh', 'doanh', 'thuế', 'bảo', 'hiểm', 'hiện', 'nay', 'giờ', 'đi', 'về', 'với', 'trong', 'người', 'này', 'đó',
  ].map(fold),
);

/**
 * 'en' when English function and topic words outnumber Vietnamese ones, else 'vi'. Diacritics
 * are decisive evidence; unaccented Vietnamese ("lam sao dang ky khai sinh") is still 'vi', and
 * English mixed with Vietnamese procedure words counts as Vietnamese.
 */
export function detectLanguage(text: string): Language {
  const words = normalize(text).match(/[\p{L}\p{N}']+/gu) ?? [];
  let en = 0;
  let vi = 0;
  for (const w of words) {
    const f = fold(w);
    if (f !== w) vi += 2;
    else if (VIETNAMESE.has(f) && !ENGLISH.has(f)) vi += 1;
    else if (ENGLISH.has(f)) en += 1;
    else if (/^[a-z]+$/.test(f) && /(?:th|sh|wh|ck|ing|tion|ed|ly|ght|[bcdfgkmpstvxz]s)$|[wfjz]/.test(f) && !/^(?:ph|th|ch|tr|nh|ng|kh|gh)[aeiouy]/.test(f)) {
      // Spelling no Vietnamese syllable has (w, f, j, z, -tion, consonant + s).
      en += 1;
    }
  }
  return en > vi ? 'en' : 'vi';
}
