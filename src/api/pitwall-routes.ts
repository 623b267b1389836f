import type { FastifyInstance } from 'fastify';
import type { DownsampledHistory } from '../store/index.js';
import type { RunService } from '../tracking/index.js';
import { CURVE_SCHEMAS } from './mlflow/tracking-schemas.js';

function curveJson(c: DownsampledHistory) {
  return {
    run_id: c.runId,
    key: c.key,
    total: c.total,
    downsampled: c.downsampled,
    min_step: c.minStep,
    max_step: c.maxStep,
    points: c.points.map((p) => ({ step: p.step, value: p.value, timestamp: p.timestamp })),
  };
}

/** Pitwall's own REST API (`/api/v1`): what MLflow's protocol lacks. */
export function registerPitwallRoutes(app: FastifyInstance, s: { runs: RunService }): void {
  app.get(
    '/api/v1/metrics/curve',
    {
      schema: {
        summary: 'Downsampled metric curve for charts',
        description:
          'At most `points` values of one metric of one run that keep the curve’s shape: the step range is cut into points/2 buckets and each contributes its minimum and maximum. Narrow ranges come back whole. Reads a pre-aggregated pyramid, so a 1,000,000-step history answers in milliseconds.',
        tags: ['Pitwall metrics'],
        querystring: CURVE_SCHEMAS.curve,
      },
    },
    async (req) => curveJson(await s.runs.curve(req.query as Record<string, unknown>)),
  );
  app.get(
    '/api/v1/metrics/curves',
    {
      schema: {
        summary: 'Downsampled curves of one metric for several runs (compare view)',
        description: 'As /api/v1/metrics/curve, for up to 100 runs in one request: at most `points` values per run.',
        tags: ['Pitwall metrics'],
        querystring: CURVE_SCHEMAS.curves,
      },
    },
    async (req) => ({ curves: (await s.runs.curves(req.query as Record<string, unknown>)).map(curveJson) }),
  );
}
