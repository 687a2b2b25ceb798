import { Procedure, type ProcedureInput, type SourceKind, type SourceRef } from '../../../src/domain/procedure.js';

export const src = (kind: SourceKind, file: string): SourceRef => ({ kind, file, repo: null, commit: null });

export function rec(kind: SourceKind, over: Partial<ProcedureInput> = {}, file = `${kind}.src`): Procedure {
  return Procedure.parse({
    id: '1.001193',
    name: `Tên từ ${kind}`,
    completeness: kind === 'portal_list' ? 'list' : 'detailed',
    sources: [{ kind, file }],
    ...over,
  });
}
