/**
 * Web addresses and e-mail as a caller can hear them. A voice must never spell a long URL: known
 * portals are named ("dichvucong.gov.vn" → "Cổng Dịch vụ công quốc gia"); any other address
 * becomes its host read label by label ("trang hanoi chấm gốp chấm vê en") and the path is
 * dropped — the caller is told where to go, not what to type.
 */
import { spellOut } from './spoken-abbreviations.js';
import { digitsByDigit } from './spoken-numbers.js';

/** Hosts (without "www.") a citizen knows by name. */
const KNOWN_SITES: ReadonlyMap<string, string> = new Map([
  ['dichvucong.gov.vn', 'Cổng Dịch vụ công quốc gia'],
  ['dichvucong.hanoi.gov.vn', 'Cổng Dịch vụ công thành phố Hà Nội'],
  ['hanoi.gov.vn', 'Cổng thông tin điện tử thành phố Hà Nội'],
  ['vneid.gov.vn', 'trang vê nê ai đi'],
  ['dichvucong.bocongan.gov.vn', 'Cổng Dịch vụ công Bộ Công an'],
  ['dangkykinhdoanh.gov.vn', 'Cổng thông tin quốc gia về đăng ký doanh nghiệp'],
  ['thuedientu.gdt.gov.vn', 'trang thuế điện tử'],
  ['baohiemxahoi.gov.vn', 'trang Bảo hiểm xã hội Việt Nam'],
  ['vbpl.vn', 'trang văn bản pháp luật'],
  ['chinhphu.vn', 'Cổng thông tin điện tử Chính phủ'],
]);

/** Domain labels people say as words. */
const LABEL_WORDS: ReadonlyMap<string, string> = new Map([
  ['gov', 'gốp'],
  ['vn', 'vê en'],
  ['com', 'com'],
  ['net', 'nét'],
  ['org', 'o rờ gờ'],
  ['edu', 'e đu'],
  ['info', 'in phô'],
  ['io', 'i o'],
]);

function speakLabel(label: string): string {
  const known = LABEL_WORDS.get(label);
  if (known) return known;
  if (/^\d+$/.test(label)) return digitsByDigit(label);
  // A label without a vowel ("gdt") cannot be read as a word: spell it.
  if (!/[aeiouy]/.test(label) || /\d/.test(label)) return spellOut(label.replace(/-/g, ''));
  return label.replace(/-/g, ' ');
}

/** "https://www.dichvucong.gov.vn/p/home/…" → "Cổng Dịch vụ công quốc gia". */
export function speakUrl(url: string): string {
  const host = url
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/[/?#:].*$/s, '')
    .toLowerCase()
    .replace(/^www\./, '');
  const known = KNOWN_SITES.get(host);
  if (known) return known;
  return `trang ${host.split('.').filter(Boolean).map(speakLabel).join(' chấm ')}`;
}

/** "mot.cua@hanoi.gov.vn" → "địa chỉ thư mot chấm cua a còng hanoi chấm gốp chấm vê en". */
export function speakEmail(email: string): string {
  const [local = '', domain = ''] = email.toLowerCase().split('@');
  const localWords = local.split(/[._-]+/).filter(Boolean).map(speakLabel).join(' chấm ');
  return `địa chỉ thư ${localWords} a còng ${domain.split('.').filter(Boolean).map(speakLabel).join(' chấm ')}`;
}

const URL_RE = /(?:https?:\/\/|www\.)[^\s<>()"'\]]+|(?<![\p{L}\p{N}@.\-])(?:[a-z0-9][a-z0-9-]{0,62}\.){1,6}(?:vn|com|net|org|gov|edu|info|io)(?![\p{L}\p{N}.\-]*[\p{L}\p{N}])(?:\/[^\s<>()"']*)?/giu;
const EMAIL_RE = /[\p{L}\p{N}._+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})+/giu;
const TRAILING_PUNCTUATION = /[.,;:!?]+$/;

/** Every URL and e-mail address in `text` replaced by its spoken form. */
export function speakAddresses(text: string): string {
  const withoutEmail = text.includes('@')
    ? text.replace(EMAIL_RE, (m) => {
        const tail = TRAILING_PUNCTUATION.exec(m)?.[0] ?? '';
        return ` ${speakEmail(m.slice(0, m.length - tail.length))}${tail} `;
      })
    : text;
  return withoutEmail.replace(URL_RE, (m) => {
      const tail = TRAILING_PUNCTUATION.exec(m)?.[0] ?? '';
    return ` ${speakUrl(m.slice(0, m.length - tail.length))}${tail} `;
  });
}
