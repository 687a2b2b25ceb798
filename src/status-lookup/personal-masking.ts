/**
 * How an applicant's details appear in a reply: enough for the citizen to recognise their own
 * application, too little for anyone else to learn who filed it.
 */

/** "Nguyễn Văn An" → "Nguyễn V** A**": family name, then initials; the stars do not tell word lengths. */
export function maskName(name: string): string {
  const words = name.normalize('NFC').trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return '';
  if (words.length === 1) return `${initial(words[0]!)}**`;
  return [words[0]!, ...words.slice(1).map((w) => `${initial(w)}**`)].join(' ');
}

function initial(word: string): string {
  // The first user-perceived character, so a decomposed "Đ" or "Ă" is not cut in half.
  const first = new Intl.Segmenter('vi', { granularity: 'grapheme' }).segment(word)[Symbol.iterator]().next().value;
  return (first?.segment ?? '').toLocaleUpperCase('vi');
}

/** "0912345678" → "********78": only the last two digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 4) return '****';
  return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

/** The last four digits of the registered phone, which the citizen must give; null when it has fewer. */
export function lastFourDigits(phone: string): string | null {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 4 ? digits.slice(-4) : null;
}
