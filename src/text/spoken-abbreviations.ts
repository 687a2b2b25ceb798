/**
 * Abbreviations of Vietnamese administration and how a person says them on the phone. A TTS
 * voice spells "UBND" letter by letter or stumbles on it; callers expect "Ủy ban nhân dân".
 * Unknown initialisms are spelled with Vietnamese letter names ("GMP" → "giê em pê").
 */
import { digitsByDigit } from './spoken-numbers.js';

/** Exact (case-sensitive) token → spoken words. */
export const SPOKEN_ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  // Bodies and levels of government
  ['UBND', 'Ủy ban nhân dân'],
  ['HĐND', 'Hội đồng nhân dân'],
  ['CP', 'Chính phủ'],
  ['TTg', 'Thủ tướng Chính phủ'],
  ['QH', 'Quốc hội'],
  ['UBTVQH', 'Ủy ban Thường vụ Quốc hội'],
  ['CTN', 'Chủ tịch nước'],
  ['VPCP', 'Văn phòng Chính phủ'],
  ['TTCP', 'Thanh tra Chính phủ'],
  ['KTNN', 'Kiểm toán Nhà nước'],
  ['NHNN', 'Ngân hàng Nhà nước'],
  ['KBNN', 'Kho bạc Nhà nước'],
  ['TAND', 'Tòa án nhân dân'],
  ['TANDTC', 'Tòa án nhân dân tối cao'],
  ['VKSND', 'Viện kiểm sát nhân dân'],
  ['VKSNDTC', 'Viện kiểm sát nhân dân tối cao'],
  ['MTTQ', 'Mặt trận Tổ quốc'],
  ['TW', 'Trung ương'],
  ['BQL', 'Ban quản lý'],
  ['CA', 'công an'],
  ['CSGT', 'cảnh sát giao thông'],
  ['PCCC', 'phòng cháy chữa cháy'],
  ['VPĐKĐĐ', 'Văn phòng đăng ký đất đai'],
  // Ministries (issuers in legal document numbers: 10/2024/TT-BTC)
  ['BTC', 'Bộ Tài chính'],
  ['BCA', 'Bộ Công an'],
  ['BTP', 'Bộ Tư pháp'],
  ['BQP', 'Bộ Quốc phòng'],
  ['BXD', 'Bộ Xây dựng'],
  ['BGTVT', 'Bộ Giao thông vận tải'],
  ['BYT', 'Bộ Y tế'],
  ['BNV', 'Bộ Nội vụ'],
  ['BNG', 'Bộ Ngoại giao'],
  ['BCT', 'Bộ Công Thương'],
  ['BKHĐT', 'Bộ Kế hoạch và Đầu tư'],
  ['BKHCN', 'Bộ Khoa học và Công nghệ'],
  ['BGDĐT', 'Bộ Giáo dục và Đào tạo'],
  ['BLĐTBXH', 'Bộ Lao động, Thương binh và Xã hội'],
  ['BNN', 'Bộ Nông nghiệp'],
  ['BNNMT', 'Bộ Nông nghiệp và Môi trường'],
  ['BNNPTNT', 'Bộ Nông nghiệp và Phát triển nông thôn'],
  ['BTNMT', 'Bộ Tài nguyên và Môi trường'],
  ['BTTTT', 'Bộ Thông tin và Truyền thông'],
  ['BVHTTDL', 'Bộ Văn hóa, Thể thao và Du lịch'],
  ['BDTTG', 'Bộ Dân tộc và Tôn giáo'],
  // Document types
  ['NĐ', 'nghị định'],
  ['ND', 'nghị định'],
  ['TT', 'thông tư'],
  ['TTLT', 'thông tư liên tịch'],
  ['QĐ', 'quyết định'],
  ['NQ', 'nghị quyết'],
  ['CT', 'chỉ thị'],
  ['PL', 'pháp lệnh'],
  ['HD', 'hướng dẫn'],
  ['CV', 'công văn'],
  ['TB', 'thông báo'],
  ['KH', 'kế hoạch'],
  // Papers, services, everyday administration
  ['CCCD', 'căn cước công dân'],
  ['CMND', 'chứng minh nhân dân'],
  ['GPLX', 'giấy phép lái xe'],
  ['BHXH', 'bảo hiểm xã hội'],
  ['BHYT', 'bảo hiểm y tế'],
  ['BHTN', 'bảo hiểm thất nghiệp'],
  ['TTHC', 'thủ tục hành chính'],
  ['MST', 'mã số thuế'],
  ['GCN', 'giấy chứng nhận'],
  ['QSDĐ', 'quyền sử dụng đất'],
  ['QSD', 'quyền sử dụng'],
  ['ĐKKD', 'đăng ký kinh doanh'],
  ['ĐKDN', 'đăng ký doanh nghiệp'],
  ['GPKD', 'giấy phép kinh doanh'],
  ['HTX', 'hợp tác xã'],
  ['DN', 'doanh nghiệp'],
  ['TNHH', 'trách nhiệm hữu hạn'],
  ['CCHN', 'chứng chỉ hành nghề'],
  ['CSDL', 'cơ sở dữ liệu'],
  ['CNTT', 'công nghệ thông tin'],
  ['GTVT', 'giao thông vận tải'],
  ['TNMT', 'tài nguyên và môi trường'],
  ['THPT', 'trung học phổ thông'],
  ['THCS', 'trung học cơ sở'],
  ['ĐH', 'đại học'],
  ['KCN', 'khu công nghiệp'],
  ['XNC', 'xuất nhập cảnh'],
  ['XNK', 'xuất nhập khẩu'],
  ['SĐT', 'số điện thoại'],
  ['ĐT', 'điện thoại'],
  ['STT', 'số thứ tự'],
  ['HKVN', 'Hàng không Việt Nam'],
  ['ODA', 'ô đê a'],
  ['ASEAN', 'A xê an'],
  ['USD', 'đô la Mỹ'],
  ['VNĐ', 'đồng'],
  ['VND', 'đồng'],
  ['VN', 'Việt Nam'],
  ['HN', 'Hà Nội'],
  ['HCM', 'Hồ Chí Minh'],
  ['TPHCM', 'Thành phố Hồ Chí Minh'],
  ['TP', 'thành phố'],
  ['Tp', 'thành phố'],
  ['VNeID', 'vê nê ai đi'],
  ['AI', 'ây ai'],
  ['PDF', 'pê đê ép'],
]);

/** Vietnamese letter names, as people spell initialisms aloud ("GPLX" → "giê pê e lờ ích"). */
const LETTER_NAMES: Readonly<Record<string, string>> = {
  a: 'a', b: 'bê', c: 'xê', d: 'dê', đ: 'đê', e: 'e', f: 'ép', g: 'giê', h: 'hát', i: 'i', j: 'gi',
  k: 'ca', l: 'e lờ', m: 'em', n: 'en', o: 'o', p: 'pê', q: 'quy', r: 'e rờ', s: 'ét', t: 'tê',
  u: 'u', v: 'vê', w: 'vê kép', x: 'ích', y: 'i dài', z: 'dét',
};

/** Letters by name and digits one by one: "H26" → "hát hai sáu", "DC02" → "dê xê không hai". */
export function spellOut(token: string): string {
  const out: string[] = [];
  for (const ch of token) {
    if (ch >= '0' && ch <= '9') out.push(digitsByDigit(ch));
    else {
      const name = LETTER_NAMES[ch.toLowerCase()];
      out.push(name ?? ch.toLowerCase());
    }
  }
  return out.join(' ');
}

/**
 * The longest known issuer/abbreviation at the start of an upper-case run, and what is left:
 * catalogue text glues codes to the next word ("BCALuật" → "BCA" + "Luật"). Returns null when
 * no known abbreviation starts the run.
 */
export function knownPrefix(run: string): { spoken: string; length: number } | null {
  for (let len = Math.min(run.length, 8); len >= 2; len--) {
    const spoken = SPOKEN_ABBREVIATIONS.get(run.slice(0, len));
    if (spoken) return { spoken, length: len };
  }
  return null;
}
