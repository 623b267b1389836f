import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors/index.js';

/** `dist/ui` of this package; the same from `src/api` (tsx) and `dist/api` (built). */
export const UI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/ui');

const API_PREFIXES = ['/api/', '/ajax-api/', '/v1/', '/v2/', '/docs', '/metrics', '/health', '/version'];

/** Serves the built web app at `/` and its client-side routes; API paths that match nothing get a JSON 404. */
export async function registerUi(app: FastifyInstance): Promise<void> {
  const built = existsSync(path.join(UI_DIR, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, { root: UI_DIR, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    if (req.method !== 'GET' || API_PREFIXES.some((p) => url.startsWith(p)) || url.startsWith('/assets/')) {
      throw new AppError('ENDPOINT_NOT_FOUND', `No route for ${req.method} ${url}`, { field: 'path' });
    }
    if (!built) {
      return reply.type('text/html').send('<h1>Pitwall</h1><p>The web UI is not built. Run <code>npm run build</code>.</p>');
    }
    return reply.type('text/html').sendFile('index.html');
  });
}
