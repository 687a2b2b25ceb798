import type { Language } from '../../domain/answer.js';
import type { HandoffFlowState, Session } from '../../domain/conversation.js';

/** A flow left this long without an answer is forgotten (nothing it gathered is stored). */
export const FLOW_IDLE_MS = 10 * 60_000;

export function startFlow(
  session: Session,
  kind: HandoffFlowState['kind'],
  stage: HandoffFlowState['stage'],
  language: Language,
  now: Date,
  extra: Pick<HandoffFlowState, 'draft'> = {},
): HandoffFlowState {
  const at = now.toISOString();
  const state: HandoffFlowState = { kind, stage, startedAt: at, stepAt: at, language, ...extra };
  session.handoffFlow = state;
  return state;
}

/** The next step of the flow in progress (silence counts from here). */
export function stepFlow(session: Session, patch: Partial<HandoffFlowState>, now: Date): void {
  if (!session.handoffFlow) return;
  session.handoffFlow = { ...session.handoffFlow, ...patch, stepAt: now.toISOString() };
}

export function endFlow(session: Session): void {
  session.handoffFlow = null;
}

/** True when the flow in progress has waited longer than `idleMs` for the citizen. */
export function isIdle(state: HandoffFlowState, now: Date, idleMs = FLOW_IDLE_MS): boolean {
  return now.getTime() - Date.parse(state.stepAt) > idleMs;
}
