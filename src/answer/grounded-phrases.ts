import { HOTLINE } from '../domain/canned-replies.js';
import type { Language } from '../domain/answer.js';
import type { Aspect } from '../text/aspects.js';

/**
 * The fixed frame sentences of the grounded composer, in Vietnamese and English. The record's
 * values are slotted in as they are (English answers quote the Vietnamese values). Kept here,
 * not in canned-replies.ts, because they are templates with slots rather than whole replies.
 * None contains a digit except the hotline, so an answer never states a number of its own.
 */
export interface GroundedPhrases {
  /** What the record lacks, in the "chưa ghi <mục>" sentence. */
  item: Record<Aspect, string>;
  missing(item: string): string;
  missingNamed(name: string, item: string): string;
  seePage(url: string): string;
  callHotline: string;
  seeFull(url: string | null): string;
  source(name: string, id: string): string;
  notStated: string;
  unitNotStated: string;
  q(value: string): string;
  // Fee and time.
  feeAll(labels: string): string;
  feeByChannel: string;
  feeProvince(clause: string): string;
  feeVoiceAll(name: string, fee: string): string;
  feeVoiceBy(name: string, parts: string): string;
  feeVoiceProvince(name: string, clause: string): string;
  timeAll(labels: string): string;
  timeByChannel: string;
  timeVoiceAll(name: string, time: string): string;
  timeVoiceBy(name: string, parts: string): string;
  timeVariesNote: string;
  // Documents.
  documentsTitle(name: string): string;
  formsLabel: string;
  documentsVoice(name: string, list: string): string;
  documentsVoiceMore: string;
  and: string;
  // Where / online.
  whereTitle(name: string): string;
  agency: string;
  competentAuthority: string;
  receptionAddress: string;
  channels: string;
  page: string;
  online: string;
  notOnline: string;
  whereVoiceAgency(name: string, agency: string): string;
  whereVoiceAddress(address: string): string;
  whereVoiceChannels(labels: string): string;
  // Free-text aspects.
  title: Record<'conditions' | 'steps' | 'result' | 'legal_basis', (name: string) => string>;
  voiceLead: Record<'conditions' | 'steps' | 'result' | 'legal_basis', (name: string) => string>;
  legalVoiceMore: string;
  // Overview.
  overviewHead(name: string, field: string | null, levels: string): string;
  time: string;
  fee: string;
  documents: string;
  howToSubmit: string;
  overviewVoiceHead(name: string, field: string | null, agency: string | null): string;
  overviewVoiceFacts(time: string | null, fee: string | null, labels: string | null): string;
  offer: string;
  voiceOfferDetail: string;
}

const vi: GroundedPhrases = {
  item: {
    fee: 'lệ phí',
    time: 'thời hạn giải quyết',
    documents: 'thành phần hồ sơ',
    where: 'cơ quan thực hiện và nơi tiếp nhận hồ sơ',
    online: 'hình thức nộp hồ sơ',
    conditions: 'điều kiện thực hiện',
    steps: 'trình tự thực hiện',
    result: 'kết quả thực hiện',
    legal_basis: 'căn cứ pháp lý',
  },
  missing: (item) => `Dữ liệu chính thức của thủ tục này chưa ghi ${item}.`,
  missingNamed: (name, item) => `Dữ liệu chính thức của thủ tục ${name} chưa ghi ${item}.`,
  seePage: (url) => `Anh/chị xem trang thủ tục tại ${url} hoặc gọi tổng đài ${HOTLINE}.`,
  callHotline: `Anh/chị vui lòng gọi tổng đài ${HOTLINE} để được hỗ trợ.`,
  seeFull: (url) => (url ? `Xem đầy đủ: ${url}` : `Xem đầy đủ: gọi tổng đài ${HOTLINE}`),
  source: (name, id) => `Nguồn: ${name} (mã ${id})`,
  notStated: 'chưa ghi',
  unitNotStated: 'dữ liệu không ghi đơn vị',
  q: (v) => v,
  feeAll: (labels) => `Lệ phí (mọi hình thức nộp: ${labels}):`,
  feeByChannel: 'Lệ phí theo hình thức nộp:',
  feeProvince: (clause) => `Theo dữ liệu chính thức: ${clause}.`,
  feeVoiceAll: (name, fee) => `Lệ phí thủ tục ${name} là ${fee}, áp dụng cho mọi hình thức nộp.`,
  feeVoiceBy: (name, parts) => `Lệ phí thủ tục ${name} theo hình thức nộp: ${parts}.`,
  feeVoiceProvince: (name, clause) => `Về lệ phí thủ tục ${name}, dữ liệu chính thức ghi: ${clause}.`,
  timeAll: (labels) => `Thời hạn giải quyết (mọi hình thức nộp: ${labels}):`,
  timeByChannel: 'Thời hạn giải quyết theo hình thức nộp:',
  timeVoiceAll: (name, time) => `Thời hạn giải quyết thủ tục ${name} là ${time}, áp dụng cho mọi hình thức nộp.`,
  timeVoiceBy: (name, parts) => `Thời hạn giải quyết thủ tục ${name}: ${parts}.`,
  timeVariesNote: 'Một hình thức nộp có nhiều mốc thời hạn tùy giai đoạn hoặc trường hợp, như ghi ở trên.',
  documentsTitle: (name) => `Thành phần hồ sơ của thủ tục “${name}”:`,
  formsLabel: 'mẫu',
  documentsVoice: (name, list) => `Hồ sơ thủ tục ${name} gồm ${list}.`,
  documentsVoiceMore: 'Ngoài ra còn một số giấy tờ khác tùy trường hợp.',
  and: 'và',
  whereTitle: (name) => `Nơi thực hiện thủ tục “${name}”:`,
  agency: 'Cơ quan thực hiện',
  competentAuthority: 'Cơ quan có thẩm quyền',
  receptionAddress: 'Địa chỉ tiếp nhận',
  channels: 'Hình thức nộp',
  page: 'Trang thủ tục',
  online: 'Thủ tục này có thể nộp hồ sơ trực tuyến.',
  notOnline: 'Theo dữ liệu chính thức, thủ tục này không có hình thức nộp trực tuyến.',
  whereVoiceAgency: (name, agency) => `Thủ tục ${name} do ${agency} thực hiện.`,
  whereVoiceAddress: (address) => `Nơi tiếp nhận hồ sơ là ${address}.`,
  whereVoiceChannels: (labels) => `Anh/chị có thể nộp hồ sơ theo hình thức ${labels}.`,
  title: {
    conditions: (name) => `Điều kiện thực hiện thủ tục “${name}”:`,
    steps: (name) => `Trình tự thực hiện thủ tục “${name}”:`,
    result: (name) => `Kết quả thực hiện thủ tục “${name}”:`,
    legal_basis: (name) => `Căn cứ pháp lý của thủ tục “${name}”:`,
  },
  voiceLead: {
    conditions: (name) => `Điều kiện thực hiện thủ tục ${name}`,
    steps: (name) => `Trình tự thực hiện thủ tục ${name}`,
    result: (name) => `Kết quả thực hiện thủ tục ${name}`,
    legal_basis: (name) => `Căn cứ pháp lý của thủ tục ${name} gồm`,
  },
  legalVoiceMore: 'và một số văn bản khác',
  overviewHead: (name, field, levels) =>
    `Thủ tục “${name}”${field ? ` thuộc lĩnh vực ${field}` : ''}${levels ? `, cấp thực hiện: ${levels}` : ''}.`,
  time: 'Thời hạn giải quyết',
  fee: 'Lệ phí',
  documents: 'Hồ sơ gồm',
  howToSubmit: 'Cách nộp',
  overviewVoiceHead: (name, field, agency) =>
    `Thủ tục ${name}${field ? ` thuộc lĩnh vực ${field}` : ''}${agency ? `, do ${agency} thực hiện` : ''}.`,
  overviewVoiceFacts: (time, fee, labels) =>
    `${[time && `thời hạn giải quyết ${time}`, fee && `lệ phí ${fee}`, labels && `nộp theo hình thức ${labels}`]
      .filter(Boolean)
      .join(', ')
      .replace(/^./u, (c) => c.toUpperCase())}.`,
  offer: 'Anh/chị muốn biết thêm về hồ sơ, lệ phí hay nơi nộp?',
  voiceOfferDetail: 'Anh/chị có thể nghe chi tiết từng mục.',
};

const en: GroundedPhrases = {
  item: {
    fee: 'the fee',
    time: 'the processing time',
    documents: 'the required documents',
    where: 'the agency or where to submit',
    online: 'the submission channels',
    conditions: 'the conditions',
    steps: 'the steps',
    result: 'the result',
    legal_basis: 'the legal basis',
  },
  missing: (item) => `The official record of this procedure does not state ${item}.`,
  missingNamed: (name, item) => `The official record of the procedure ${name} does not state ${item}.`,
  seePage: (url) => `Please see the procedure page at ${url} or call the hotline ${HOTLINE}.`,
  callHotline: `Please call the hotline ${HOTLINE} for help.`,
  seeFull: (url) => (url ? `Full details: ${url}` : `Full details: call the hotline ${HOTLINE}`),
  source: (name, id) => `Source: ${name} (code ${id})`,
  notStated: 'not stated',
  unitNotStated: 'unit not stated in the record',
  q: (v) => `“${v}”`,
  feeAll: (labels) => `Fee (every channel: ${labels}):`,
  feeByChannel: 'Fee by channel:',
  feeProvince: (clause) => `The official record says: “${clause}”.`,
  feeVoiceAll: (name, fee) => `The fee for ${name} is ${fee}, for every channel.`,
  feeVoiceBy: (name, parts) => `The fee for ${name} by channel: ${parts}.`,
  feeVoiceProvince: (name, clause) => `On the fee for ${name}, the official record says: ${clause}.`,
  timeAll: (labels) => `Processing time (every channel: ${labels}):`,
  timeByChannel: 'Processing time by channel:',
  timeVoiceAll: (name, time) => `The processing time for ${name} is ${time}, for every channel.`,
  timeVoiceBy: (name, parts) => `The processing time for ${name}: ${parts}.`,
  timeVariesNote: 'One channel has several time limits depending on the stage or case, as listed above.',
  documentsTitle: (name) => `Documents for “${name}”:`,
  formsLabel: 'form',
  documentsVoice: (name, list) => `For ${name} you need ${list}.`,
  documentsVoiceMore: 'Some other documents apply depending on the case.',
  and: 'and',
  whereTitle: (name) => `Where to do “${name}”:`,
  agency: 'Implementing agency',
  competentAuthority: 'Competent authority',
  receptionAddress: 'Reception address',
  channels: 'Channels',
  page: 'Procedure page',
  online: 'This procedure can be submitted online.',
  notOnline: 'According to the official record, this procedure cannot be submitted online.',
  whereVoiceAgency: (name, agency) => `The procedure ${name} is handled by ${agency}.`,
  whereVoiceAddress: (address) => `The dossier is received at ${address}.`,
  whereVoiceChannels: (labels) => `You can submit through ${labels}.`,
  title: {
    conditions: (name) => `Conditions for “${name}”:`,
    steps: (name) => `Steps for “${name}”:`,
    result: (name) => `Result of “${name}”:`,
    legal_basis: (name) => `Legal basis of “${name}”:`,
  },
  voiceLead: {
    conditions: (name) => `The conditions for ${name}`,
    steps: (name) => `The steps for ${name}`,
    result: (name) => `The result of ${name}`,
    legal_basis: (name) => `The legal basis of ${name} includes`,
  },
  legalVoiceMore: 'and some other documents',
  overviewHead: (name, field, levels) =>
    `The procedure “${name}”${field ? `, field “${field}”` : ''}${levels ? `, level “${levels}”` : ''}.`,
  time: 'Processing time',
  fee: 'Fee',
  documents: 'Documents include',
  howToSubmit: 'How to submit',
  overviewVoiceHead: (name, field, agency) =>
    `The procedure ${name}${field ? ` belongs to the field ${field}` : ''}${agency ? ` and is handled by ${agency}` : ''}.`,
  overviewVoiceFacts: (time, fee, labels) =>
    `${[time && `processing time ${time}`, fee && `fee ${fee}`, labels && `submitted through ${labels}`]
      .filter(Boolean)
      .join(', ')
      .replace(/^./u, (c) => c.toUpperCase())}.`,
  offer: 'Would you like to know more about the documents, the fee or where to submit?',
  voiceOfferDetail: 'I can read each item in detail if you wish.',
};

export const GROUNDED_PHRASES: Record<Language, GroundedPhrases> = { vi, en };
