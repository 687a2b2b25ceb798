import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';
import { PROCEDURE_CODE } from '../../domain/procedure.js';
import { errorRef, type ErrorBody } from '../errors.js';

export function registerProcedureRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { id: string } }>(
    '/api/v1/procedures/:id',
    {
      schema: {
        tags: ['procedures'],
        summary: 'One procedure record by its official code',
        params: {
          type: 'object',
          required: ['id'],
          properties: {
            id: { type: 'string', pattern: PROCEDURE_CODE.source, description: 'Official code, e.g. 1.001193' },
          },
        },
        response: { 200: { $ref: 'Procedure#' }, 400: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      const procedure = deps.procedures.get(request.params.id);
      if (!procedure) {
        return reply.code(404).send({
          error: 'not_found',
          message: `Không tìm thấy thủ tục ${request.params.id}`,
        } satisfies ErrorBody);
      }
      return procedure;
    },
  );
}
