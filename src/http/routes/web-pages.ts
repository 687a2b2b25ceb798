import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerWebCors } from '../../channels/web/web-cors.js';

/** What the web pages need from the composition root. */
export interface WebPagesDeps {
  config: { PUBLIC_BASE_URL?: string | undefined; WEB_CORS_ORIGINS: readonly string[] };
  /** The compiled browser assets (`dist/web`, produced by `npm run build`); found from this file by default. */
  webRoot?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};
/** Only these are served under /assets: pages have their own routes and their own CSP. */
const ASSET_EXTENSIONS = new Set(['.js', '.css', '.svg', '.png', '.ico']);

/** Placeholder in the compiled widget, replaced by PUBLIC_BASE_URL when served. */
const BASE_URL_PLACEHOLDER = '__CCAI_PUBLIC_BASE_URL__';

/**
 * `dist/web` of this checkout: the nearest ancestor holding package.json, whether this module
 * runs compiled (`dist/src/http/routes`) or from source under tsx (`src/http/routes`).
 */
export function defaultWebRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return path.join(dir, 'dist', 'web');
}

/**
 * The browser's rules for our pages: scripts and styles only from this origin, no inline code,
 * calls only back to this origin. The citizen page may be framed by the city's sites (the
 * widget's iframe); the staff console by nobody.
 */
export function contentSecurityPolicy(frameAncestors: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors.length ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}

interface CachedFile {
  body: Buffer;
  etag: string;
  mtimeMs: number;
}

/**
 * The citizen chat page (`/`), the embeddable widget (`/widget.js`), the staff console
 * (`/console`) and their assets (`/assets/...`), served from the compiled `dist/web` without a
 * static-file plugin: a handful of files, read once and kept while unchanged on disk. Also the
 * CORS allow-list for the chat API (WEB_CORS_ORIGINS).
 */
export function registerWebPages(app: FastifyInstance, deps: WebPagesDeps): void {
  const root = path.resolve(deps.webRoot ?? defaultWebRoot());
  const origins = deps.config.WEB_CORS_ORIGINS.map((o) => o.replace(/\/+$/, ''));
  const baseUrl = (deps.config.PUBLIC_BASE_URL ?? '').replace(/\/+$/, '');
  const cache = new Map<string, CachedFile>();

  registerWebCors(app, { origins, prefix: '/api/v1/chat' });

  /** The file under the web root, or undefined when it is missing (assets not built). */
  const load = (relative: string, transform?: (text: string) => string): CachedFile | undefined => {
    const file = path.join(root, relative);
    let mtimeMs: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) return undefined;
      mtimeMs = stat.mtimeMs;
    } catch {
      return undefined;
    }
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit;
    const raw = readFileSync(file);
    const body = transform ? Buffer.from(transform(raw.toString('utf8'))) : raw;
    const entry = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`, mtimeMs };
    cache.set(file, entry);
    return entry;
  };

  const serve = (
    request: FastifyRequest,
    reply: FastifyReply,
    relative: string,
    headers: Record<string, string>,
    transform?: (text: string) => string,
  ) => {
    const file = load(relative, transform);
    void reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'strict-origin-when-cross-origin');
    if (!file) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .send('Web assets are not built: run `npm run build`.');
    }
    void reply.headers(headers).header('etag', file.etag);
    void reply.type(CONTENT_TYPES[path.extname(relative)] ?? 'application/octet-stream');
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.send(file.body);
  };

  const page = (frameAncestors: readonly string[]) => ({
    // Pages change with every release and are small: always revalidated.
    'cache-control': 'no-cache',
    'content-security-policy': contentSecurityPolicy(frameAncestors),
    'cross-origin-opener-policy': 'same-origin',
  });

  // The chat page in the widget's iframe: framed by this origin and the city's sites only.
  app.get('/', { schema: { hide: true } }, (request, reply) => serve(request, reply, 'chat/index.html', page(["'self'", ...origins])));

  app.get('/console', { schema: { hide: true } }, (request, reply) =>
    serve(request, reply, 'console/index.html', { ...page([]), 'x-frame-options': 'DENY', 'cache-control': 'no-store' }),
  );

  // Staff pages (each page checks the login through the staff API and shows the console's login
  // when there is none): statistics, what the assistant did not know, and the answer review queue.
  const staffPage = (file: string) => (request: FastifyRequest, reply: FastifyReply) =>
    serve(request, reply, file, { ...page([]), 'x-frame-options': 'DENY', 'cache-control': 'no-store' });
  app.get('/dashboard', { schema: { hide: true } }, staffPage('dashboard/index.html'));
  app.get('/dashboard/gaps', { schema: { hide: true } }, staffPage('gaps/index.html'));
  app.get('/review', { schema: { hide: true } }, staffPage('review/index.html'));

  app.get('/widget.js', { schema: { hide: true } }, (request, reply) =>
    serve(
      request,
      reply,
      'widget/widget.js',
      {
        'cache-control': 'public, max-age=300',
        // Loaded by the city's pages, which may isolate themselves (COEP).
        'cross-origin-resource-policy': 'cross-origin',
      },
      (text) => text.replaceAll(BASE_URL_PLACEHOLDER, baseUrl),
    ),
  );

  app.get<{ Params: { '*': string } }>('/assets/*', { schema: { hide: true } }, (request, reply) => {
    const relative = request.params['*'];
    const ext = path.extname(relative);
    const resolved = path.resolve(root, relative);
    // Nothing outside the web root, no hidden files, only asset types.
    if (!ASSET_EXTENSIONS.has(ext) || !resolved.startsWith(root + path.sep) || /(^|[\\/])\./.test(relative) || relative.includes('\0')) {
      return reply.code(404).send({ error: 'not_found', message: 'No such asset' });
    }
    if (!existsSync(resolved)) return reply.code(404).send({ error: 'not_found', message: 'No such asset' });
    // Not content-hashed, so a short lifetime and an ETag rather than "immutable".
    return serve(request, reply, path.relative(root, resolved), { 'cache-control': 'public, max-age=300' });
  });
}
