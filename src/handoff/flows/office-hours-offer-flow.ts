import { HANDOFF_PAYLOAD, type InboundFlow } from '../../channels/handle-inbound.js';
import type { InboundMessage } from '../../channels/inbound-message.js';
import { detectHandoff } from '../../conversation/handoff.js';
import { detectLanguage } from '../../conversation/language.js';
import { redactPersonalData } from '../../guardrails/personal-data.js';
import { PhraseMatcher } from '../../conversation/phrase-matcher.js';
import { bot, type HandoffFlowDeps } from './handoff-flow-deps.js';
import { endFlow, startFlow } from './handoff-flow-state.js';
import { offerOutOfHours } from './out-of-hours-offer.js';
import { words, wantsToStop } from './read-choice.js';
import { callbackConsentReplies } from './callback-flow.js';

type OfferChoice = 'message' | 'callback' | 'hotline';

const NUMBERED: Record<string, OfferChoice> = { '1': 'message', mot: 'message', '2': 'callback', hai: 'callback', '3': 'hotline', ba: 'hotline' };
/** Words around a number that do not change the choice ("số 2", "chọn 1 ạ", "phương án 3"). */
const NUMBER_FRAME = new Set(['so', 'chon', 'phuong', 'an', 'cach', 'toi', 'minh', 'em', 'a', 'nhe', 'nha', 'da', 'vang', 'option', 'number', 'i', 'choose', 'lua']);
const BY_NAME: ReadonlyArray<[OfferChoice, PhraseMatcher]> = [
  ['callback', new PhraseMatcher(['gọi lại', 'gọi cho tôi', 'gọi cho em', 'gọi điện lại', 'call back', 'call me', 'callback'])],
  ['message', new PhraseMatcher(['lời nhắn', 'để lại', 'nhắn lại', 'nhắn tin', 'message', 'leave a message'])],
  ['hotline', new PhraseMatcher(['tổng đài', 'hotline', 'tự gọi', '19001009', 'call the hotline'])],
];

/** The choice a reply to the offer makes: by number ("2", "số 2") or by name ("gọi lại"). */
export function readOfferChoice(text: string): OfferChoice | null {
  const w = words(text);
  if (w.length > 0 && w.length <= 4) {
    const numbers = w.filter((x) => x in NUMBERED);
    if (numbers.length === 1 && w.every((x) => x in NUMBERED || NUMBER_FRAME.has(x))) return NUMBERED[numbers[0]!]!;
  }
  const named = BY_NAME.filter(([, m]) => m.test(text));
  return named.length === 1 ? named[0]![0] : null;
}

/**
 * Outside office hours: a request for a person ("gặp cán bộ", the button, a complaint to an
 * officer) is answered with the offer before the pipeline runs, so the citizen is never told
 * the request went to an officer who is not there; then the reply to the offer (1, 2, 3) starts
 * the chosen flow. A reply that is none of these lets the offer lapse and goes on to the
 * pipeline as an ordinary question.
 */
export function createOfficeHoursOfferFlow(deps: HandoffFlowDeps): InboundFlow {
  return {
    name: 'office-hours-offer',
    async run(msg, session, tools) {
      const now = tools.now();
      const state = session.handoffFlow;
      if (state?.kind === 'offer') {
        const language = state.language;
        const choice = readOfferChoice(msg.text);
        if (choice === 'message') {
          // A complaint that asked for a person is left as a complaint, its first words kept.
          startFlow(session, state.draft ? 'complaint' : 'message', 'content', language, now, state.draft ? { draft: state.draft } : {});
          await tools.sessions.save(session);
          return bot('flow_message_prompt', language);
        }
        if (choice === 'callback') {
          startFlow(session, 'callback', 'consent', language, now, state.draft ? { draft: state.draft } : {});
          await tools.sessions.save(session);
          return callbackConsentReplies(language);
        }
        endFlow(session);
        await tools.sessions.save(session);
        if (choice === 'hotline') return bot('flow_offer_hotline', language);
        if (wantsToStop(msg.text)) return bot('flow_cancelled', language);
      }
      if (deps.hours.isOpen(now)) return null;
      const wants = wantsPerson(msg);
      if (!wants) return null;
      const language = detectLanguage(msg.text);
      const complaint = wants === 'complaint' ? redactPersonalData(msg.text).text : undefined;
      return offerOutOfHours({ session, sessions: tools.sessions, hours: deps.hours, now, language, ...(complaint ? { complaint } : {}) });
    },
  };
}

function wantsPerson(msg: InboundMessage): 'request' | 'complaint' | null {
  if (msg.payload === HANDOFF_PAYLOAD) return 'request';
  return detectHandoff(msg.text);
}
