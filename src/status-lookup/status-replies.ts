/**
 * What the assistant says during a status lookup, in Vietnamese, for chat and for voice (short,
 * no links, no codes read out). Staff review the wording here, like `canned-replies.ts`.
 * Replies never repeat the whole receipt code: a code is named by its last four characters, so
 * no stored answer carries a code next to anything that verifies it.
 */
import type { AnswerStyle } from '../domain/answer.js';
import { HOTLINE } from '../domain/canned-replies.js';
import { calendarDaysBetween, formatDateVi, speakDateVi } from './application-dates.js';
import { type ApplicationRecord, type ApplicationStatus, FINAL_STATUSES } from './application-status.js';
import { maskName, maskPhone } from './personal-masking.js';
import { receiptCodeTail } from './receipt-code.js';

const RECEIPT = 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả';

/** Each status as the end of "Hồ sơ … của anh/chị …". */
const STATUS_WORDS: Readonly<Record<ApplicationStatus, string>> = {
  received: 'đã được tiếp nhận và đang chờ giải quyết',
  in_progress: 'đang được giải quyết',
  supplement_required: 'cần được bổ sung giấy tờ',
  completed_ready: 'đã có kết quả, đang chờ anh/chị đến nhận',
  returned: 'đã được trả kết quả',
  rejected: 'đã bị từ chối giải quyết',
  withdrawn: 'đã được rút theo đề nghị của người nộp',
};

/** Speech has no slashes: "anh/chị" is read "anh chị". */
const spoken = (s: string) => s.replaceAll('anh/chị', 'anh chị');

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

export function askForCodeReply(style: AnswerStyle): string {
  if (style === 'voice') return 'Anh chị vui lòng đọc mã hồ sơ ghi trên giấy tiếp nhận hồ sơ và hẹn trả kết quả.';
  return `Để tra cứu tình trạng hồ sơ, anh/chị vui lòng gửi mã hồ sơ (số biên nhận) in trên ${RECEIPT}, ví dụ 000.00.18.H26-250115-0001. Sau đó tôi sẽ hỏi 4 số cuối của số điện thoại đã đăng ký khi nộp hồ sơ để xác minh.`;
}

export function askForDigitsReply(code: string, style: AnswerStyle): string {
  if (style === 'voice') return 'Để xác minh, anh chị vui lòng đọc 4 số cuối của số điện thoại đã đăng ký khi nộp hồ sơ.';
  return `Tôi đã nhận mã hồ sơ có đuôi …${receiptCodeTail(code)}. Để bảo vệ thông tin của người nộp, anh/chị vui lòng gửi 4 số cuối của số điện thoại đã đăng ký khi nộp hồ sơ này.`;
}

export function digitsNeededReply(style: AnswerStyle): string {
  if (style === 'voice') return 'Tôi cần đúng 4 số cuối của số điện thoại đã đăng ký. Anh chị vui lòng đọc lại.';
  return 'Tôi cần đúng 4 chữ số cuối của số điện thoại đã đăng ký khi nộp hồ sơ (ví dụ: 5678). Anh/chị vui lòng gửi lại; nhắn "thôi" nếu không muốn tra cứu nữa.';
}

export function wrongDigitsReply(attemptsLeft: number, style: AnswerStyle): string {
  if (style === 'voice') return `4 số cuối chưa khớp. Anh chị còn ${attemptsLeft} lần thử.`;
  return `4 số cuối chưa khớp với số điện thoại đã đăng ký cho hồ sơ này. Anh/chị còn ${attemptsLeft} lần thử; sau đó việc tra cứu mã hồ sơ này sẽ tạm khóa 15 phút.`;
}

export function lockedReply(until: Date, now: Date, style: AnswerStyle): string {
  const wait = minutes(until.getTime() - now.getTime());
  if (style === 'voice') return `Mã hồ sơ này đã bị tạm khóa tra cứu do xác minh sai nhiều lần. Anh chị thử lại sau ${wait} phút hoặc gọi tổng đài ${HOTLINE}.`;
  return `Vì xác minh sai nhiều lần, việc tra cứu mã hồ sơ này đang tạm khóa, anh/chị thử lại sau khoảng ${wait} phút. Nếu cần gấp, anh/chị gọi tổng đài ${HOTLINE} hoặc mang ${RECEIPT} cùng giấy tờ tùy thân đến nơi đã nộp hồ sơ.`;
}

export function rateLimitedReply(retryAfterMs: number, style: AnswerStyle): string {
  const wait = minutes(retryAfterMs);
  if (style === 'voice') return `Anh chị đã tra cứu nhiều mã hồ sơ trong thời gian ngắn. Vui lòng thử lại sau ${wait} phút hoặc gọi tổng đài ${HOTLINE}.`;
  return `Anh/chị đã tra cứu nhiều mã hồ sơ khác nhau trong thời gian ngắn, nên tôi tạm dừng tra cứu mã mới. Anh/chị vui lòng thử lại sau khoảng ${wait} phút, hoặc gọi tổng đài ${HOTLINE}.`;
}

export function unknownCodeReply(style: AnswerStyle): string {
  if (style === 'voice') return `Tôi không tìm thấy hồ sơ với mã này. Anh chị kiểm tra lại mã trên giấy tiếp nhận hồ sơ, hoặc gọi tổng đài ${HOTLINE}.`;
  return `Tôi không tìm thấy hồ sơ nào có mã này trên hệ thống. Anh/chị vui lòng kiểm tra lại mã hồ sơ in trên ${RECEIPT} (chú ý các dấu chấm, gạch ngang và chữ H26), rồi gửi lại. Hồ sơ vừa nộp có thể cần ít giờ để hiện trên hệ thống; nếu vẫn không thấy, anh/chị gọi tổng đài ${HOTLINE}.`;
}

export function backendDownReply(style: AnswerStyle): string {
  if (style === 'voice') return `Xin lỗi, hệ thống tra cứu hồ sơ đang tạm thời không phản hồi. Anh chị vui lòng thử lại sau hoặc gọi tổng đài ${HOTLINE}.`;
  return `Xin lỗi, hệ thống tra cứu tình trạng hồ sơ đang tạm thời không phản hồi nên tôi chưa thể cho anh/chị biết hồ sơ đang ở bước nào. Anh/chị vui lòng thử lại sau ít phút hoặc gọi tổng đài ${HOTLINE} để được hỗ trợ.`;
}

export function expiredReply(style: AnswerStyle): string {
  if (style === 'voice') return 'Phiên xác minh đã hết thời gian. Anh chị vui lòng đọc lại mã hồ sơ.';
  return 'Phiên xác minh trước đã hết thời gian chờ. Anh/chị vui lòng gửi lại mã hồ sơ, rồi 4 số cuối của số điện thoại đã đăng ký.';
}

export function cannotVerifyReply(style: AnswerStyle): string {
  if (style === 'voice') return `Nếu không nhớ số điện thoại đã đăng ký, anh chị gọi tổng đài ${HOTLINE} hoặc mang giấy tiếp nhận hồ sơ đến nơi đã nộp.`;
  return `Nếu không nhớ hoặc không còn dùng số điện thoại đã đăng ký, tôi không thể cho biết thông tin hồ sơ qua kênh này. Anh/chị mang ${RECEIPT} cùng giấy tờ tùy thân đến nơi đã nộp hồ sơ, hoặc gọi tổng đài ${HOTLINE} để được hỗ trợ.`;
}

export function noPhoneOnFileReply(style: AnswerStyle): string {
  if (style === 'voice') return `Hồ sơ này không có số điện thoại để xác minh. Anh chị vui lòng gọi tổng đài ${HOTLINE}.`;
  return `Hồ sơ này không có số điện thoại đăng ký để xác minh qua kênh trực tuyến. Anh/chị mang ${RECEIPT} cùng giấy tờ tùy thân đến nơi đã nộp hồ sơ, hoặc gọi tổng đài ${HOTLINE}.`;
}

/** Due-date situation of an application on `now`. */
export function dueSituation(r: ApplicationRecord, now: Date): { overdue: boolean; daysOverdue: number; daysLeft: number } {
  const overdue = !FINAL_STATUSES.has(r.status) && now.getTime() > r.dueAt.getTime();
  return {
    overdue,
    daysOverdue: overdue ? Math.max(0, calendarDaysBetween(r.dueAt, now)) : 0,
    daysLeft: overdue ? 0 : Math.max(0, calendarDaysBetween(now, r.dueAt)),
  };
}

/** The answer to a verified lookup. */
export function applicationAnswer(r: ApplicationRecord, now: Date, style: AnswerStyle): string {
  const due = dueSituation(r, now);
  const contact = r.agency ? `${r.agency}` : 'nơi đã nộp hồ sơ';
  if (style === 'voice') {
    // At most three sentences: the status, the due date, what to do.
    const name = r.procedureName.charAt(0).toLocaleLowerCase('vi') + r.procedureName.slice(1);
    const sentences = [`Hồ sơ ${name} của anh chị ${spoken(STATUS_WORDS[r.status])}.`];
    if (due.overdue) sentences.push(`Ngày hẹn trả là ${speakDateVi(r.dueAt)}, đã quá hạn${due.daysOverdue > 0 ? ` ${due.daysOverdue} ngày` : ''}.`);
    else if (!FINAL_STATUSES.has(r.status)) sentences.push(`Ngày hẹn trả kết quả là ${speakDateVi(r.dueAt)}.`);
    if (r.status === 'completed_ready') sentences.push(`Anh chị mang giấy tiếp nhận hồ sơ cùng giấy tờ tùy thân đến ${r.returnPlace ?? contact} để nhận kết quả.`);
    else if (r.status === 'supplement_required') sentences.push(`Anh chị vui lòng liên hệ ${contact} để biết giấy tờ cần bổ sung.`);
    else if (due.overdue || r.status === 'rejected') sentences.push(`Anh chị có thể liên hệ ${contact} hoặc gọi tổng đài ${HOTLINE} để được giải thích.`);
    return sentences.join(' ');
  }

  const lines = [`Thông tin hồ sơ có mã đuôi …${receiptCodeTail(r.receiptCode)}:`];
  lines.push(`- Thủ tục: ${r.procedureName}${r.procedureCode ? ` (mã ${r.procedureCode})` : ''}`);
  lines.push(`- Người nộp: ${maskName(r.applicantName)}, điện thoại ${maskPhone(r.phone)}`);
  lines.push(`- Tình trạng: ${capitalise(STATUS_WORDS[r.status])} (hệ thống ghi: "${r.statusLabel}")`);
  lines.push(`- Ngày tiếp nhận: ${formatDateVi(r.receivedAt)}`);
  let dueLine = `- Ngày hẹn trả kết quả: ${formatDateVi(r.dueAt)}`;
  if (due.overdue) dueLine += due.daysOverdue > 0 ? ` — đã quá hạn ${due.daysOverdue} ngày` : ' — đã quá giờ hẹn trả hôm nay';
  else if (!FINAL_STATUSES.has(r.status)) dueLine += due.daysLeft === 0 ? ' (hôm nay)' : ` (còn ${due.daysLeft} ngày)`;
  lines.push(dueLine);
  if (r.completedAt && (r.status === 'completed_ready' || r.status === 'returned')) {
    lines.push(`- Ngày có kết quả: ${formatDateVi(r.completedAt)}`);
  }
  if (r.agency) lines.push(`- Cơ quan giải quyết: ${r.agency}`);
  if (r.returnPlace && (r.status === 'completed_ready' || !FINAL_STATUSES.has(r.status))) lines.push(`- Nơi trả kết quả: ${r.returnPlace}`);

  const advice: string[] = [];
  if (due.overdue) {
    advice.push(`Hồ sơ đã quá ngày hẹn trả. Anh/chị có thể liên hệ ${contact} hoặc gọi tổng đài ${HOTLINE} để được giải thích lý do và hẹn lại ngày trả kết quả.`);
  }
  if (r.status === 'supplement_required') {
    advice.push(`Cơ quan giải quyết đã yêu cầu bổ sung hồ sơ; giấy tờ cần bổ sung ghi trong phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. Nếu chưa nhận được phiếu, anh/chị liên hệ ${contact} hoặc gọi tổng đài ${HOTLINE}.`);
  } else if (r.status === 'completed_ready') {
    advice.push(`Anh/chị mang theo ${RECEIPT} cùng giấy tờ tùy thân đến ${r.returnPlace ?? contact} để nhận kết quả.`);
  } else if (r.status === 'rejected') {
    advice.push(`Lý do từ chối được ghi trong văn bản trả lời của cơ quan giải quyết. Anh/chị liên hệ ${contact} hoặc gọi tổng đài ${HOTLINE} nếu cần được giải thích.`);
  }
  return [lines.join('\n'), ...advice].join('\n\n');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function cancelledReply(style: AnswerStyle): string {
  if (style === 'voice') return 'Vâng, tôi đã dừng tra cứu hồ sơ. Anh chị cần hỏi thủ tục nào cứ nói với tôi.';
  return 'Vâng, tôi đã dừng tra cứu hồ sơ. Anh/chị cần hỏi về thủ tục nào cứ nhắn cho tôi.';
}
