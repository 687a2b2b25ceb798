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
  // Handoff flows (src/handoff/flows): out of office hours, leaving a message, a call-back with
  // consent, feedback and complaints taken down as tickets. {back} is a flow_back_* fragment.
  flow_out_of_hours_offer: {
    vi: `Hiện đã ngoài giờ làm việc của cán bộ Trung tâm (giờ làm việc: {hours}). Anh/chị có thể:\n1. Để lại lời nhắn, cán bộ sẽ trả lời khi làm việc trở lại ({next});\n2. Đề nghị cán bộ gọi lại;\n3. Gọi tổng đài ${HOTLINE}.\nAnh/chị trả lời 1, 2 hoặc 3.`,
    en: `Officers of the Center are out of office now (office hours: {hours}). You can:\n1. Leave a message; an officer will reply when the office reopens ({next});\n2. Ask an officer to call you back;\n3. Call ${HOTLINE}.\nPlease reply 1, 2 or 3.`,
  },
  flow_offer_hotline: {
    vi: `Anh/chị vui lòng gọi tổng đài ${HOTLINE} để được hỗ trợ. Tôi vẫn trả lời được các câu hỏi về thủ tục hành chính bất cứ lúc nào.`,
    en: `Please call ${HOTLINE} for help. I can still answer questions about procedures at any time.`,
  },
  flow_cancelled: {
    vi: 'Vâng, tôi đã hủy yêu cầu và không lưu gì. Anh/chị cần hỏi về thủ tục nào cứ nhắn cho tôi nhé.',
    en: 'All right, I have cancelled the request and stored nothing. Ask me about any procedure whenever you like.',
  },
  flow_expired: {
    vi: 'Yêu cầu trước đó đã hết hạn vì lâu không có phản hồi nên tôi chưa lưu gì. Anh/chị có thể bắt đầu lại: nhắn "để lại lời nhắn", "gọi lại cho tôi" hoặc "tôi muốn phản ánh".',
    en: 'The earlier request timed out, so nothing was stored. You can start again: type "leave a message", "call me back" or "I want to give feedback".',
  },
  flow_failed: {
    vi: `Xin lỗi, hệ thống chưa lưu được yêu cầu của anh/chị. Anh/chị vui lòng thử lại sau ít phút hoặc gọi tổng đài ${HOTLINE}.`,
    en: `Sorry, the request could not be stored. Please try again in a few minutes or call ${HOTLINE}.`,
  },
  flow_back_soon: {
    vi: 'trong giờ làm việc',
    en: 'during office hours',
  },
  flow_back_at: {
    vi: 'khi làm việc trở lại, từ {when}',
    en: 'when the office reopens, from {when}',
  },
  flow_message_prompt: {
    vi: 'Anh/chị nhắn nội dung cần hỏi, cán bộ sẽ trả lời khi làm việc. Không cần gửi số giấy tờ hay số điện thoại; nhắn "hủy" để thôi.',
    en: 'Please type your message; an officer will answer during office hours. No need to send ID or phone numbers; type "cancel" to stop.',
  },
  flow_message_saved: {
    vi: `Trung tâm đã nhận lời nhắn của anh/chị (mã {ref}). Cán bộ sẽ xem và trả lời {back}. Nếu cần gấp, anh/chị gọi tổng đài ${HOTLINE}.`,
    en: `The Center has received your message (reference {ref}). An officer will read it and reply {back}. If it is urgent, call ${HOTLINE}.`,
  },
  flow_content_empty: {
    vi: 'Anh/chị vui lòng nhắn nội dung bằng chữ, hoặc nhắn "hủy" để thôi.',
    en: 'Please type the content as text, or type "cancel" to stop.',
  },
  flow_callback_consent: {
    vi: 'Anh/chị đồng ý để Trung tâm lưu số điện thoại để gọi lại? (có/không)\nSố điện thoại chỉ dùng để cán bộ gọi lại cho anh/chị.',
    en: 'Do you agree that the Center stores your phone number to call you back? (yes/no)\nThe number is only used for the call-back.',
  },
  flow_callback_consent_again: {
    vi: 'Anh/chị vui lòng trả lời "có" nếu đồng ý để Trung tâm lưu số điện thoại để gọi lại, hoặc "không" nếu không đồng ý. Tôi chưa lưu số nào.',
    en: 'Please answer "yes" if you agree that the Center stores your phone number for a call-back, or "no" if not. No number has been stored.',
  },
  flow_callback_declined: {
    vi: `Vâng, Trung tâm sẽ không lưu số điện thoại của anh/chị. Anh/chị có thể để lại lời nhắn (nhắn "để lại lời nhắn") hoặc gọi tổng đài ${HOTLINE}.`,
    en: `All right, the Center will not store your phone number. You can leave a message (type "leave a message") or call ${HOTLINE}.`,
  },
  flow_callback_ask_phone: {
    vi: 'Anh/chị nhắn số điện thoại để cán bộ gọi lại (ví dụ 0912 345 678). Nhắn "không" để hủy.',
    en: 'Please type the phone number to call back (for example 0912 345 678). Type "no" to cancel.',
  },
  flow_callback_bad_phone: {
    vi: 'Tôi chưa đọc được số điện thoại. Anh/chị nhắn số di động 10 chữ số (ví dụ 0912 345 678) hoặc số cố định bắt đầu bằng 02, hoặc nhắn "không" để hủy.',
    en: 'I could not read a phone number. Please type a 10-digit mobile number (for example 0912 345 678) or a landline starting with 02, or type "no" to cancel.',
  },
  flow_callback_confirm: {
    vi: 'Số điện thoại anh/chị vừa nhắn là {masked}. Đúng không ạ? Trả lời "có" để xác nhận, nhắn lại số nếu chưa đúng, hoặc "không" để hủy yêu cầu gọi lại.',
    en: 'The number you typed is {masked}. Is that right? Answer "yes" to confirm, type the number again if it is wrong, or "no" to cancel the call-back.',
  },
  flow_callback_saved: {
    vi: 'Đã ghi nhận đề nghị gọi lại (mã {ref}). Cán bộ sẽ gọi vào số {masked} {back}. Số điện thoại chỉ dùng để gọi lại cho anh/chị.',
    en: 'Your call-back request is recorded (reference {ref}). An officer will call {masked} {back}. The number is only used for the call-back.',
  },
  flow_callback_cancelled: {
    vi: 'Vâng, tôi đã hủy yêu cầu gọi lại; số điện thoại không được lưu. Anh/chị cần gì thêm cứ nhắn cho tôi nhé.',
    en: 'All right, the call-back is cancelled and the number was not stored. Ask me anything else whenever you like.',
  },
  /** Stored as the text of a call-back ticket (for the officer), with the complaint when there was one. */
  flow_callback_ticket_text: {
    vi: 'Công dân đề nghị cán bộ gọi lại.',
    en: 'The citizen asks an officer to call back.',
  },
  flow_what_feedback: {
    vi: 'phản ánh, kiến nghị',
    en: 'feedback',
  },
  flow_what_complaint: {
    vi: 'khiếu nại',
    en: 'complaint',
  },
  flow_feedback_prompt: {
    vi: 'Tôi sẽ ghi nhận {what} của anh/chị và chuyển tới cán bộ phụ trách. Anh/chị vui lòng nhắn nội dung: sự việc, thủ tục liên quan và nơi làm thủ tục (nếu có). Không cần gửi số giấy tờ hay số điện thoại; nhắn "hủy" để thôi.',
    en: 'I will take down your {what} for the officer in charge. Please type what happened, the procedure and the place (if any). No need to send ID or phone numbers; type "cancel" to stop.',
  },
  flow_feedback_saved: {
    vi: `Trung tâm đã tiếp nhận {what} của anh/chị, mã tiếp nhận {ref}. Cán bộ phụ trách sẽ xem xét và phản hồi {back}. Cần trao đổi trực tiếp, anh/chị nhắn "gặp cán bộ" hoặc gọi tổng đài ${HOTLINE}.`,
    en: `The Center has received your {what}, reference {ref}. The officer in charge will look into it and reply {back}. To talk to someone directly, type "talk to an officer" or call ${HOTLINE}.`,
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
  // Text-only channels (Zalo OA): what buttons do elsewhere, said in the message.
  options_reply_hint: {
    vi: 'Trả lời số 1, 2… để chọn.',
    en: 'Reply 1, 2… to choose.',
  },
  handoff_text_hint: {
    vi: 'Cần gặp cán bộ, anh/chị nhắn "gặp cán bộ".',
    en: 'To talk to an officer, type "talk to an officer".',
  },
  rating_text_prompt: {
    vi: 'Anh/chị vui lòng đánh giá câu trả lời: trả lời 1–5 (1 là rất không hài lòng, 5 là rất hài lòng).',
    en: 'Please rate the answer: reply 1–5 (1 very dissatisfied, 5 very satisfied).',
  },
} as const satisfies Record<string, Record<Language, string>>;

export type CannedReplyKey = keyof typeof REPLIES;

/** The fixed reply for a key in the citizen's language; `{name}` slots filled from `values`. */
export function cannedReply(key: CannedReplyKey, language: Language = 'vi', values: Record<string, string | number> = {}): string {
  return REPLIES[key][language].replace(/\{(\w+)\}/g, (slot, name: string) => (name in values ? String(values[name]) : slot));
}

export const CANNED_REPLY_KEYS = Object.keys(REPLIES) as CannedReplyKey[];
