import type { Language } from './answer.js';

/**
 * Every fixed sentence the assistant says, in Vietnamese and English, in one place so that
 * staff can review the wording without reading code. Steps pick a reply by key; none writes
 * user-facing text of its own.
 */
export const HOTLINE = '19001009';

const REPLIES = {
  greeting: {
    vi: 'Xin chào! Tôi là trợ lý của Trung tâm Phục vụ hành chính công Hà Nội. Anh/chị cần hỏi về thủ tục hành chính nào (giấy tờ cần chuẩn bị, lệ phí, thời hạn, nơi nộp)?',
    en: 'Hello! I am the assistant of the Hanoi Public Administrative Service Center. Which administrative procedure would you like to ask about (documents, fees, processing time, where to submit)?',
  },
  thanks: {
    vi: 'Không có gì ạ. Anh/chị cần hỏi thêm thủ tục nào cứ nhắn cho tôi nhé.',
    en: 'You are welcome. Ask me any time about another procedure.',
  },
  goodbye: {
    vi: 'Chào anh/chị, chúc anh/chị làm thủ tục thuận lợi!',
    en: 'Goodbye, and good luck with your application!',
  },
  out_of_scope: {
    vi: `Tôi chỉ hỗ trợ thông tin về thủ tục hành chính (hồ sơ, lệ phí, thời hạn, nơi nộp). Với câu hỏi khác, anh/chị vui lòng gọi tổng đài ${HOTLINE} hoặc nhắn "gặp cán bộ" để được cán bộ hỗ trợ.`,
    en: `I can only help with administrative procedures (documents, fees, processing times, where to submit). For anything else, please call ${HOTLINE} or type "talk to an officer".`,
  },
  no_content: {
    vi: `Tôi chưa tìm thấy thủ tục phù hợp với câu hỏi. Anh/chị có thể nói rõ hơn việc cần làm (ví dụ: "đăng ký khai sinh", "cấp lại căn cước"), hoặc gọi tổng đài ${HOTLINE} để được hỗ trợ.`,
    en: `I could not find a matching procedure. Could you describe what you need to do (for example "birth registration", "replace an ID card")? You can also call ${HOTLINE}.`,
  },
  clarification: {
    vi: 'Câu hỏi của anh/chị có thể liên quan đến một trong các thủ tục sau. Anh/chị trả lời bằng số thứ tự hoặc tên thủ tục:',
    en: 'Your question may concern one of these procedures. Please reply with the number or the name:',
  },
  injection: {
    vi: 'Tôi không thể thực hiện yêu cầu này. Tôi chỉ trả lời câu hỏi về thủ tục hành chính dựa trên dữ liệu chính thức.',
    en: 'I cannot do that. I only answer questions about administrative procedures from the official records.',
  },
  abuse: {
    vi: `Tôi rất tiếc nếu anh/chị đang gặp khó khăn. Tôi sẵn sàng hỗ trợ về thủ tục hành chính; nếu cần trao đổi với cán bộ, anh/chị nhắn "gặp cán bộ" hoặc gọi ${HOTLINE}.`,
    en: `I am sorry you are having a hard time. I am glad to help with any procedure; to talk to an officer, type "talk to an officer" or call ${HOTLINE}.`,
  },
  personal_data_notice: {
    vi: 'Lưu ý: anh/chị không cần gửi số giấy tờ, số điện thoại hay địa chỉ cá nhân; tôi đã ẩn các thông tin đó.',
    en: 'Note: you do not need to send ID numbers, phone numbers or addresses; I have hidden them.',
  },
  personal_data_only: {
    vi: 'Tôi đã ẩn thông tin cá nhân trong tin nhắn để bảo vệ anh/chị. Anh/chị cần hỏi về thủ tục nào ạ?',
    en: 'I have hidden the personal data in your message to protect you. Which procedure would you like to ask about?',
  },
  handoff_requested: {
    vi: `Tôi đã chuyển yêu cầu của anh/chị tới cán bộ của Trung tâm. Cán bộ sẽ trả lời ngay trong cuộc trò chuyện này khi sẵn sàng (giờ hành chính). Nếu cần gấp, anh/chị gọi tổng đài ${HOTLINE}.`,
    en: `I have passed your request to an officer of the Center, who will reply in this conversation when available (office hours). If it is urgent, call ${HOTLINE}.`,
  },
  complaint_handoff: {
    vi: `Cảm ơn anh/chị đã phản ánh. Tôi đã chuyển nội dung tới cán bộ phụ trách để xem xét và phản hồi trong cuộc trò chuyện này. Anh/chị cũng có thể gọi tổng đài ${HOTLINE}.`,
    en: `Thank you for your feedback. I have passed it to the officer in charge, who will reply in this conversation. You can also call ${HOTLINE}.`,
  },
  too_long: {
    vi: 'Tin nhắn quá dài nên tôi chỉ đọc phần đầu. Anh/chị vui lòng hỏi ngắn gọn từng việc một.',
    en: 'Your message was too long, so I only read the beginning. Please ask one thing at a time.',
  },
  empty: {
    vi: 'Anh/chị vui lòng nhập câu hỏi về thủ tục hành chính.',
    en: 'Please type your question about an administrative procedure.',
  },
  error_internal: {
    vi: `Xin lỗi, hệ thống đang gặp sự cố. Anh/chị vui lòng thử lại sau ít phút hoặc gọi tổng đài ${HOTLINE}.`,
    en: `Sorry, something went wrong on our side. Please try again in a few minutes or call ${HOTLINE}.`,
  },
  error_timeout: {
    vi: `Xin lỗi, câu trả lời mất quá nhiều thời gian. Anh/chị vui lòng thử lại hoặc gọi tổng đài ${HOTLINE}.`,
    en: `Sorry, the answer took too long. Please try again or call ${HOTLINE}.`,
  },
  rate_limited: {
    vi: 'Anh/chị gửi tin nhắn quá nhanh. Vui lòng đợi một chút rồi thử lại.',
    en: 'You are sending messages too quickly. Please wait a moment and try again.',
  },
  field_missing: {
    vi: `Dữ liệu chính thức của thủ tục này chưa có thông tin về nội dung anh/chị hỏi. Anh/chị xem trang thủ tục trên Cổng Dịch vụ công hoặc gọi tổng đài ${HOTLINE}.`,
    en: `The official record of this procedure does not say. Please check the procedure page on the National Public Service Portal or call ${HOTLINE}.`,
  },
  unanswered_twice_handoff: {
    vi: `Xin lỗi, tôi chưa trả lời được câu hỏi của anh/chị. Tôi đã chuyển cuộc trò chuyện tới cán bộ của Trung tâm để hỗ trợ tiếp; anh/chị cũng có thể gọi tổng đài ${HOTLINE}.`,
    en: `Sorry, I could not answer your question. I have passed the conversation to an officer of the Center; you can also call ${HOTLINE}.`,
  },
  handoff_waiting: {
    vi: 'Cuộc trò chuyện của anh/chị đang chờ cán bộ tiếp nhận (vị trí {position} trong hàng chờ{wait}). Anh/chị cứ nhắn thêm nội dung cần hỏi, cán bộ sẽ đọc được.',
    en: 'Your conversation is waiting for an officer (position {position} in the queue{wait}). You can add details; the officer will read them.',
  },
  handoff_claimed: {
    vi: 'Cán bộ {staff} đã tiếp nhận cuộc trò chuyện và sẽ trả lời anh/chị ngay tại đây.',
    en: 'Officer {staff} has taken over the conversation and will reply here.',
  },
  handoff_returned: {
    vi: 'Cán bộ đã kết thúc phần hỗ trợ. Tôi (trợ lý tự động) tiếp tục trả lời anh/chị; cần gặp lại cán bộ, anh/chị nhắn "gặp cán bộ".',
    en: 'The officer has finished. I (the assistant) am back; to talk to an officer again, type "talk to an officer".',
  },
  handoff_closed: {
    vi: 'Cán bộ đã kết thúc cuộc trò chuyện. Cảm ơn anh/chị đã liên hệ Trung tâm! Anh/chị vui lòng đánh giá sự hỗ trợ vừa rồi; cần hỏi thêm, anh/chị cứ nhắn cho tôi (trợ lý tự động).',
    en: 'The officer has closed the conversation. Thank you for contacting the Center! Please rate the help you received; for more questions, just message me (the assistant).',
  },
  rating_thanks: {
    vi: 'Cảm ơn anh/chị đã đánh giá. Ý kiến của anh/chị giúp Trung tâm phục vụ tốt hơn.',
    en: 'Thank you for your rating; it helps the Center serve you better.',
  },
  rating_more_help: {
    vi: 'Rất tiếc câu trả lời chưa giúp được anh/chị. Anh/chị có muốn gặp cán bộ để được hỗ trợ thêm không? Nhắn "gặp cán bộ" hoặc bấm nút "Gặp cán bộ".',
    en: 'Sorry the answer did not help. Would you like to talk to an officer? Type "talk to an officer" or press the button.',
  },
  // Channels (Messenger, Zalo…): the notice for what cannot be read, and button labels (≤ 20 characters).
  text_only: {
    vi: 'Xin lỗi, hiện tôi chỉ đọc được tin nhắn chữ. Anh/chị vui lòng gõ câu hỏi bằng chữ nhé.',
    en: 'Sorry, I can only read text messages. Please type your question.',
  },
  button_handoff: {
    vi: 'Gặp cán bộ',
    en: 'Talk to an officer',
  },
  button_useful_yes: {
    vi: '👍 Hữu ích',
    en: '👍 Useful',
  },
  button_useful_no: {
    vi: '👎 Chưa hữu ích',
    en: '👎 Not useful',
  },
  /** A channel that cannot show links under the answer adds this line for a procedure the text does not cite. */
  citation_line: {
    vi: 'Nguồn: {name} (mã {id})',
    en: 'Source: {name} (code {id})',
  },
  /** Before an officer's message on channels that cannot show who wrote it. */
  staff_signature: {
    vi: 'Cán bộ {name}:',
    en: 'Officer {name}:',
  },
} as const satisfies Record<string, Record<Language, string>>;

export type CannedReplyKey = keyof typeof REPLIES;

/** The fixed reply for a key in the citizen's language; `{name}` slots filled from `values`. */
export function cannedReply(key: CannedReplyKey, language: Language = 'vi', values: Record<string, string | number> = {}): string {
  return REPLIES[key][language].replace(/\{(\w+)\}/g, (slot, name: string) => (name in values ? String(values[name]) : slot));
}

export const CANNED_REPLY_KEYS = Object.keys(REPLIES) as CannedReplyKey[];
