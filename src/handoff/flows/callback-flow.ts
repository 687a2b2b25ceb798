import type { OutboundMessage } from '../../channels/channel-sender.js';
import type { InboundFlow } from '../../channels/handle-inbound.js';
import { detectLanguage } from '../../conversation/language.js';
import { PhraseMatcher } from '../../conversation/phrase-matcher.js';
import type { Language } from '../../domain/answer.js';
import { cannedReply } from '../../domain/canned-replies.js';
import { ephemeralLookupSecrets } from '../../status-lookup/lookup-secrets.js';
import { backPhrase, bot, procedureIdsOf, sessionIdOf, ticketReference, type HandoffFlowDeps } from './handoff-flow-deps.js';
import { endFlow, startFlow, stepFlow } from './handoff-flow-state.js';
import { findPhoneNumber, hasPhoneLikeDigits, maskPhone } from './phone-number.js';
import { isShortReply, readYesNo, saysWrong, wantsToStop } from './read-choice.js';

/** Asked for directly, at any hour. */
const CALL_ME_BACK = new PhraseMatcher([
  'gọi lại cho tôi', 'gọi lại cho em', 'gọi lại cho mình', 'gọi lại giúp tôi', 'gọi điện lại cho tôi', 'đề nghị gọi lại', 'nhờ cán bộ gọi lại',
  'muốn được gọi lại', 'xin gọi lại', 'call me back', 'request a callback', 'request a call back',
]);
/** Longer messages that mention a call-back are questions ("họ hẹn gọi lại cho tôi mà chưa thấy…"). */
const TRIGGER_MAX_WORDS = 12;

export function callbackConsentReplies(language: Language): OutboundMessage[] {
  return [{ author: 'bot', text: cannedReply('flow_callback_consent', language) }];
}

/**
 * A call-back, with explicit consent before any number is taken:
 *   consent ("đồng ý lưu số điện thoại? có/không") → the number → read back masked (last three
 *   digits) → "có" stores a `callback` ticket with the number and the consent time.
 * "không" at any step ends it with nothing stored; a new number while confirming replaces the
 * old one (the citizen corrects a typo); "sai" asks again. A number typed before consent is
 * not kept.
 *
 * Where the number goes: only into the ticket. While it is being confirmed it rides in the
 * session sealed (AES-GCM). Flows take the message before the answer pipeline, and neither the
 * InboundHandler nor these flows write flow messages to the session turns or the Q&A log, so
 * the number never reaches either; the replies show it masked.
 */
export function createCallbackFlow(deps: HandoffFlowDeps): InboundFlow {
  const sealer = deps.sealer ?? ephemeralLookupSecrets();
  return {
    name: 'callback',
    async run(msg, session, tools) {
      const now = tools.now();
      const state = session.handoffFlow;
      if (!state) {
        if (!CALL_ME_BACK.test(msg.text) || !isShortReply(msg.text, TRIGGER_MAX_WORDS)) return null;
        const language = detectLanguage(msg.text);
        startFlow(session, 'callback', 'consent', language, now);
        await tools.sessions.save(session);
        return callbackConsentReplies(language);
      }
      if (state.kind !== 'callback') return null;
      const language = state.language;
      const cancel = async (key: 'flow_callback_declined' | 'flow_callback_cancelled') => {
        endFlow(session);
        await tools.sessions.save(session);
        return bot(key, language);
      };

      if (state.stage === 'consent') {
        const answer = readYesNo(msg.text);
        if (answer === 'no' || wantsToStop(msg.text)) return cancel('flow_callback_declined');
        if (answer === 'yes') {
          stepFlow(session, { stage: 'phone', consentAt: now.toISOString() }, now);
          await tools.sessions.save(session);
          return bot('flow_callback_ask_phone', language);
        }
        // Silence is not consent, and neither is a number typed before the question was answered.
        if (isShortReply(msg.text) || hasPhoneLikeDigits(msg.text)) return bot('flow_callback_consent_again', language);
        return lapse();
      }

      const phone = findPhoneNumber(msg.text);
      if (phone) {
        stepFlow(session, { stage: 'confirm_phone', phoneCipher: sealer.seal(phone) }, now);
        await tools.sessions.save(session);
        return bot('flow_callback_confirm', language, { masked: maskPhone(phone) });
      }

      if (state.stage === 'phone') {
        if (wantsToStop(msg.text)) return cancel('flow_callback_cancelled');
        if (isShortReply(msg.text, 6) || hasPhoneLikeDigits(msg.text)) return bot('flow_callback_bad_phone', language);
        return lapse();
      }

      // confirm_phone
      if (saysWrong(msg.text)) {
        stepFlow(session, { stage: 'phone' }, now);
        delete session.handoffFlow!.phoneCipher;
        await tools.sessions.save(session);
        return bot('flow_callback_ask_phone', language);
      }
      const answer = readYesNo(msg.text);
      if (answer === 'no' || wantsToStop(msg.text)) return cancel('flow_callback_cancelled');
      if (answer !== 'yes') {
        if (isShortReply(msg.text, 6) || hasPhoneLikeDigits(msg.text)) return bot('flow_callback_bad_phone', language);
        return lapse();
      }
      const confirmed = state.phoneCipher ? sealer.open(state.phoneCipher) : null;
      if (!confirmed || !state.consentAt) {
        // Sealed by another worker's ephemeral key, or altered: ask again rather than guess.
        stepFlow(session, { stage: 'phone' }, now);
        delete session.handoffFlow!.phoneCipher;
        await tools.sessions.save(session);
        return bot('flow_callback_ask_phone', language);
      }
      endFlow(session);
      await tools.sessions.save(session);
      const text = cannedReply('flow_callback_ticket_text', 'vi');
      try {
        const ticket = await deps.tickets.create({
          kind: 'callback',
          channel: msg.channel,
          userId: msg.userId,
          sessionId: sessionIdOf(msg, session),
          text: state.draft ? `${text}\n${state.draft}` : text,
          phone: confirmed,
          consentAt: state.consentAt,
          procedureIds: procedureIdsOf(session),
        });
        return bot('flow_callback_saved', language, {
          ref: ticketReference(ticket.id),
          masked: maskPhone(confirmed),
          back: backPhrase(deps.hours, tools.now(), language),
        });
      } catch {
        return bot('flow_failed', language);
      }

      /** A long message that answers nothing is a new question: the flow ends, the pipeline answers. */
      async function lapse() {
        endFlow(session);
        await tools.sessions.save(session);
        return null;
      }
    },
  };
}
