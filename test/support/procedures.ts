import { Procedure, type ProcedureInput } from '../../src/domain/procedure.js';

/** A valid Procedure from the fields a test cares about. */
export function makeProcedure(input: Partial<ProcedureInput> & { id: string; name: string }): Procedure {
  return Procedure.parse({ sources: [{ kind: 'team_knowledge', file: 'test' }], ...input });
}

export function procedureMap(list: Procedure[]): Map<string, Procedure> {
  return new Map(list.map((p) => [p.id, p]));
}
