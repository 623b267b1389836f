import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { invalidParam } from '../core/errors/index.js';
import { type PredictionService, predictionToWire } from '../monitoring/prediction-service.js';
import type { Label, Prediction } from '../store/index.js';

const TAGS = ['Pitwall monitoring'];
const AnyBody = Type.Unknown();

const FILTERS =
  'Filters: `deployment`, `version`, `status` (a code such as `200`, a class such as `5xx`, `error` or `ok`), `entity_key`, `from` and `to` (epoch ms or ISO 8601; `to` exclusive).';

const CSV_COLUMNS = ['id', 'time', 'deployment', 'model', 'version', 'endpoint', 'status', 'latency_ms', 'prompt_tokens', 'completion_tokens', 'cost_usd', 'entity_key', 'truncated', 'inputs', 'outputs', 'label'];

function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLine(p: Prediction, label: Label | undefined): string {
  const values = [p.id, new Date(p.time).toISOString(), p.deployment, p.model, p.version, p.endpoint, p.status, p.latencyMs, p.promptTokens, p.completionTokens, p.costUsd, p.entityKey, p.truncated, p.inputs, p.outputs, label?.label];
  return `${values.map(csvField).join(',')}\n`;
}

/**
 * The prediction log's API: query (`/api/v1/predictions`, newest first, keyset paging), one prediction, export as
 * CSV or JSON lines (streamed), feedback on a prediction, and ground-truth labels, one or in bulk (JSON, CSV, JSON lines).
 */
export function registerMonitoringRoutes(app: FastifyInstance, predictions: PredictionService): void {
  void app.register(async (child) => {
    // Bulk labels as CSV or JSON lines: kept as text for the service to parse row by row.
    child.addContentTypeParser(['text/csv', 'application/csv', 'application/x-ndjson', 'application/jsonl', 'application/x-jsonlines'], { parseAs: 'string' }, (_req, body, done) =>
      done(null, { text: body as string }),
    );
    child.get(
      '/api/v1/predictions',
      { schema: { summary: 'Query the prediction log (newest first)', description: `${FILTERS} Paging: \`max_results\` (1-1000, default 100) and \`page_token\` (the previous page's \`next_page_token\`). Each prediction comes with its feedback and label.`, tags: TAGS } },
      async (req) => predictions.list(predictions.parseQuery(req.query as Record<string, unknown>)),
    );
    child.get(
      '/api/v1/predictions/export',
      { schema: { summary: 'Export the prediction log as CSV or JSON lines', description: `\`format\`: \`csv\` (default) or \`jsonl\`. ${FILTERS} Streams every matching prediction, newest first, with its label.`, tags: TAGS } },
      async (req, reply) => {
        const q = req.query as Record<string, unknown>;
        const format = q.format ?? 'csv';
        if (format !== 'csv' && format !== 'jsonl') throw invalidParam('format must be csv or jsonl', 'format');
        const query = predictions.parseQuery({ ...q, page_token: undefined, max_results: 1000 });
        const rows = predictions.all(query);
        async function* lines() {
          if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\n`;
          for await (const { p, label } of rows) {
            if (format === 'csv') yield csvLine(p, label);
            else yield `${JSON.stringify(predictionToWire(p, { label }))}\n`;
          }
        }
        const name = `predictions-${new Date().toISOString().replace(/[:.]/g, '-')}.${format}`;
        return reply
          .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(Readable.from(lines()));
      },
    );
    child.get('/api/v1/predictions/:id', { schema: { summary: 'One prediction, with its feedback and label', tags: TAGS, params: Type.Object({ id: Type.String() }) } }, async (req) => ({
      prediction: await predictions.get((req.params as { id: string }).id),
    }));
    child.get(
      '/api/v1/deployments/:name/stats',
      {
        schema: {
          summary: 'Traffic, latency, cost, feedback and performance of a deployment over time, per version',
          description:
            '`from` and `to` (epoch ms or ISO 8601; default the last hour), `step` (`60`, `5m`, `1h`…; whole minutes; default the first of 1m, 5m, 15m, 1h, 6h, 1d giving at most 200 points). Per version and step: `requests`, `request_rate` (/s), `error_rate` (5xx share), `latency_ms` p50/p95/p99/mean, `cost_usd`, `tokens_per_second`, `feedback` (rate, thumbs-down rate, mean score) and `performance` of labelled predictions (accuracy, F1 for 0/1 labels, MAE, RMSE); `totals` over the window. Read from minute roll-ups.',
          tags: TAGS,
          params: Type.Object({ name: Type.String() }),
        },
      },
      async (req) => predictions.stats((req.params as { name: string }).name, req.query as Record<string, unknown>),
    );
    child.post(
      '/api/v1/feedback',
      { schema: { summary: 'Feedback on a prediction', description: 'Body: `prediction_id` (the `x-pitwall-prediction-id` header of the answer), and at least one of `thumbs` (`up` or `down`), `score` (a number), `comment`.', tags: TAGS, body: AnyBody } },
      async (req) => ({ feedback: await predictions.addFeedback(req.body) }),
    );
    child.post(
      '/api/v1/labels',
      {
        schema: {
          summary: 'Ground truth for predictions, arriving later',
          description:
            'One label `{prediction_id | entity_key, label, time}`, a list `{"labels": [...]}`, or a CSV (`text/csv`) or JSON-lines (`application/x-ndjson`) body with those columns. A label by `entity_key` joins the latest prediction about that entity at or before `time` (default now). Answers `{accepted, unmatched: [{index, reason}]}`; a single unmatched label is a 404.',
          tags: TAGS,
          body: AnyBody,
        },
      },
      async (req) => predictions.addLabels(req.body, String(req.headers['content-type'] ?? '')),
    );
  });
}
