import { PhraseMatcher } from './phrase-matcher.js';

/**
 * Profanity, insults and threats. Short Vietnamese abbreviations (đm, vcl) are spelled the same
 * with or without marks; words that fold onto innocent ones ("ngu" ~ ngủ/ngũ/ngư, "đéo" ~ đeo)
 * only count with their marks, or unaccented inside an insult ("may ngu", "ngu the").
 */
const ABUSE = new PhraseMatcher(
  [
    'đm', 'đmm', 'đcm', 'dcm', 'đkm', 'vcl', 'vkl', 'vl', 'vcc', 'clgt', 'địt', 'đụ má', 'đụ mẹ', 'buồi',
    'vãi lồn', 'ngu si', 'óc chó', 'đồ chó', 'thằng chó', 'con chó này', 'chó má', 'khốn nạn', 'mất dạy',
    'súc vật', 'câm mồm', 'im mồm', 'cút đi', 'mẹ mày', 'bố mày', 'đồ điên', 'thằng điên', 'đần độn', 'ngu dốt',
    'ngu như bò', 'đồ ăn hại', 'láo toét', 'giết mày', 'giết chết', 'giết hết', 'giết tụi', 'giết bọn', 'đánh chết',
    'đốt trụ sở', 'cho nổ tung', 'đặt bom', 'liệu hồn', 'biết tay tao', 'fuck', 'fucking', 'shit', 'bitch', 'asshole',
    'idiot', 'stupid', 'moron', 'dumb', 'bastard', 'wtf', 'stfu', 'shut up', 'kill you', 'i will kill', 'piece of crap',
    'useless bot', 'damn you', 'đồ vô dụng', 'vô dụng thế', 'như cứt', 'như c*t', 'như shit', 'cứt', 'c*t', 'đồ rác rưởi',
  ],
  [
    'dm', 'dmm', 'dit', 'du ma', 'du me', 'may ngu', 'ngu the', 'ngu vay', 'ngu qua', 'ngu vl', 'bot ngu',
    'thang ngu', 'do ngu', 'oc cho', 'do cho', 'thang cho', 'khon nan', 'mat day', 'suc vat', 'cam mom', 'im mom',
    'cut di', 'me may', 'do dien', 'thang dien', 'ngu dot', 'giet may', 'danh chet', 'deo biet', 'deo hieu',
    'do vo dung', 'nhu cut', 'do rac ruoi',
  ],
  ['ngu', 'lồn', 'cặc', 'đéo', 'đĩ', 'vãi', 'láo', 'đần', 'cút'],
);

/** True when the message insults, swears or threatens. */
export function isAbuse(text: string): boolean {
  return ABUSE.test(text);
}
