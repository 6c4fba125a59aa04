import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bundleClient } from './bundle.js';

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** The UI's source folder: next to this module, or src/web when running the compiled dist/src/web. */
function webRoot(): string {
  const here = import.meta.dirname;
  const fromDist = path.resolve(here, '../../../src/web');
  return existsSync(path.join(here, 'static')) ? here : fromDist;
}

/**
 * The browser UI on the API's server: `/` (the page) and `/ui/*` (script, styles, icon). It talks
 * only to the JSON API; nothing here reads the database. Never shadows `/api`, `/healthz`, `/openapi.json`.
 */
export function registerWebUi(app: FastifyInstance): void {
  const root = webRoot();
  const cache = new Map<string, Promise<Asset>>();
  const asset = (name: string, type: string, load: () => Promise<string | Buffer>) => {
    let pending = cache.get(name);
    if (!pending) {
      pending = load().then((content) => {
        const body = Buffer.isBuffer(content) ? content : Buffer.from(content);
        return {
          body,
          type,
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
        };
      });
      // A failed build is retried on the next request rather than cached.
      pending.catch(() => cache.delete(name));
      cache.set(name, pending);
    }
    return pending;
  };
  const file = (name: string) => () => readFile(path.join(root, 'static', name));

  const assets: Record<string, () => Promise<Asset>> = {
    '/': () => asset('index.html', 'text/html; charset=utf-8', file('index.html')),
    '/ui/app.js': () =>
      asset('app.js', 'text/javascript; charset=utf-8', () => bundleClient(path.join(root, 'client'))),
    '/ui/app.css': () => asset('app.css', 'text/css; charset=utf-8', file('app.css')),
    '/ui/favicon.svg': () => asset('favicon.svg', 'image/svg+xml', file('favicon.svg')),
  };

  for (const [url, load] of Object.entries(assets)) {
    app.get(url, async (request: FastifyRequest, reply: FastifyReply) => {
      const { body, type, etag } = await load();
      // Revalidated on every load (cheap 304s): a restarted server with a new UI is picked up at once.
      // Security headers (CSP…) come from @fastify/helmet, on every answer of the server.
      reply.header('cache-control', 'no-cache').header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.type(type).send(body);
    });
  }
  app.get('/index.html', (_request, reply) => reply.redirect('/'));
}
