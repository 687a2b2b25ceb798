import type { Lexicon } from '../text/lexicon.js';

/**
 * Words a caller is likely to say, for the recogniser (Twilio `hints`, Google phrase hints): the
 * catalogue's own words the lexicon maps citizens' words to ("thẻ căn cước", "đăng ký khai sinh"),
 * plus the callbot's own menu words. Twilio takes at most 500 hints of 100 characters; a few
 * dozen short phrases help more than a long list.
 */
const BASE_HINTS = ['thủ tục', 'hồ sơ', 'lệ phí', 'tra cứu hồ sơ', 'gặp tổng đài viên', 'căn cước', 'khai sinh', 'hộ tịch', 'đất đai', 'kết hôn', 'giấy phép lái xe', 'đăng ký kinh doanh'];

export function speechHints(lexicon: Lexicon, max = 100): string[] {
  const hints = new Set(BASE_HINTS);
  for (const entry of lexicon.entries) {
    for (const phrase of entry.expansions) {
      if (hints.size >= max) break;
      const words = phrase.trim().split(/\s+/);
      // Short phrases only: a hint is what a caller says, not a procedure's full name.
      if (words.length >= 2 && words.length <= 5 && phrase.length <= 60) hints.add(phrase.trim().toLowerCase());
    }
  }
  return [...hints].slice(0, max);
}
