/**
 * What the callbot says on its own (the answers come from the pipeline in its `voice` style).
 * Short sentences, "anh chị" without a slash (a TTS voice reads "/" aloud), numbers as the
 * caller should hear them; every text still goes through `speakable` before it is said.
 */
export const VOICE_PROMPTS = {
  greeting:
    'Xin chào, đây là trợ lý ảo của Trung tâm Phục vụ hành chính công Hà Nội. Anh chị cứ nói câu hỏi về thủ tục hành chính. Bấm phím 2 để tra cứu hồ sơ, phím 0 để gặp tổng đài viên, phím sao để nghe lại.',
  askProcedure: 'Mời anh chị nói tên thủ tục hoặc việc cần làm, ví dụ làm căn cước hay đăng ký khai sinh.',
  statusIntent: 'tôi muốn tra cứu tình trạng hồ sơ',
  silence1: 'Xin lỗi, tôi chưa nghe thấy anh chị nói gì. Anh chị cần hỏi thủ tục gì ạ?',
  silence2: 'Anh chị vẫn đang nghe máy chứ ạ? Anh chị có thể nói câu hỏi, hoặc bấm phím 0 để gặp tổng đài viên.',
  silenceGoodbye: 'Có lẽ đường truyền đang không tốt. Cảm ơn anh chị đã gọi, xin chào và hẹn gặp lại.',
  anythingElse: 'Anh chị cần hỏi thêm gì nữa không ạ?',
  confirm: (heard: string) => `Anh chị hỏi về ${heard} phải không ạ? Nói có hoặc bấm phím 1 để xác nhận, nói không hoặc bấm phím 2 để nói lại.`,
  sayAgain: 'Mời anh chị nói lại câu hỏi, chậm và rõ giúp tôi.',
  unknownKey: 'Phím này chưa có chức năng. Bấm phím 2 để tra cứu hồ sơ, phím 0 để gặp tổng đài viên, hoặc cứ nói câu hỏi.',
  nothingToRepeat: 'Anh chị cứ nói câu hỏi về thủ tục hành chính.',
  transferring: 'Tôi xin chuyển cuộc gọi tới tổng đài viên. Anh chị vui lòng giữ máy.',
  transferAfterFailures: 'Xin lỗi, tôi chưa giúp được anh chị. Tôi xin chuyển cuộc gọi tới tổng đài viên, anh chị vui lòng giữ máy.',
  transferStatus: 'Tôi chưa tra cứu được hồ sơ này. Tôi xin chuyển cuộc gọi tới tổng đài viên, anh chị vui lòng giữ máy.',
  transferComplaint: 'Cảm ơn anh chị đã phản ánh. Tôi xin chuyển cuộc gọi tới tổng đài viên để tiếp nhận, anh chị vui lòng giữ máy.',
  outOfHours: (hours: string) =>
    `Hiện đã ngoài giờ làm việc của tổng đài viên, giờ làm việc là ${hours}. Bấm phím 1 để được gọi lại trong giờ làm việc, phím 2 để để lại lời nhắn, hoặc phím 3 để tiếp tục hỏi trợ lý.`,
  operatorsBusy:
    'Xin lỗi, hiện các tổng đài viên đều đang bận. Bấm phím 1 để được gọi lại, phím 2 để để lại lời nhắn, hoặc phím 3 để tiếp tục hỏi trợ lý.',
  offerAgain: 'Bấm phím 1 để được gọi lại, phím 2 để để lại lời nhắn, hoặc phím 3 để tiếp tục hỏi trợ lý.',
  callbackReadBack: (spokenNumber: string) =>
    `Cán bộ sẽ gọi lại cho anh chị theo số ${spokenNumber}. Bấm phím 1 để đồng ý lưu số này cho việc gọi lại, hoặc phím 2 để nhập số khác.`,
  callbackAskNumber: 'Mời anh chị bấm số điện thoại muốn được gọi lại, kết thúc bằng phím thăng.',
  callbackBadNumber: 'Số điện thoại chưa đúng. Mời anh chị bấm lại số điện thoại, kết thúc bằng phím thăng.',
  callbackTaken: (when: string) => `Tôi đã ghi nhận yêu cầu gọi lại. Cán bộ sẽ gọi lại cho anh chị từ ${when}. Cảm ơn anh chị đã gọi, xin chào.`,
  callbackDeclined: 'Tôi sẽ không lưu số điện thoại của anh chị.',
  messageAsk: 'Mời anh chị nói lời nhắn cho cán bộ, nói xong thì dừng lại một chút.',
  messageTaken: (when: string) => `Tôi đã ghi lại lời nhắn. Cán bộ sẽ xem và phản hồi từ ${when}. Cảm ơn anh chị đã gọi, xin chào.`,
  messageEmpty: 'Tôi chưa nghe được lời nhắn.',
  backToBot: 'Vâng, anh chị cứ nói câu hỏi về thủ tục hành chính.',
  ratingAsk: 'Trước khi kết thúc, anh chị vui lòng bấm một phím từ 1 đến 5 để đánh giá cuộc gọi, 5 là rất hài lòng.',
  ratingThanks: 'Cảm ơn anh chị đã đánh giá. Xin chào và hẹn gặp lại.',
  goodbye: 'Cảm ơn anh chị đã gọi tới Trung tâm Phục vụ hành chính công Hà Nội. Xin chào và hẹn gặp lại.',
  afterTransferGoodbye: 'Cảm ơn anh chị đã gọi. Xin chào và hẹn gặp lại.',
  streamDropped: 'Xin lỗi, kết nối vừa bị gián đoạn.',
  systemError: 'Xin lỗi, hệ thống đang gặp sự cố.',
  keysOnly: 'Xin chào, đây là tổng đài tự động của Trung tâm Phục vụ hành chính công Hà Nội. Hiện tôi chỉ nhận được phím bấm. Bấm phím 2 để tra cứu hồ sơ, phím 0 để gặp tổng đài viên.',
} as const;

/** Menu keys that work at any time (outside the call-back and rating steps, which read keys themselves). */
export const MENU_KEYS = { procedures: '1', status: '2', operator: '0', repeat: '*' } as const;
