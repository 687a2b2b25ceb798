import type { Procedure } from '../../domain/procedure.js';
import type { AnswerContext, Step } from '../answer-context.js';

export interface ResolveContextOptions {
  procedures: ReadonlyMap<string, Procedure>;
}

/**
 * Binds a follow-up to the session's current procedure and an option choice to the chosen
 * procedure, so retrieval is skipped. A procedure that left the catalogue since makes the
 * message a new question. `ctx.aspect` stays as detected: null asks for the overview.
 */
export function createResolveContextStep({ procedures }: ResolveContextOptions): Step {
  return {
    name: 'resolve-context',
    run(ctx: AnswerContext) {
      if (ctx.intent === 'follow_up') {
        const id = ctx.session.currentProcedureId;
        const procedure = id === null ? undefined : procedures.get(id);
        if (procedure) ctx.procedure = procedure;
        else {
          ctx.trace.push(`follow-up procedure ${id ?? 'none'} not in catalogue`);
          ctx.intent = 'procedure_question';
        }
      } else if (ctx.intent === 'option_choice' && ctx.chosenOption) {
        const procedure = procedures.get(ctx.chosenOption.id);
        if (procedure) ctx.procedure = procedure;
        else {
          ctx.trace.push(`chosen option ${ctx.chosenOption.id} not in catalogue`);
          ctx.intent = 'procedure_question';
        }
      }
    },
  };
}
