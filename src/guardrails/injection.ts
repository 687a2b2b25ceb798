/**
 * Heuristic prompt-injection detector for Vietnamese and English (OWASP LLM01, LLM07): the
 * deterministic layer that always runs, in front of the optional LLM classifier (govuk-chat's
 * `JailbreakGuardrails` structure).
 *
 * Signals are grouped in families — override (ignore/forget the instructions), reveal (show the
 * system prompt), persona (role-play, "developer mode", DAN), delimiter (fake turns, role tags,
 * chat-template tokens), encoding (base64 blobs, "decode this") and obfuscated (the same phrases
 * spelled with spaces, leetspeak or look-alike letters). Each rule has a weight; a family counts
 * at most 1; the message is an injection when the families add up to {@link INJECTION_THRESHOLD}.
 * Strong rules reach it alone; weak ones ("system prompt" mentioned, "decode", a lone "system:")
 * need company. Matching runs on folded text (no diacritics, lower case) so "bo qua moi huong dan"
 * and "bỏ qua mọi hướng dẫn" are the same.
 *
 * Precision matters more than recall here: ordinary questions ("bỏ qua bước nào được không",
 * "tôi quên mang giấy tờ", "vai trò của UBND xã", "hệ thống dịch vụ công bị lỗi") must pass, and
 * out-of-scope requests ("viết cho tôi một bài thơ") are the router's job, not this one's.
 */
import { fold } from '../text/vietnamese.js';
import { stripInvisible } from './sanitize-input.js';

export const INJECTION_THRESHOLD = 1;

export type InjectionFamily = 'override' | 'reveal' | 'persona' | 'delimiter' | 'encoding' | 'obfuscated';

export interface InjectionVerdict {
  injection: boolean;
  /** `family:rule` for every rule that fired, strongest first (never any of the message's text). */
  signals: string[];
  /** Sum over families of each family's capped weight. */
  score: number;
}

/** The text in the forms the rules read. */
interface Views {
  /** NFKC, look-alikes mapped, case kept: for case-sensitive tokens (DAN) and base64. */
  cased: string;
  /** Folded, horizontal whitespace collapsed, line breaks kept: for line-start rules. */
  lines: string;
  /** Folded, all whitespace one space. */
  flat: string;
  /** Folded, leetspeak mapped, letters only: "i g n o r e", "1gn0re", "b-o q-u-a". */
  compact: string;
}

interface Hit {
  family: InjectionFamily;
  rule: string;
  weight: number;
}

interface Rule {
  family: InjectionFamily;
  rule: string;
  weight: number;
  view: 'lines' | 'flat' | 'cased';
  pattern: RegExp;
}

// ---------------------------------------------------------------------------------------------
// Preparation

/** Cyrillic and Greek letters that look Latin ("ignоre" with a Cyrillic о). */
const CONFUSABLES: ReadonlyMap<string, string> = (() => {
  const pairs =
    'аa еe оo рp сc уy хx іi ѕs јj ԁd ɡg һh ӏl ԛq ԝw ъb ьb ѵv ' +
    'АA ВB ЕE КK МM НH ОO РP СC ТT ХX УY ІI ЅS ЈJ ' +
    'αa βb εe ιi κk νv οo ρp τt υu χx ωw ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX';
  const map = new Map<string, string>();
  for (const pair of pairs.split(' ')) map.set(pair[0]!, pair[1]!);
  return map;
})();
const CONFUSABLE_CHARS = new RegExp(`[${[...CONFUSABLES.keys()].join('')}]`, 'gu');
const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l' };

function views(text: string): Views {
  const cased = stripInvisible(text)
    .text.normalize('NFKC')
    .replace(CONFUSABLE_CHARS, (c) => CONFUSABLES.get(c) ?? c);
  const lines = fold(cased).replace(/[^\S\n]+/g, ' ');
  const flat = lines.replace(/\s+/g, ' ');
  const compact = lines.replace(/[013457@$!|]/g, (c) => LEET[c] ?? c).replace(/[^a-z]+/g, '');
  return { cased, lines, flat, compact };
}

// ---------------------------------------------------------------------------------------------
// Vocabulary (folded)

/** Word boundaries for folded text (ASCII letters and digits). */
const B = '(?<![a-z0-9])';
const E = '(?![a-z0-9])';

/** Verbs that mean "pay no attention to": any instruction-like object will do. */
const STRONG_OVERRIDE_VERBS = [
  'bo qua', 'phot lo', 'phot di', 'lo di', 'quen het', 'quen di', 'quen', 'bat chap', 'mac ke',
  'dung (?:tuan theo|tuan thu|lam theo|nghe theo|quan tam(?: den| toi)?)', 'thoi (?:tuan theo|lam theo)',
  'ignore', 'disregard', 'forget', 'override', 'overwrite',
  "(?:do not|don'?t|dont|stop|no longer|never) (?:follow|obey|adhere to|comply with|listen to)",
];
/**
 * Verbs with everyday meanings ("bỏ các giới hạn độ tuổi", "không cần làm theo hướng dẫn…",
 * "skip the rules"): they count only with the assistant's instructions, qualified.
 */
const WEAK_OVERRIDE_VERBS = [
  'bo het', 'bo di', 'bo', 'gat bo', 'gat', 'xoa bo', 'xoa het', 'xoa', 'huy bo', 'vo hieu hoa', 'vuot qua',
  'khong (?:can |phai )?(?:tuan theo|tuan thu|lam theo|nghe theo|quan tam(?: den| toi)?)',
  'bypass', 'skip', 'drop', 'abandon', 'discard', 'neglect',
];
const OVERRIDE_VERBS = [...STRONG_OVERRIDE_VERBS, ...WEAK_OVERRIDE_VERBS].join('|');
const WEAK_OVERRIDE_VERB = new RegExp(`^(?:${WEAK_OVERRIDE_VERBS.join('|')})$`);
/** The assistant's instructions themselves, as opposed to limits and rules in general. */
const PROMPT_NOUN = /^(?:huong dan|chi dan|chi thi|loi nhac|prompts?|system prompt|instructions?|directives?|guardrails?|programming)$/;
const STRONG_QUANTIFIERS = 'moi|tat ca|toan bo|het|het thay|all|any|every|each|all of|all the|all your|of';
/** "quên các chỉ dẫn", "ignore your rules": the rules of the one being addressed. */
const MID_QUANTIFIERS = 'cac|nhung|your|cua ban';
const WEAK_QUANTIFIERS = `${MID_QUANTIFIERS}|the|these|those`;
const PRE_QUALIFIERS = 'previous|prior|above|earlier|preceding|initial|original|old|system|existing|current|safety|developer|default|truoc do|truoc|o tren';
/** What is being overridden: instructions and rules, never "bước", "giấy tờ" or "tin nhắn". */
const INSTRUCTION_NOUNS =
  'huong dan|chi dan|chi thi|menh lenh|cau lenh|lenh|quy tac|nguyen tac|rang buoc|gioi han|thiet lap|cai dat|loi nhac|prompts?|system prompt|' +
  'instructions?|directives?|rules?|guidelines?|commands?|constraints?|restrictions?|guardrails?|programming|safeguards?';
/** Weaker objects: "forget everything above" is also how a citizen restarts a conversation. */
const EVERYTHING_NOUNS = 'everything|moi thu|moi dieu|nhung gi|tat ca nhung gi|context|ngu canh';
const POST_QUALIFIERS =
  'truoc|truoc do|truoc day|o tren|phia tren|ben tren|ban dau|he thong|cua he thong|cua ban|cua may|da (?:duoc )?(?:cho|giao|cai dat|thiet lap|nhan)|cu|goc|' +
  'previous|above|before|prior|earlier|so far|given|you (?:were|have been) given|to you|you have|you received';
const OVERRIDE = new RegExp(
  `${B}(${OVERRIDE_VERBS})\\s+((?:(?:${STRONG_QUANTIFIERS}|${WEAK_QUANTIFIERS}|${PRE_QUALIFIERS})\\s+){0,4})(${INSTRUCTION_NOUNS}|${EVERYTHING_NOUNS})${E}`,
  'g',
);
const STRONG_QUANTIFIER_WORD = new RegExp(`${B}(?:${STRONG_QUANTIFIERS}|${PRE_QUALIFIERS})${E}`);
const MID_QUANTIFIER_WORD = new RegExp(`${B}(?:${MID_QUANTIFIERS})${E}`);
const WEAK_QUANTIFIER_WORD = new RegExp(`${B}(?:${WEAK_QUANTIFIERS})${E}`);
const VAGUE_NOUN = new RegExp(`^(?:${EVERYTHING_NOUNS})$`);
const POST_QUALIFIER = new RegExp(`^\\s*(?:\\S+\\s+){0,2}?(?:${POST_QUALIFIERS})${E}`);
const ADDRESSED_TO_BOT = /(?:he thong|cua ban|cua may|you|system)/;
/** "tôi quên các hướng dẫn…": the citizen telling what happened, not ordering the assistant. */
const FIRST_PERSON_BEFORE = /(?:^|[^a-z0-9])(?:toi|em|minh|chung toi|tui|tao|i|we)(?:\s+(?:da|lo|bi|hay|cu|vua|co|khong|chua|did|have|had|always|often|sometimes|accidentally|just|may|might))*\s*$/;

const REVEAL_VERBS = [
  // Not "in", "dán", "gửi", "đưa", "đọc", "dịch" alone: folded they are also "in" (English),
  // "dân", "dọc", "dịch vụ"…
  'cho (?:toi|minh|em|tao|tui|chung toi) (?:xem|biet|coi|doc)', 'in ra', 'hien thi', 'hien ra', 'tiet lo', 'noi ra',
  'noi cho (?:toi|minh|em|tao|tui) (?:biet|nghe)', 'nhac lai', 'lap lai', 'doc lai', 'doc to', 'liet ke', 'xuat ra',
  'viet ra', 'viet lai', 'chep ra', 'chep lai', 'sao chep', 'copy', 'gui lai', 'gui cho (?:toi|minh|em)', 'cung cap',
  'show', 'print', 'reveal', 'repeat', 'output', 'display', 'tell me', 'give me', 'list', 'leak', 'dump', 'share', 'write out',
  'write down', 'spell out', 'return', 'echo', 'paste', 'translate', 'what (?:is|are|was|were)', "what'?s",
].join('|');
/** The assistant's own instructions, unmistakably. */
const SECRET_STRONG = [
  'system prompts?', 'system messages?', 'system instructions?', 'developer (?:messages?|prompts?|instructions?)',
  '(?:initial|original|hidden|secret|full|internal) (?:prompts?|instructions?)', 'pre-?prompts?', 'meta ?prompts?',
  'prompts?(?: he thong| goc| ban dau| an| noi bo)?', 'loi nhac(?: he thong)?',
  // "hướng dẫn hệ thống" only when it ends there or is the assistant's: "hướng dẫn hệ thống dịch vụ công" is a user guide.
  `(?:huong dan|chi dan|chi thi|cau lenh|lenh|quy tac|nguyen tac) (?:he thong|ban dau|goc|an|bi mat|noi bo)(?=\\s*(?:$|[.,;:!?"')\\]]|cua (?:ban|may|em)|ma ban|ban (?:duoc|da)|la gi|duoc (?:cai|thiet|giao)|di${E}|nhe${E}|nha${E}|ngay${E}|nguyen van))`,
  `your (?:instructions|system prompt|prompt|initial instructions|programming|directives)(?=\\s*(?:$|[.,;:!?"')\\]]|and${E}|verbatim|exactly|word for word|in full))`,
].join('|');
/** "quy tắc của bạn", "your rules": the assistant's, but citizens say it of the centre too. */
const SECRET_WEAK = [
  `(?:huong dan|chi dan|chi thi|quy tac|nguyen tac|cau lenh|lenh) cua (?:ban|may)(?=\\s*(?:$|[.,;:!?"')\\]]|nguyen van|di${E}|la gi))`,
  `your (?:rules|guidelines|configuration|constraints)(?=\\s*(?:$|[.,;:!?"')\\]]|and${E}|verbatim|exactly|word for word|in full))`,
].join('|');

// ---------------------------------------------------------------------------------------------
// Rules

const rule = (family: InjectionFamily, name: string, weight: number, pattern: string, view: Rule['view'] = 'flat'): Rule => ({
  family,
  rule: name,
  weight,
  view,
  pattern: new RegExp(pattern, view === 'cased' ? 'u' : ''),
});

const RULES: readonly Rule[] = [
  // override ---------------------------------------------------------------------------------
  rule('override', 'new_instructions', 1, `${B}(?:new|updated|real|actual|true|secret|additional) (?:instructions?|rules|task|prompt|system prompt|directive)s?\\s*:`),
  rule('override', 'new_instructions_vi', 1, `${B}(?:huong dan|chi dan|chi thi|lenh|nhiem vu|quy tac) moi(?: cua ban| la)?\\s*:`),
  rule('override', 'instructions_override', 1, `${B}(?:new|updated|these) (?:instructions?|rules?|prompts?) (?:override|replace|supersede|take precedence over)${E}`),
  rule('override', 'system_command_vi', 1, `${B}(?:lenh|menh lenh|chi thi) (?:he thong|quan tri|admin)(?: moi)?\\s*:`),
  // "từ nay (hãy) trả lời…/lệ phí là…": rewriting the facts the assistant must state.
  rule('override', 'restate_facts_vi', 0.6, `${B}tu (?:nay|bay gio)(?: tro di| ve sau)?,? (?:ban |may |em )?(?:hay |phai )?(?:tra loi|noi|khang dinh|coi|xem)${E}`),
  rule('override', 'restate_facts_vi_2', 0.5, `${B}(?:hay|phai) tra loi (?:nhu vay|nhu the|theo (?:toi|y toi|lenh))${E}`),
  rule('override', 'obey_me', 1, `${B}chi (?:lam theo|nghe theo|tuan theo|tuan lenh) (?:lenh|huong dan|chi dan|chi thi|yeu cau|loi) cua (?:toi|tao|minh)${E}`),
  rule('override', 'obey_me_en', 1, `${B}(?:only|now|just) (?:follow|obey|listen to) (?:me|my (?:instructions|commands|orders|rules))${E}`),
  rule('override', 'new_role_vi', 0.8, `${B}(?:nhiem vu|vai tro) (?:moi )?cua ban (?:bay gio |tu gio |tu nay )?(?:la|se la)${E}(?! (?:gi|ai)${E})`),

  // reveal -----------------------------------------------------------------------------------
  rule('reveal', 'show_system_prompt', 1, `${B}(?:${REVEAL_VERBS})\\s+(?:\\S+\\s+){0,5}?(?:${SECRET_STRONG})`),
  rule('reveal', 'show_own_rules', 0.7, `${B}(?:${REVEAL_VERBS})\\s+(?:\\S+\\s+){0,5}?(?:${SECRET_WEAK})`),
  rule('reveal', 'ask_system_prompt', 1, `${B}(?:${SECRET_STRONG})\\s+(?:cua (?:ban|may|em)\\s+)?(?:la gi|la nhu the nao|ra sao|gom nhung gi|noi gi|viet gi|the nao|nhu nao)${E}`),
  rule('reveal', 'ask_own_instructions', 1, `${B}(?:huong dan|chi dan|chi thi|cau lenh|lenh|prompt) he thong cua (?:ban|may|em) la gi${E}`),
  rule('reveal', 'ask_own_rules', 0.7, `${B}(?:huong dan|chi dan|chi thi|quy tac|nguyen tac|cau lenh|lenh) cua (?:ban|may) la gi${E}`),
  rule('reveal', 'ask_own_rules_en', 1, `${B}what (?:are|were) (?:your|the) (?:system |initial |original |hidden )?(?:instructions|directives)(?=\\s*(?:$|[.?!]))`),
  rule('reveal', 'how_programmed', 0.7, `${B}ban (?:duoc|da duoc|bi) (?:lap trinh|cai dat|huan luyen|dan do|dan|chi thi|thiet lap|cau hinh|ra lenh) (?:de|nhu the nao|the nao|nhung gi|gi|ra sao)${E}`),
  rule('reveal', 'how_programmed_en', 0.7, `${B}(?:how (?:were|are|have) you (?:been )?(?:programmed|instructed|configured|prompted)|what (?:were|have) you (?:been )?(?:told|instructed) to)${E}`),
  rule('reveal', 'repeat_above', 1, `${B}(?:repeat|print|output|show|reveal|write|copy|echo)\\s+(?:me\\s+)?(?:everything|all|the text|the words|all the text|all text|the content|the (?:first|previous) (?:message|lines?|words))\\s+(?:above|before|so far|from the (?:start|beginning))${E}`),
  rule('reveal', 'repeat_above_vi', 0.7, `${B}(?:lap lai|in ra|chep lai|viet lai|xuat ra)\\s+(?:toan bo|tat ca|moi thu|nguyen van|het)\\s+(?:noi dung |nhung gi |van ban )?(?:o tren|phia tren|truoc do|ke tu dau|tu dau)${E}`),
  rule('reveal', 'mentions_system_prompt', 0.5, `${B}(?:system prompt|prompt he thong|loi nhac he thong|pre-?prompt)${E}`),

  // persona ----------------------------------------------------------------------------------
  rule('persona', 'now_you_are', 1, `${B}(?:bay gio|tu gio|tu nay|tu bay gio|ke tu bay gio|ke tu gio|hien gio)(?: tro di| ve sau)?,? (?:thi )?ban (?:la|se la|se dong vai|hay dong vai|hay la|phai la|khong con la|dong vai)${E}(?! (?:ai|gi|nguoi nao|can bo nao)${E})`),
  // "hãy" and "hay" (or, often) fold alike: "anh ấy hay giả vờ ốm" must pass, so the imperative
  // counts only at the start of a sentence or after "bạn"/"em".
  rule('persona', 'play_a_role', 1, `(?:(?:^|[.!?,:;]\\s*|${B}(?:ban|em|may)\\s+)(?:hay|hay thu)|${B}(?:toi muon ban|yeu cau ban|ban phai|ban se|gio ban|bay gio ban|ban can))\\s+(?:dong vai(?: tro)?|nhap vai|hoa than|gia vo|gia lam|gia dang|dong gia)${E}(?! tro (?:gi|cua|nhu the nao|the nao)${E})`),
  rule('persona', 'role_play_mention', 0.5, `${B}(?:dong vai|nhap vai|hoa than thanh)${E}(?! tro${E})`),
  rule('persona', 'suppose_you_are', 0.5, `${B}(?:gia su|tuong tuong|hinh dung)(?: rang)? ban (?:la|khong phai|dang la)${E}`),
  rule('persona', 'no_longer_assistant', 1, `${B}ban (?:khong con|cha con|khong con phai) la${E}`),
  rule('persona', 'special_mode_vi', 1, `${B}che do (?:nha phat trien|developer|dev|khong gioi han|khong kiem duyet|khong rang buoc|jailbreak|dan|god|admin|quan tri|sudo|tu do|root|hacker|ac)${E}`),
  rule('persona', 'special_mode', 1, `${B}(?:developer|dev|god|sudo|admin|root|unrestricted|unfiltered|uncensored|jailbreak|jailbroken|evil|dan|opposite|chaos|anarchy) mode${E}`),
  rule('persona', 'debug_mode', 0.6, `${B}(?:debug|maintenance) mode${E}|${B}che do (?:debug|go loi|bao tri)${E}`),
  // Phones are jailbroken too: "điện thoại jailbreak có dùng VNeID được không" is a question.
  rule('persona', 'jailbreak', 1, `(?<!(?:dien thoai|iphone|ios|android|may|phone|device|da|bi) )${B}(?:jailbreak|jailbroken|jail break)${E}(?! (?:dien thoai|iphone|ios|android|may|phone|device)${E})`),
  rule('persona', 'do_anything_now', 1, `${B}do anything now${E}`),
  rule('persona', 'you_are_now', 1, `${B}(?:you are|you're|youre|u r|ur) now${E}(?! (?:able|ready|registered|eligible|required|logged|signed|in|on|at|connected|subscribed|verified|enrolled|done|finished)${E})`),
  rule('persona', 'from_now_on', 1, `${B}from now on,? (?:you|u) (?:are|will be|must be|shall be|act|behave|pretend|respond as|play|answer as|speak as)${E}`),
  rule('persona', 'from_now_on_soft', 0.6, `${B}from now on,? (?:you|u) (?:will|must|shall|should)${E}`),
  rule('persona', 'pretend', 1, `${B}pretend(?: that)? (?:you are|you're|youre|to be|you have|you can|you were)${E}`),
  rule('persona', 'imagine_you_are', 0.5, `${B}(?:imagine|suppose) (?:that )?you (?:are|were) (?:a|an|not)${E}`),
  rule('persona', 'act_as', 1, `(?:^|[.!?:]\\s*|${B}you (?:will |must |should |shall |can |to )?(?:now )?|${B}please |${B}now |${B}i want you to |${B}i need you to )act (?:as|like)(?: if| though| a| an| my| the)?${E}`),
  rule('persona', 'role_play', 1, `${B}(?:role ?-?play(?:ing)? (?:as|a|an|with me)|stay in character|break character|let'?s (?:role ?-?play))${E}`),
  rule('persona', 'play_a_game', 0.6, `${B}let'?s play a game${E}`),
  rule('persona', 'no_longer_bound', 1, `${B}(?:you are|you're|youre) (?:no longer|not) (?:an? )?(?:ai|assistant|chatbot|bound|restricted|limited)${E}|${B}no longer (?:bound|restricted|limited) by${E}`),
  rule('persona', 'no_limits', 0.5, `${B}(?:without|no|free from|free of) (?:any |all )?(?:restrictions|filters?|limitations|censorship|safeguards|ethical (?:guidelines|constraints))${E}|${B}(?:unfiltered|uncensored|unrestricted)${E}`),
  rule('persona', 'no_limits_vi', 0.5, `${B}khong (?:co )?(?:bat ky |bat cu )?(?:gioi han|kiem duyet|rang buoc|luat le|dao duc)(?: nao| gi)${E}|${B}(?:tra loi|noi|viet) (?:ma )?khong (?:can )?(?:kiem duyet|gioi han|loc|rang buoc)${E}`),
  rule('persona', 'dan', 1, `(?:\\b(?:you are|you're|act as|be|as|called|named|mode|prompt|là|la|vai|độ|do|tên|ten)\\s+(?:now\\s+)?DAN\\b|\\bDAN\\s+(?:mode|prompt|jailbreak)\\b)`, 'cased'),

  // delimiter --------------------------------------------------------------------------------
  rule('delimiter', 'fake_system_turn', 0.8, `(?:^|\\n)\\s*(?:[#>*-]+\\s*)?(?:system|developer|admin|quan tri vien|root)\\s*:`, 'lines'),
  rule('delimiter', 'fake_assistant_turn', 0.7, `(?:^|\\n)\\s*(?:[#>*-]+\\s*)?(?:assistant|ai|bot|chatbot|model|tro ly|gpt|chatgpt)\\s*:`, 'lines'),
  rule('delimiter', 'fake_user_turn', 0.4, `(?:^|\\n)\\s*(?:[#>*-]+\\s*)?(?:user|human|nguoi dung)\\s*:`, 'lines'),
  rule('delimiter', 'fake_system_turn_vi', 0.5, `(?:^|\\n)\\s*(?:[#>*-]+\\s*)?he thong\\s*:`, 'lines'),
  rule('delimiter', 'inline_system_turn', 0.6, `[.!?]\\s+(?:system|developer|assistant)\\s*:`),
  rule('delimiter', 'role_tag', 1, `<\\s*/?\\s*(?:system|data|instructions?|context|documents?|prompt|user|assistant|developer|tool|function|knowledge|du lieu|huong dan|he thong|sys|admin|human|ai|untrusted|input)\\s*/?\\s*>`),
  rule('delimiter', 'chat_template_token', 1, `<\\|\\s*(?:im_start|im_end|endoftext|system|user|assistant|eot_id|start_header_id|end_header_id|begin_of_text)\\s*\\|>|\\[/?inst\\]|<</?sys>>|<(?:start|end)_of_turn>`),
  rule('delimiter', 'instruction_header', 1, `(?:^|\\n)\\s*#{2,}\\s*(?:new |updated )?(?:instructions?|system(?: prompt)?|prompt|rules|response|assistant|developer|chi thi|lenh moi|huong dan moi)${E}`, 'lines'),
  rule('delimiter', 'instruction_header_vi', 0.5, `(?:^|\\n)\\s*#{2,}\\s*(?:huong dan|chi dan)${E}`, 'lines'),
  rule('delimiter', 'role_code_block', 1, '```\\s*(?:system|assistant|user|developer|instructions?|prompt|he thong|tro ly)(?![a-z0-9])'),
  rule('delimiter', 'role_json', 1, `"role"\\s*:\\s*"(?:system|assistant|developer)"`),
  rule('delimiter', 'end_of_context', 0.6, `${B}(?:end of|ket thuc) (?:the )?(?:system )?(?:prompt|instructions?|context|data|document|du lieu|ngu canh|huong dan he thong|tai lieu)${E}`),

  // encoding ---------------------------------------------------------------------------------
  rule('encoding', 'decode_request', 0.5, `${B}(?:decode|giai ma|base ?64|rot ?13|hex decode|from hex|tu hex)${E}`),
  rule('encoding', 'decode_and_follow', 1, `${B}(?:decode|giai ma)(?: \\S+){0,5} (?:and|roi|va|sau do) (?:follow|execute|run|do|obey|lam theo|thuc hien|tuan theo)${E}`),
];

/** The same phrases with spaces, punctuation or leetspeak inside the words, on letters only. */
const OBFUSCATED_RULES: ReadonlyArray<{ family: InjectionFamily; rule: string; pattern: RegExp }> = [
  { family: 'override', rule: 'spaced_override', pattern: /(?:ignore|disregard|forget|bypass)(?:all|any|the|your|previous|prior|above|earlier|of|system)*(?:instructions?|prompts?|rules|directives)/ },
  { family: 'override', rule: 'spaced_override_vi', pattern: /(?:boqua|photlo|quen|bo)(?:moi|tatca|toanbo|het|cac|nhung)+(?:huongdan|chidan|chithi|quytac)(?:truoc|otren|phiatren|bandau|hethong)/ },
  { family: 'reveal', rule: 'spaced_reveal', pattern: /(?:show|print|reveal|repeat|inra|chotoixem|tietlo|hienthi)(?:me|your|the|toanbo|ra)*(?:systemprompt|prompthethong|huongdanhethong)/ },
  { family: 'persona', rule: 'spaced_persona', pattern: /developermode|doanythingnow|chedonhaphattrien|pretendyouare|youarenowdan|bangiobanla/ },
];

// ---------------------------------------------------------------------------------------------
// Encoded payloads

const BASE64_BLOB = /[A-Za-z0-9+/]{40,}={0,2}/g;
const LONG_BLOB_CHARS = 120;

function encodedPayloadHits(cased: string, depth: number): Hit[] {
  const hits: Hit[] = [];
  for (const m of cased.matchAll(BASE64_BLOB)) {
    const blob = m[0];
    // Real base64 mixes upper case, lower case and digits; long words and numbers do not.
    if (!/[A-Z]/.test(blob) || !/[a-z]/.test(blob) || !/\d/.test(blob)) continue;
    const decoded = Buffer.from(blob, 'base64').toString('utf8');
    const printable = decoded.replace(/[^\p{L}\p{N}\p{P}\p{Zs}\n]/gu, '').length / Math.max(1, decoded.length);
    if (printable > 0.9) {
      hits.push({ family: 'encoding', rule: 'base64_text', weight: 0.6 });
      if (depth === 0 && scoreHits(collectHits(views(decoded), 1)).score >= INJECTION_THRESHOLD) {
        hits.push({ family: 'encoding', rule: 'decoded_injection', weight: 1 });
      }
    } else {
      hits.push({ family: 'encoding', rule: blob.length >= LONG_BLOB_CHARS ? 'long_blob' : 'blob', weight: blob.length >= LONG_BLOB_CHARS ? 0.6 : 0.3 });
    }
    if (hits.length >= 6) break;
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------

function overrideHits(flat: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of flat.matchAll(OVERRIDE)) {
    const verb = m[1]!;
    const middle = m[2] ?? '';
    const noun = m[3]!;
    const end = m.index + m[0].length;
    const post = flat.slice(end, end + 48);
    const qualified = STRONG_QUANTIFIER_WORD.test(middle) || POST_QUALIFIER.test(post);
    let weight = qualified || MID_QUANTIFIER_WORD.test(middle) ? 1 : WEAK_QUANTIFIER_WORD.test(middle) ? 0.6 : 0.4;
    const vague = VAGUE_NOUN.test(noun);
    if (vague) weight *= 0.6;
    if (WEAK_OVERRIDE_VERB.test(verb) && !(qualified && PROMPT_NOUN.test(noun))) weight *= 0.4;
    const addressedToBot = ADDRESSED_TO_BOT.test(middle) || /^\s*(?:\S+\s+){0,2}?(?:he thong|cua ban|cua may)/.test(post);
    if (!addressedToBot && FIRST_PERSON_BEFORE.test(flat.slice(Math.max(0, m.index - 24), m.index))) weight *= 0.4;
    hits.push({ family: 'override', rule: vague ? 'forget_everything' : 'ignore_instructions', weight: Math.round(weight * 100) / 100 });
  }
  return hits;
}

function collectHits(v: Views, depth: number): Hit[] {
  const hits: Hit[] = overrideHits(v.flat);
  for (const r of RULES) {
    if (r.pattern.test(v[r.view])) hits.push({ family: r.family, rule: r.rule, weight: r.weight });
  }
  // Several different speakers faked in one message is a transcript, not a question.
  const roles = new Set(hits.filter((h) => h.family === 'delimiter' && h.rule.startsWith('fake_')).map((h) => h.rule));
  if (roles.size >= 2) hits.push({ family: 'delimiter', rule: 'fake_conversation', weight: 1 });
  for (const r of OBFUSCATED_RULES) {
    if (hits.some((h) => h.family === r.family)) continue;
    if (r.pattern.test(v.compact)) hits.push({ family: 'obfuscated', rule: r.rule, weight: 1 });
  }
  hits.push(...encodedPayloadHits(v.cased, depth));
  return hits;
}

function scoreHits(hits: readonly Hit[]): { score: number; signals: string[] } {
  const byFamily = new Map<InjectionFamily, number>();
  for (const h of hits) byFamily.set(h.family, (byFamily.get(h.family) ?? 0) + h.weight);
  let score = 0;
  for (const total of byFamily.values()) score += Math.min(1, total);
  const signals = [...hits]
    .sort((a, b) => b.weight - a.weight)
    .map((h) => `${h.family}:${h.rule}`)
    .filter((s, i, all) => all.indexOf(s) === i);
  return { score, signals };
}

/**
 * Scores a message for prompt-injection signals. Runs on any text (it strips invisible
 * characters itself), but is meant for the sanitised, redacted message. Pure and fast: a few
 * dozen precompiled regexes over a 2,000-character message.
 */
export function detectInjection(text: string): InjectionVerdict {
  const { score, signals } = scoreHits(collectHits(views(text), 0));
  return { injection: score >= INJECTION_THRESHOLD, signals, score: Math.round(score * 100) / 100 };
}
