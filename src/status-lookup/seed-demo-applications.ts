import type { ApplicationRecord, ApplicationStatus } from './application-status.js';
import type { SqliteStatusSource } from './sqlite-status-source.js';

/**
 * A realistic demo set for the SQLite stand-in: common Hanoi procedures, every status, some
 * overdue, some waiting for supplements. Names and phone numbers are invented. Receipt codes are
 * fixed (documented, typed in demos); dates are set relative to the day of seeding, so a fresh
 * seed always has applications due tomorrow and overdue ones.
 */

interface DemoRow {
  code: string;
  procedure: keyof typeof PROCEDURES;
  status: ApplicationStatus;
  label: string;
  /** Days before the seeding day the application was received. */
  receivedDaysAgo: number;
  /** Days from the seeding day to the due date (negative: in the past). */
  dueInDays: number;
  /** Days before the seeding day the result was ready, for finished ones. */
  completedDaysAgo?: number;
  name: string;
  phone: string;
  ward: string;
}

const PROCEDURES = {
  '1.001193': { name: 'Đăng ký khai sinh', agency: 'UBND', place: 'Bộ phận Một cửa UBND' },
  '1.000894': { name: 'Đăng ký kết hôn', agency: 'UBND', place: 'Bộ phận Một cửa UBND' },
  '1.004222': { name: 'Đăng ký thường trú', agency: 'Công an', place: 'Bộ phận tiếp dân Công an' },
  '1.003677': { name: 'Khai báo tạm vắng', agency: 'Công an', place: 'Bộ phận tiếp dân Công an' },
  '1.014064': { name: 'Cấp lại thẻ căn cước', agency: 'Công an', place: 'Bộ phận tiếp dân Công an' },
  '1.001612': { name: 'Đăng ký thành lập hộ kinh doanh', agency: 'UBND', place: 'Trung tâm Phục vụ hành chính công' },
  '3.000347': { name: 'Đổi giấy phép lái xe', agency: 'Phòng Cảnh sát giao thông Công an thành phố Hà Nội', place: 'Điểm tiếp nhận Công an' },
} as const;

const ROWS: readonly DemoRow[] = [
  { code: '000.00.18.H26-250115-0001', procedure: '1.001193', status: 'completed_ready', label: 'Đã có kết quả, chờ trả', receivedDaysAgo: 3, dueInDays: -2, completedDaysAgo: 2, name: 'Nguyễn Văn An', phone: '0912004821', ward: 'phường Ba Đình' },
  { code: '000.00.18.H26-250115-0002', procedure: '1.001193', status: 'returned', label: 'Đã trả kết quả', receivedDaysAgo: 12, dueInDays: -11, completedDaysAgo: 11, name: 'Trần Thị Bình', phone: '0983007305', ward: 'phường Ba Đình' },
  { code: '000.00.18.H26-250116-0003', procedure: '1.001193', status: 'in_progress', label: 'Đang xử lý', receivedDaysAgo: 0, dueInDays: 1, name: 'Lê Hoàng Cường', phone: '0904001968', ward: 'phường Ba Đình' },
  { code: '000.00.21.H26-250110-0004', procedure: '1.000894', status: 'in_progress', label: 'Đang thẩm định', receivedDaysAgo: 2, dueInDays: 3, name: 'Phạm Thu Dung', phone: '0936006243', ward: 'phường Cầu Giấy' },
  { code: '000.00.21.H26-250108-0005', procedure: '1.000894', status: 'in_progress', label: 'Đang xử lý - quá hạn', receivedDaysAgo: 9, dueInDays: -4, name: 'Hoàng Minh Đức', phone: '0968003517', ward: 'phường Cầu Giấy' },
  { code: '000.00.21.H26-250105-0006', procedure: '1.000894', status: 'completed_ready', label: 'Chờ trả kết quả', receivedDaysAgo: 6, dueInDays: -1, completedDaysAgo: 2, name: 'Vũ Thị Hà', phone: '0379009082', ward: 'phường Cầu Giấy' },
  { code: '000.31.05.H26-250102-0007', procedure: '1.004222', status: 'supplement_required', label: 'Yêu cầu bổ sung hồ sơ', receivedDaysAgo: 4, dueInDays: 3, name: 'Đặng Quốc Hùng', phone: '0868002674', ward: 'phường Đống Đa' },
  { code: '000.31.05.H26-250103-0008', procedure: '1.004222', status: 'in_progress', label: 'Đang giải quyết', receivedDaysAgo: 5, dueInDays: 2, name: 'Bùi Thị Lan', phone: '0915005139', ward: 'phường Đống Đa' },
  { code: '000.31.05.H26-241220-0009', procedure: '1.004222', status: 'in_progress', label: 'Đang xử lý', receivedDaysAgo: 14, dueInDays: -7, name: 'Đỗ Văn Long', phone: '0977008406', ward: 'phường Đống Đa' },
  { code: '000.31.05.H26-241218-0010', procedure: '1.004222', status: 'rejected', label: 'Từ chối giải quyết', receivedDaysAgo: 16, dueInDays: -9, completedDaysAgo: 10, name: 'Ngô Thị Mai', phone: '0388000751', ward: 'phường Đống Đa' },
  { code: '000.31.05.H26-250111-0011', procedure: '1.004222', status: 'received', label: 'Mới tiếp nhận', receivedDaysAgo: 0, dueInDays: 7, name: 'Dương Đức Nam', phone: '0941006928', ward: 'phường Đống Đa' },
  { code: '000.31.07.H26-250106-0012', procedure: '1.014064', status: 'in_progress', label: 'Đang xử lý', receivedDaysAgo: 3, dueInDays: 4, name: 'Lý Thị Oanh', phone: '0962003384', ward: 'phường Hoàn Kiếm' },
  { code: '000.31.07.H26-241225-0013', procedure: '1.014064', status: 'in_progress', label: 'Chờ phê duyệt', receivedDaysAgo: 10, dueInDays: -3, name: 'Phan Văn Phúc', phone: '0357007712', ward: 'phường Hoàn Kiếm' },
  { code: '000.31.07.H26-241222-0014', procedure: '1.014064', status: 'completed_ready', label: 'Đã có kết quả', receivedDaysAgo: 9, dueInDays: -2, completedDaysAgo: 3, name: 'Trịnh Thị Quỳnh', phone: '0903001450', ward: 'phường Hoàn Kiếm' },
  { code: '000.31.07.H26-241215-0015', procedure: '1.014064', status: 'returned', label: 'Đã trả kết quả', receivedDaysAgo: 20, dueInDays: -13, completedDaysAgo: 14, name: 'Đinh Công Sơn', phone: '0988009867', ward: 'phường Hoàn Kiếm' },
  { code: '000.31.07.H26-250104-0016', procedure: '1.014064', status: 'supplement_required', label: 'Cần bổ sung', receivedDaysAgo: 5, dueInDays: -1, name: 'Mai Thị Thảo', phone: '0934002295', ward: 'phường Hoàn Kiếm' },
  { code: '000.31.09.H26-250107-0017', procedure: '1.003677', status: 'completed_ready', label: 'Hoàn thành', receivedDaysAgo: 1, dueInDays: 0, completedDaysAgo: 0, name: 'Tạ Văn Tuấn', phone: '0971005573', ward: 'phường Tây Hồ' },
  { code: '000.31.09.H26-250109-0018', procedure: '1.003677', status: 'withdrawn', label: 'Công dân rút hồ sơ', receivedDaysAgo: 2, dueInDays: -1, completedDaysAgo: 1, name: 'Hồ Thị Uyên', phone: '0365008031', ward: 'phường Tây Hồ' },
  { code: 'H26.99-250101-0019', procedure: '1.001612', status: 'in_progress', label: 'Đang xử lý', receivedDaysAgo: 1, dueInDays: 2, name: 'Chu Văn Vinh', phone: '0916004169', ward: 'phường Thanh Xuân' },
  { code: 'H26.99-241230-0020', procedure: '1.001612', status: 'supplement_required', label: 'Yêu cầu bổ sung', receivedDaysAgo: 6, dueInDays: -3, name: 'Lương Thị Xuân', phone: '0948006647', ward: 'phường Thanh Xuân' },
  { code: 'H26.99-241228-0021', procedure: '1.001612', status: 'completed_ready', label: 'Đã có kết quả', receivedDaysAgo: 5, dueInDays: -2, completedDaysAgo: 1, name: 'Kiều Văn Yên', phone: '0986000384', ward: 'phường Thanh Xuân' },
  { code: 'H26.50-250103-0022', procedure: '3.000347', status: 'in_progress', label: 'Đang xử lý', receivedDaysAgo: 2, dueInDays: 3, name: 'Nguyễn Thị Hồng', phone: '0395003926', ward: 'phường Long Biên' },
  { code: 'H26.50-241216-0023', procedure: '3.000347', status: 'in_progress', label: 'Đang in giấy phép - trễ hẹn', receivedDaysAgo: 15, dueInDays: -10, name: 'Trần Đức Khang', phone: '0909007258', ward: 'phường Long Biên' },
  { code: 'H26.50-241210-0024', procedure: '3.000347', status: 'returned', label: 'Đã trả kết quả', receivedDaysAgo: 25, dueInDays: -20, completedDaysAgo: 21, name: 'Lê Thị Ngọc', phone: '0973001803', ward: 'phường Long Biên' },
];

const DAY_MS = 24 * 60 * 60 * 1000;
const VN_OFFSET_MS = 7 * 60 * 60 * 1000;

/** `hour`:00 Hanoi time, `days` calendar days from the day of `now` (Hanoi). */
function hanoiAt(now: Date, days: number, hour: number): Date {
  const localMidnight = Math.floor((now.getTime() + VN_OFFSET_MS) / DAY_MS) * DAY_MS;
  return new Date(localMidnight + days * DAY_MS + hour * 60 * 60 * 1000 - VN_OFFSET_MS);
}

/** The demo applications as they stand on the day of `now`. */
export function demoApplications(now: Date): ApplicationRecord[] {
  return ROWS.map((row) => {
    const p = PROCEDURES[row.procedure];
    const agency = p.agency === 'UBND' || p.agency === 'Công an' ? `${p.agency} ${row.ward}` : p.agency;
    const record: ApplicationRecord = {
      receiptCode: row.code,
      procedureCode: row.procedure,
      procedureName: p.name,
      status: row.status,
      statusLabel: row.label,
      receivedAt: hanoiAt(now, -row.receivedDaysAgo, 9),
      dueAt: hanoiAt(now, row.dueInDays, 17),
      applicantName: row.name,
      phone: row.phone,
      agency,
      returnPlace: `${p.place} ${row.ward}`.replace('Trung tâm Phục vụ hành chính công phường', 'Trung tâm Phục vụ hành chính công, chi nhánh phường'),
    };
    if (row.completedDaysAgo !== undefined) record.completedAt = hanoiAt(now, -row.completedDaysAgo, 15);
    return record;
  });
}

/** Writes the demo set (replacing rows with the same codes, so seeding twice leaves one set). */
export function seedDemoApplications(store: SqliteStatusSource, now: Date = new Date()): number {
  return store.upsert(demoApplications(now));
}
