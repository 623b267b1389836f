import type { FastifyInstance } from 'fastify';
import { invalidParam } from '../core/errors/index.js';
import type { ChangeEvent, ChangeFeed } from '../store/changes/index.js';

const ENTITIES = ['registered_model', 'model_version', 'alias', 'approval', 'deployment', 'resync'] as const;
const HEARTBEAT_MS = 15_000;
/** A client that stops reading is cut off rather than buffered without bound; it reconnects and re-reads. */
const MAX_BACKLOG_BYTES = 1024 * 1024;

function wire(e: ChangeEvent): Record<string, unknown> {
  const { newName, ...rest } = e as ChangeEvent & { newName?: string };
  return newName === undefined ? rest : { ...rest, new_name: newName };
}

function parseEntities(v: unknown): Set<string> | null {
  if (v === undefined || v === '') return null;
  if (typeof v !== 'string') throw invalidParam('entities must be a comma-separated list', 'entities');
  const list = v.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = list.find((x) => !(ENTITIES as readonly string[]).includes(x));
  if (bad) throw invalidParam(`Unknown entity '${bad}' in entities; expected some of ${ENTITIES.join(', ')}`, 'entities');
  return new Set(list);
}

/**
 * `GET /api/v1/events`: committed changes as Server-Sent Events, from every replica on the same store (PostgreSQL
 * LISTEN/NOTIFY; in-process on SQLite). `event:` is the entity, `data:` the change as JSON. An `event: ready` follows
 * once the stream is subscribed; `resync` means changes may have been missed and cached state should be re-read.
 */
export function registerEventRoutes(app: FastifyInstance, changes: ChangeFeed): void {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  app.get(
    '/api/v1/events',
    {
      schema: {
        summary: 'Stream of committed changes (Server-Sent Events)',
        description: `Every change to registered models, versions, aliases, approvals and deployments made through any server on this store, as \`text/event-stream\`. Filter with \`entities\` (comma-separated: ${ENTITIES.join(', ')}). The stream starts with \`event: ready\` once subscribed; a \`resync\` event means notifications may have been lost and clients should re-read what they cache.`,
        tags: ['Pitwall events'],
        querystring: { type: 'object', properties: { entities: { type: 'string' } }, additionalProperties: false },
      },
    },
    async (req, reply) => {
      const only = parseEntities((req.query as { entities?: unknown }).entities);
      // Subscribed before the stream opens: when the database cannot be listened to, this is a 503 the client retries.
      await changes.ready();
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write('retry: 2000\n\n');
      let ended = false;
      const send = (text: string) => {
        if (ended) return;
        if (res.writableLength > MAX_BACKLOG_BYTES) return end();
        res.write(text);
      };
      const off = changes.subscribe((e) => {
        // `resync` always passes the filter: it says that changes of every kind may have been missed.
        if (!only || only.has(e.entity) || e.entity === 'resync') send(`event: ${e.entity}\ndata: ${JSON.stringify(wire(e))}\n\n`);
      });
      const heartbeat = setInterval(() => send(': ping\n\n'), HEARTBEAT_MS);
      function end() {
        if (ended) return;
        ended = true;
        off();
        clearInterval(heartbeat);
        open.delete(end);
        res.end();
      }
      open.add(end);
      req.raw.once('close', end);
      res.once('error', end);
      send('event: ready\ndata: {}\n\n');
    },
  );
}
