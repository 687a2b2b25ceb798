/**
 * Is the citizen asking where their own application stands ("hồ sơ của tôi đến đâu rồi?"), and
 * what did they answer when asked for the last four phone digits? All matching is on folded
 * text, so unaccented messages read the same.
 *
 * Questions about a procedure in general ("hồ sơ khai sinh gồm những gì", "bao lâu có kết quả")
 * are not status questions: the phrases below need a word of progress on *this* application.
 */
import { fold } from '../text/vietnamese.js';

/** Phrases that ask about an application's progress whoever's it is. */
const PROGRESS: readonly RegExp[] = [
  // "tra cứu hồ sơ", "tra cứu tình trạng hồ sơ", "tra cứu kết quả giải quyết hồ sơ"
  /(?<![a-z])tra cuu\b.{0,30}\b(?:ho so|bien nhan)\b/,
  /(?<![a-z])tra cuu (?:tinh trang|trang thai|tien do)\b/,
  // "tình trạng hồ sơ", "tiến độ giải quyết hồ sơ", "kiểm tra trạng thái hồ sơ"
  /\b(?:tinh trang|trang thai|tien do)\b(?: (?:xu ly|giai quyet|cua))*(?: bo)? ho so\b/,
  // "hồ sơ của tôi đến đâu rồi", "hồ sơ đã xong chưa", "hồ sơ được duyệt chưa"
  /\bho so\b.{0,40}?\b(?:den dau|toi dau|dau roi|(?:da )?xong chua|(?:da )?co ket qua chua|(?:da )?duoc duyet chua|duyet chua|(?:da )?(?:duoc )?giai quyet chua|(?:da )?(?:duoc )?xu ly chua|xu ly (?:den dau|toi dau)|the nao roi|sao roi|ra sao roi)\b/,
];

/** "of mine": with one of these, softer phrases ("bao giờ có kết quả", "bị chậm") are status questions too. */
const OWN = /\b(?:ho so (?:cua )?(?:toi|minh|em|tao|nha toi|gia dinh toi|chau|con toi|bo toi|me toi)|(?:toi|minh|em|tao) (?:da |vua |moi )?nop ho so\b.{0,30}\b(?:roi|hom|tuan|thang|ngay))\b/;
const SOFT: readonly RegExp[] = [
  /\b(?:bao gio|khi nao|bao lau nua|lau qua)\b.{0,20}\b(?:co ket qua|xong|tra ket qua|tra|nhan)\b/,
  /\b(?:qua han|tre hen|cham tre|bi cham|bi tre|chua thay|chua co ket qua|chua nhan duoc)\b/,
  /\bkiem tra\b/,
];

/** True when the message asks about the progress of an application already filed. */
export function asksApplicationStatus(text: string): boolean {
  const t = fold(text).replace(/\s+/g, ' ');
  if (PROGRESS.some((p) => p.test(t))) return true;
  return OWN.test(t) && SOFT.some((p) => p.test(t));
}

/** "Tôi không nhớ số điện thoại", "quên mất số đăng ký": the citizen cannot verify. */
const CANNOT_VERIFY = /\b(?:khong nho|quen(?: mat)?|khong biet|khong con (?:dung )?(?:so|sim)|mat sim|doi so)\b.{0,30}\b(?:so|sdt|dien thoai|sim|4 so|bon so)\b|\b(?:khong nho|quen mat|quen roi)\b/;

export function cannotVerify(text: string): boolean {
  return CANNOT_VERIFY.test(fold(text).replace(/\s+/g, ' '));
}

export interface VerificationDigits {
  digits: string;
  /** Every way the digits were written in the message, for masking it. */
  spellings: string[];
}

/** Digit groups written as one number: "5678", "56 78", "5.6.7.8". */
const DIGIT_CLUSTER = /(?<![\p{L}\p{N}])\d(?:[ .-]?\d)*(?![\p{L}\p{N}])/gu;
const PHONE = /^(?:0|84)(?:[35789]\d{8}|2\d{9})$/;

/**
 * The four digits the citizen gave: the one number of exactly four digits in the message, or
 * the last four of a whole phone number. Null when there is none, or several candidates.
 */
export function findVerificationDigits(raw: string): VerificationDigits | null {
  const text = raw.normalize('NFC').replace(/[\p{Cf}\p{Cc}]/gu, '');
  const found: VerificationDigits[] = [];
  for (const m of text.matchAll(DIGIT_CLUSTER)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length === 4) found.push({ digits, spellings: [m[0]] });
    else if (PHONE.test(digits)) found.push({ digits: digits.slice(-4), spellings: [m[0]] });
  }
  // "4 số cuối là 5678": the single-digit "4" is a count, not a candidate; two candidates are ambiguous.
  const distinct = new Set(found.map((f) => f.digits));
  if (distinct.size !== 1) return null;
  return { digits: found[0]!.digits, spellings: found.flatMap((f) => f.spellings) };
}

/** True when the message holds any digit: "123" answers the question, wrongly, rather than changing the subject. */
export function hasDigits(text: string): boolean {
  return /\d/.test(text);
}

/** "thôi", "hủy", "không tra nữa": the whole message only stops the lookup. */
const STOP = /^(?:thoi|huy|huy bo|bo qua|dung lai|thoi khong can|khong can(?: nua)?|khong tra(?: cuu)?(?: nua)?|thoi khong tra(?: cuu)?(?: nua)?|cancel|stop)(?: (?:a|nhe|nha|nhen|em|anh|chi|ban|cam on|nua))*$/;

export function wantsToStop(text: string): boolean {
  return STOP.test(fold(text).replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\s+/g, ' ').trim());
}
