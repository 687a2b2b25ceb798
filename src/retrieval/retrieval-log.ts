/**
 * The logging the retrieval layer needs: pino-compatible (`log.warn({ err }, 'msg')`), so deps.ts can
 * pass Fastify's logger or a child of it.
 */
export interface RetrievalLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export const consoleRetrievalLog: RetrievalLog = {
  info: (obj, msg) => console.info(msg ?? '', obj),
  warn: (obj, msg) => console.warn(msg ?? '', obj),
};
