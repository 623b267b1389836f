import type { FastifyInstance } from 'fastify';
import { EXPOSITION_CONTENT_TYPE } from '../monitoring/exposition.js';
import type { Monitoring } from '../monitoring/monitoring.js';

/** `GET /metrics`: every metric in the Prometheus text exposition format (docs/monitoring.md lists them). */
export function registerMetricsRoutes(app: FastifyInstance, monitoring: Monitoring): void {
  app.get('/metrics', { schema: { summary: 'Prometheus metrics (text exposition format 0.0.4)', tags: ['Monitoring'] } }, async (_req, reply) =>
    reply.type(EXPOSITION_CONTENT_TYPE).send(monitoring.metricsText()),
  );
}
