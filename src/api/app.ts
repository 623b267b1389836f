import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { GovernanceService, LoggedModelService, RegistryService } from '../registry/index.js';
import type { ExperimentService, RunService } from '../tracking/index.js';
import { clientErrorHandler, errorBody, installErrorHandler, toAppError } from './error-handler.js';
import { installJsonParser } from './lenient-json.js';
import { registerArtifactRoutes } from './mlflow/artifact-routes.js';
import { registerLoggedModelRoutes } from './mlflow/logged-model-routes.js';
import { registerRegistryRoutes } from './mlflow/registry-routes.js';
import { registerTrackingRoutes } from './mlflow/tracking-routes.js';
import type { ChangeFeed } from '../store/changes/index.js';
import { registerEventRoutes } from './events-routes.js';
import type { JobQueue } from '../jobs/index.js';
import { registerJobRoutes } from './jobs-routes.js';
import { registerRegistryApiRoutes } from './registry-routes.js';
import { registerPitwallRoutes } from './pitwall-routes.js';
import { registerUi } from './ui-routes.js';
import { VERSION } from './version.js';
import type { DeploymentService } from '../serving/deployment-service.js';
import type { Serving } from '../serving/serving.js';
import { registerDeploymentRoutes } from './deployments-routes.js';
import { registerInferenceRoutes } from './inference-routes.js';
import { registerOpenAiRoutes } from './openai-routes.js';
import type { Monitoring } from '../monitoring/monitoring.js';
import { registerMetricsRoutes } from './metrics-routes.js';
import type { PredictionService } from '../monitoring/prediction-service.js';
import { registerMonitoringRoutes } from './monitoring-routes.js';
import { registerMonitorRoutes } from './monitor-routes.js';
import { registerReviewRoutes } from './review-routes.js';
import type { ReviewService } from '../drift/quality/review-service.js';
import type { MonitorService } from '../drift/monitors/monitor-service.js';

export interface Services {
  experiments: ExperimentService;
  runs: RunService;
  registry: RegistryService;
  loggedModels: LoggedModelService;
  governance: GovernanceService;
  artifacts: ArtifactStore;
  changes: ChangeFeed;
  jobs: JobQueue;
  deployments: DeploymentService;
  serving: Serving;
  monitoring: Monitoring;
  predictions: PredictionService;
  monitors: MonitorService;
  reviews: ReviewService;
}

export interface AppOptions {
  logLevel?: string;
  /** Largest accepted request body in bytes (dataset profiles may reach 16 MB). */
  bodyLimit?: number;
  /** Longest deadline an inference request may ask for (ms). */
  maxTimeoutMs?: number;
  /** `pitwall serve`: the one deployment `/invocations` and `/ping` answer for. */
  single?: string;
}

export { VERSION };

/** Builds the HTTP app: every protocol's routes, OpenAPI at /docs, the web UI at /. Does not listen. */
export async function createApp(services: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: opts.logLevel ?? 'warn' },
    bodyLimit: opts.bodyLimit ?? 32 * 1024 * 1024,
    return503OnClosing: true,
    clientErrorHandler,
    // Errors the router raises before any route or error handler runs (a malformed URL such as `%c0%ae` or `%ff`).
    frameworkErrors: (err, _req, reply) => {
      const e = toAppError(err);
      const r = reply as unknown as { code(n: number): { type(t: string): { send(b: unknown): unknown } } };
      void r.code(e.httpStatus).type('application/json').send(errorBody(e));
    },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, strict: false, verbose: true } },
  });
  installErrorHandler(app);
  installJsonParser(app);
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Pitwall API', version: VERSION, description: 'MLflow REST API 2.0 (tracking, model registry, logged models, artifact proxy) and Pitwall’s own /api/v1.' },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/health', { schema: { hide: true } }, async (_req, reply) => reply.type('text/plain').send('OK'));
  app.get('/version', { schema: { hide: true } }, async (_req, reply) => reply.type('text/plain').send(VERSION));
  registerTrackingRoutes(app, services);
  registerRegistryRoutes(app, services);
  registerLoggedModelRoutes(app, services);
  registerArtifactRoutes(app, services.artifacts);
  registerPitwallRoutes(app, services);
  registerRegistryApiRoutes(app, services);
  registerEventRoutes(app, services.changes);
  registerJobRoutes(app, services);
  registerDeploymentRoutes(app, services);
  registerMetricsRoutes(app, services.monitoring);
  registerMonitoringRoutes(app, services.predictions);
  registerMonitorRoutes(app, services.monitors);
  registerReviewRoutes(app, services.reviews);
  const inference = { serving: services.serving, monitoring: services.monitoring, maxTimeoutMs: opts.maxTimeoutMs ?? 300_000 };
  await registerInferenceRoutes(app, { ...inference, ...(opts.single !== undefined ? { single: opts.single } : {}) });
  await registerOpenAiRoutes(app, inference);
  await registerUi(app);
  return app;
}
