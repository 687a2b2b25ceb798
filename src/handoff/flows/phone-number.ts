/**
 * The number a citizen gives for a call-back: Vietnamese mobile (10 digits, 03/05/07/08/09) or
 * landline (11 digits, 02x), typed with spaces, dots or dashes, with +84 or 84 for the 0, in
 * full-width digits from some keyboards. Read back masked, the last three digits only: enough to
 * spot a typo at the end, and not the last four a status lookup uses to verify an applicant.
 */

const MOBILE = /^0[35789]\d{8}$/;
const LANDLINE = /^02\d{9}$/;
/** A run that may be a phone number: an optional +, then digits with single separators. */
const CANDIDATE = /\+?\d(?:[\s.\-()]?\d){8,13}/g;

/** The phone number in the message, as national digits (`0912345678`), or null. */
export function findPhoneNumber(text: string): string | null {
  const ascii = text.normalize('NFKC');
  for (const match of ascii.matchAll(CANDIDATE)) {
    const national = toNational(match[0].replace(/[^\d+]/g, ''));
    if (national) return national;
  }
  return null;
}

function toNational(raw: string): string | null {
  let digits = raw.replace(/^\+/, '');
  if (digits.startsWith('84') && (digits.length === 11 || digits.length === 12)) digits = `0${digits.slice(2)}`;
  return MOBILE.test(digits) || LANDLINE.test(digits) ? digits : null;
}

/** True when the message holds a run of digits long enough to be (a mistyped) phone number. */
export function hasPhoneLikeDigits(text: string): boolean {
  return /\d(?:[\s.\-]?\d){6,}/.test(text.normalize('NFKC'));
}

/** `0912345678` → `*******678`. */
export function maskPhone(phone: string): string {
  return `${'*'.repeat(Math.max(0, phone.length - 3))}${phone.slice(-3)}`;
}
