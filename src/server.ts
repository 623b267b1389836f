import type { FastifyInstance } from 'fastify';
import { createApp } from './api/index.js';
import { type ConfigInput, isLoopback, loadConfig } from './config/index.js';
import type { Config } from './config/index.js';
import { systemClock } from './core/clock.js';
import { AppError } from './core/errors/index.js';
import { createStore, type SqlStore } from './store/index.js';
import { redactUri } from './store/create-store.js';
import { createArtifactStore } from './artifacts/index.js';
import { GovernanceService, LoggedModelService, RegistryService, storedModelInspector } from './registry/index.js';
import { ExperimentService, RunService } from './tracking/index.js';
import { type BaseJobQueue, createJobQueue, registerBuiltinHandlers } from './jobs/index.js';
import { DeploymentService } from './serving/deployment-service.js';
import { Serving, modelCacheDir } from './serving/serving.js';
import { Monitoring } from './monitoring/monitoring.js';
import { PredictionLog } from './monitoring/prediction-log.js';
import { PredictionService } from './monitoring/prediction-service.js';
import { RollupWriter } from './monitoring/rollups.js';
import { MonitorService, monitorJob } from './drift/monitors/monitor-service.js';
import type { CheckDeps } from './drift/monitors/monitor-check.js';
import { ReviewService } from './drift/quality/review-service.js';
import { JUDGE_ENTITY_KEY } from './drift/quality/judge.js';
import type { Deployment } from './store/index.js';

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  store: SqlStore;
  serving: Serving;
  config: Readonly<Config>;
  /** Drains serving (readiness false, in-flight requests finish within `serving.drainSeconds`), then closes. */
  close(): Promise<void>;
}

export interface BuildOptions {
  /** Serve these deployments instead of the store's (`pitwall serve models:/…`). */
  deployments?: Deployment[];
  /** How often serving re-reads aliases and deployments besides the change feed (ms). */
  servingPollMs?: number;
}

/** Builds store, services and app from a config without listening (tests use `app.inject`). */
export async function buildServer(config: Readonly<Config>, opts: BuildOptions = {}): Promise<{ app: FastifyInstance; store: SqlStore; serving: Serving }> {
  const artifacts = await createArtifactStore(config.artifacts);
  let store: SqlStore;
  try {
    store = await createStore(config.store, { defaultArtifactRoot: config.defaultArtifactRoot, clock: systemClock });
  } catch (e) {
    await artifacts.close();
    throw e;
  }
  // Monitor checks call an LLM judge through this server's own chat route, once the app exists.
  let appForChecks: FastifyInstance | undefined;
  const checkDeps: CheckDeps = {
    store,
    artifacts,
    // A check that starts before the app exists (jobs start first) waits for the next one rather than failing.
    chat: async (body) => {
      if (!appForChecks) throw new Error('the server is still starting: the judge is called from the next check');
      const res = await appForChecks.inject({ method: 'POST', url: '/v1/chat/completions', payload: body, headers: { 'content-type': 'application/json', 'x-pitwall-entity-key': JUDGE_ENTITY_KEY } });
      let json: unknown;
      try {
        json = JSON.parse(res.body);
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, body: json };
    },
  };
  let jobs: BaseJobQueue | undefined;
  let serving: Serving | undefined;
  try {
    // Background jobs on the store's database; this process also works them unless jobs.inServer is false.
    jobs = createJobQueue(store, { leaseSeconds: config.jobs.leaseSeconds, onEvent: (e) => e.type === 'error' && process.stderr.write(`jobs: ${e.message}\n`) });
    if (config.jobs.inServer) await registerBuiltinHandlers(jobs, { extra: [monitorJob(checkDeps)] });
    await jobs.start();
    const queue = jobs;
    serving = new Serving({
      store,
      artifacts,
      config: config.serving,
      cacheDir: modelCacheDir(config.dataDir),
      ...(opts.deployments ? { deployments: opts.deployments } : {}),
      ...(opts.servingPollMs ? { pollMs: opts.servingPollMs } : {}),
    });
    const served = serving;
    const predictionLog = new PredictionLog(store.predictions, config.monitoring);
    const rollups = new RollupWriter(store.predictions);
    const monitoring = new Monitoring({ serving: served, log: predictionLog, rollups, maxPayloadBytes: config.monitoring.maxPayloadBytes });
    const services = {
      experiments: new ExperimentService(store),
      runs: new RunService(store, systemClock),
      registry: new RegistryService(store, artifacts.rootUri, storedModelInspector(artifacts)),
      loggedModels: new LoggedModelService(store),
      governance: new GovernanceService(store),
      artifacts,
      changes: store.changes,
      jobs: queue,
      deployments: new DeploymentService(store, Object.keys(config.serving.upstreams)),
      serving: served,
      monitoring,
      predictions: new PredictionService(store, predictionLog, rollups),
      monitors: new MonitorService(store, artifacts, queue),
      reviews: new ReviewService(store),
    };
    const single = opts.deployments?.length === 1 ? opts.deployments[0]!.name : undefined;
    const app = await createApp(services, {
      logLevel: config.log.level === 'debug' ? 'debug' : 'warn',
      maxTimeoutMs: config.serving.maxTimeoutMs,
      ...(single !== undefined ? { single } : {}),
    });
    appForChecks = app;
    app.addHook('onClose', async () => {
      await served.close();
      await predictionLog.close();
      await rollups.close();
      await queue.stop({ timeoutMs: 10_000 });
      await store.close();
      await artifacts.close();
    });
    await served.start();
    predictionLog.start();
    rollups.start();
    return { app, store, serving: served };
  } catch (e) {
    await serving?.close();
    await jobs?.stop({ graceful: false });
    await store.close();
    await artifacts.close();
    throw e;
  }
}

/**
 * The composition root: loadConfig → createStore → services → createApp → listen. Refuses to bind beyond loopback
 * unless `--insecure-bind` (no authentication exists yet). SIGTERM/SIGINT close gracefully: in-flight requests finish,
 * the database is closed, exit code 0.
 */
export async function startServer(
  flags: ConfigInput & { configFile?: string } = {},
  opts: { handleSignals?: boolean; quiet?: boolean; build?: BuildOptions } = {},
): Promise<RunningServer> {
  const config = loadConfig(flags);
  if (!isLoopback(config.server.host) && !config.server.insecureBind) {
    throw new AppError(
      'PERMISSION_DENIED',
      `Refusing to bind ${config.server.host}: Pitwall has no authentication yet, so it only listens on 127.0.0.1 by default. Pass --insecure-bind to expose it anyway.`,
      { field: 'host' },
    );
  }
  if (!isLoopback(config.server.host)) {
    process.stderr.write(`WARNING: listening on ${config.server.host} without authentication (--insecure-bind). Anyone who can reach this port can read and change all data.\n`);
  }
  const { app, store, serving } = await buildServer(config, opts.build);
  // A deep accept queue: under a burst of new connections, Node's default (511) drops SYNs, and a dropped SYN costs
  // the client a 1 s (then 3 s) retransmit before the server even sees the request it would have refused at once.
  await app.listen({ host: config.server.host, port: config.server.port, backlog: 4096 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.server.port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const url = `http://${host}:${port}`;
  if (!opts.quiet) process.stdout.write(`Pitwall listening on ${url} (data: ${config.dataDir}, store: ${redactUri(config.store.uri.split('?')[0]!)})\n`);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const left = await serving.drain(config.serving.drainSeconds * 1000);
      if (left > 0) {
        process.stderr.write(`serving: ${left} request(s) still running after the ${config.serving.drainSeconds} s grace period; answering them 503 and closing\n`);
        serving.abortInFlight();
      }
      await closeApp(app);
    })());
  if (opts.handleSignals !== false) {
    const onSignal = (sig: string) => {
      process.stdout.write(`Received ${sig}, draining (readiness is now false) and shutting down\n`);
      close().then(
        () => process.exit(0),
        (e: unknown) => {
          process.stderr.write(`shutdown failed: ${String(e)}\n`);
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  }
  return { url, app, store, serving, config, close };
}

/**
 * `app.close()`, plus: keep-alive connections that become idle while closing (their in-flight request just answered)
 * are closed at once. Fastify closes only the connections idle when `close()` starts, so a client whose request was
 * in flight would otherwise hold the process for the whole keep-alive timeout (72 s).
 */
async function closeApp(app: FastifyInstance): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}
