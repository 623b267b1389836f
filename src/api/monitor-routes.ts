import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { invalidParam } from '../core/errors/index.js';
import { MAX_REFERENCE_BYTES, type MonitorService } from '../drift/monitors/monitor-service.js';
import { monitorToWire, runToWire } from '../drift/monitors/monitor-spec.js';
import { Opt } from './schemas.js';

const TAGS = ['Pitwall drift monitors'];
const NameParams = Type.Object({ name: Type.String() });
const Body = Type.Object({}, { additionalProperties: true });

function limitOf(v: unknown): number {
  if (v === undefined) return 100;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw invalidParam('max_results must be a whole number from 1 to 1000', 'max_results');
  return n;
}

function beforeOf(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = /^\d+$/.test(String(v)) ? Number(v) : Date.parse(String(v));
  if (!Number.isFinite(n)) throw invalidParam('before must be epoch milliseconds or an ISO 8601 time', 'before');
  return n;
}

/**
 * Drift monitors (`/api/v1/monitors`): a deployment's traffic compared with a reference on a cron schedule, on the
 * jobs queue; each check stored with its drift report; webhooks told when the verdict changes.
 */
export function registerMonitorRoutes(app: FastifyInstance, monitors: MonitorService): void {
  void app.register(async (child) => {
    child.addContentTypeParser(['text/csv', 'application/csv', 'application/x-ndjson', 'application/jsonl', 'application/x-jsonlines'], { parseAs: 'string', bodyLimit: MAX_REFERENCE_BYTES }, (req, body, done) =>
      done(null, { text: body as string, format: /csv/.test(String(req.headers['content-type'])) ? 'csv' : 'jsonl' }),
    );
    child.post(
      '/api/v1/monitors',
      {
        schema: {
          summary: 'Create a drift monitor',
          description:
            'Body: `name`, `deployment`; optional `description`, `reference` (`{type: "run_artifact", run_id, path}` or `{type: "window", deployment?, from, to}` in epoch ms; or upload a file with PUT …/reference), `schedule` (cron, default `0 * * * *`), `timezone` (default UTC), `window_minutes` (default 60), `max_rows` (default 100000), `options` (drift report options: `columns`, `exclude`, `kinds`, `tests`, `thresholds`, `correction`, `drift_share`, `min_rows`, `seed`), `webhooks` (`[{url, format: "json" | "slack"}]`), `enabled` (default true).',
          tags: TAGS,
          body: Body,
        },
      },
      async (req) => ({ monitor: monitorToWire(await monitors.create(req.body)) }),
    );
    child.get('/api/v1/monitors', { schema: { summary: 'List drift monitors by name', tags: TAGS, querystring: Type.Object({ deployment: Opt(Type.String()) }) } }, async (req) => {
      const q = req.query as { deployment?: string };
      return { monitors: (await monitors.list(q.deployment !== undefined ? { deployment: q.deployment } : {})).map(monitorToWire) };
    });
    child.get('/api/v1/monitors/:name', { schema: { summary: 'Get a drift monitor', tags: TAGS, params: NameParams } }, async (req) => ({
      monitor: monitorToWire(await monitors.get((req.params as { name: string }).name)),
    }));
    child.patch('/api/v1/monitors/:name', { schema: { summary: 'Change a drift monitor', description: 'Any field of the create body but `name`; the schedule follows at once.', tags: TAGS, params: NameParams, body: Body } }, async (req) => ({
      monitor: monitorToWire(await monitors.update((req.params as { name: string }).name, req.body)),
    }));
    child.delete('/api/v1/monitors/:name', { schema: { summary: 'Delete a drift monitor, its schedule and its checks', tags: TAGS, params: NameParams } }, async (req) => {
      await monitors.delete((req.params as { name: string }).name);
      return {};
    });
    child.put(
      '/api/v1/monitors/:name/reference',
      {
        schema: {
          summary: "Upload a monitor's reference data",
          description: 'A CSV file with a header row (`content-type: text/csv`) or JSON lines (`application/x-ndjson`), up to 256 MB; it replaces the reference. Refused (400, field `body`) if it cannot be read.',
          tags: TAGS,
          params: NameParams,
        },
      },
      async (req) => {
        const body = req.body as { text?: string; format?: 'csv' | 'jsonl' } | undefined;
        if (typeof body?.text !== 'string') throw invalidParam('send the reference as text/csv or application/x-ndjson', 'content-type');
        return { monitor: monitorToWire(await monitors.putReference((req.params as { name: string }).name, body.text, body.format ?? 'csv')) };
      },
    );
    child.post('/api/v1/monitors/:name/run', { schema: { summary: 'Check a monitor now', description: 'Queues a check on the jobs queue; answers its job id (`GET /api/v1/jobs/{id}`). A check already queued or running answers its id.', tags: TAGS, params: NameParams } }, async (req) => ({
      job_id: await monitors.runNow((req.params as { name: string }).name),
    }));
    child.get(
      '/api/v1/monitors/:name/runs',
      {
        schema: {
          summary: "A monitor's checks, newest first",
          description: '`max_results` (1–1000, default 100), `before` (epoch ms or ISO time: checks before it, for paging), `reports=true` to include each drift report (then `max_results` at most 100).',
          tags: TAGS,
          params: NameParams,
          querystring: Type.Object({ max_results: Opt(Type.String()), before: Opt(Type.String()), reports: Opt(Type.String()) }),
        },
      },
      async (req) => {
        const name = (req.params as { name: string }).name;
        const q = req.query as { max_results?: string; before?: string; reports?: string };
        await monitors.get(name);
        const before = beforeOf(q.before);
        // A report can be large (distributions of every column): at most 100 of them in one answer.
        if (q.reports === 'true' && limitOf(q.max_results) > 100) throw invalidParam('max_results must be at most 100 with reports=true', 'max_results');
        const runs = await monitors.runs(name, { limit: limitOf(q.max_results), ...(before !== undefined ? { before } : {}), withReports: q.reports === 'true' });
        return { runs: runs.map(runToWire) };
      },
    );
    child.get('/api/v1/monitors/:name/runs/:id', { schema: { summary: 'One check of a monitor, with its drift report', tags: TAGS, params: Type.Object({ name: Type.String(), id: Type.String() }) } }, async (req) => {
      const { name, id } = req.params as { name: string; id: string };
      return { run: runToWire(await monitors.run(name, id)) };
    });
  });
}
