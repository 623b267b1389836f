import { readFileSync } from 'node:fs';
import { parseUpstreams, type UpstreamConfig } from '../serving/upstream/upstream-config.js';
import path from 'node:path';
import { invalidParam } from '../core/errors/index.js';
import { type EnvVar, readEnv } from './env-vars.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface ServerConfig {
  host: string;
  port: number;
  /** Allow binding beyond loopback without authentication (prints a warning). */
  insecureBind: boolean;
}

export interface StoreConfig {
  /** `sqlite:<path>` (default: `<dataDir>/pitwall.db`) or `postgres://user@host:port/db` (scale-out). */
  uri: string;
  /** SQLite `synchronous` pragma: NORMAL survives a process kill; FULL also survives power loss. */
  sqliteSynchronous: 'NORMAL' | 'FULL';
  /** PostgreSQL connections per process (default 10); size it so replicas × pool stays under `max_connections`. */
  postgresPoolSize: number;
}

export interface ArtifactsConfig {
  /**
   * Where artifact bytes live (MLflow's `--artifacts-destination`): a directory (default `<dataDir>/artifacts`; a
   * relative path is resolved against the working directory), `file:///dir`, or `s3://bucket/prefix`.
   */
  uri: string;
  /** S3 client settings, from the environment only (as MLflow): `MLFLOW_S3_ENDPOINT_URL`, `AWS_ENDPOINT_URL_S3`,
   * `AWS_ENDPOINT_URL`; `AWS_REGION`, `AWS_DEFAULT_REGION`. Credentials come from the AWS SDK's provider chain. */
  s3: { endpointUrl?: string; region?: string };
}

export interface JobsConfig {
  /** Run a job worker inside `pitwall server` (default true). Scaled out: false, and run `pitwall worker` processes. */
  inServer: boolean;
  /** Seconds a running job stays taken without its worker renewing the lease; a killed worker's job comes back after about this long (default 30). */
  leaseSeconds: number;
}

export interface ServingConfig {
  /** Memory all loaded models may hold together, in MiB (default 2048); idle models are unloaded to stay under it. */
  modelMemoryMb: number;
  /** Model loads running at once (default 2). */
  maxParallelLoads: number;
  /** On SIGTERM, how long in-flight requests get to finish before the process exits anyway (default 30). */
  drainSeconds: number;
  /** Longest deadline a request may ask for, in ms (default 300000). */
  maxTimeoutMs: number;
  /**
   * Upstream OpenAI-compatible servers (vLLM, TGI, llama.cpp's server) deployments may name as targets, by name.
   * Only the admin configuration sets their URLs and keys (config file or `PITWALL_SERVING_UPSTREAMS`), never a request.
   */
  upstreams: Record<string, UpstreamConfig>;
}

export interface MonitoringConfig {
  /** Predictions waiting to be written at most (default 10000); past it new ones are dropped and counted. */
  bufferSize: number;
  /** Predictions written per transaction at most (default 1000). */
  batchSize: number;
  /** How often the buffer is written out, ms (default 200); a full batch goes at once. */
  flushMs: number;
  /** Longest inputs or outputs kept per prediction, in characters of JSON (default 65536); longer ones are cut and flagged. */
  maxPayloadBytes: number;
  /** Predictions older than this many days are deleted (default 30). */
  retentionDays: number;
  /** The most predictions kept (default 10,000,000); the oldest are deleted first. */
  maxRows: number;
}

export interface Config {
  server: ServerConfig;
  dataDir: string;
  store: StoreConfig;
  artifacts: ArtifactsConfig;
  /** Artifact URI prefix new experiments get (MLflow's `--default-artifact-root`); the proxy serves `mlflow-artifacts:`. */
  defaultArtifactRoot: string;
  log: { level: LogLevel };
  jobs: JobsConfig;
  serving: ServingConfig;
  monitoring: MonitoringConfig;
}

/** Values given by flags or a config file; every field optional. */
export interface ConfigInput {
  server?: Partial<ServerConfig>;
  dataDir?: string;
  store?: Partial<StoreConfig>;
  artifacts?: { uri?: string };
  defaultArtifactRoot?: string;
  log?: { level?: LogLevel };
  jobs?: Partial<JobsConfig>;
  /** `upstreams` as the file writes it (snake_case settings), checked by `parseUpstreams`. */
  serving?: Partial<Omit<ServingConfig, 'upstreams'>> & { upstreams?: unknown };
  monitoring?: Partial<MonitoringConfig>;
}

const ALLOWED: Record<string, readonly string[] | null> = {
  server: ['host', 'port', 'insecureBind'],
  dataDir: null,
  store: ['uri', 'sqliteSynchronous', 'postgresPoolSize'],
  artifacts: ['uri'],
  defaultArtifactRoot: null,
  log: ['level'],
  jobs: ['inServer', 'leaseSeconds'],
  serving: ['modelMemoryMb', 'maxParallelLoads', 'drainSeconds', 'maxTimeoutMs', 'upstreams'],
  monitoring: ['bufferSize', 'batchSize', 'flushMs', 'maxPayloadBytes', 'retentionDays', 'maxRows'],
};

function checkKeys(input: Record<string, unknown>, source: string): void {
  for (const [k, v] of Object.entries(input)) {
    if (!(k in ALLOWED)) throw invalidParam(`Unknown config key '${k}' in ${source}`, k);
    const sub = ALLOWED[k];
    if (sub && v && typeof v === 'object') {
      for (const sk of Object.keys(v)) {
        if (!sub.includes(sk)) throw invalidParam(`Unknown config key '${k}.${sk}' in ${source}`, `${k}.${sk}`);
      }
    }
  }
}

function parsePort(v: string | number, field: string): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw invalidParam(`${field} must be a port number 0-65535, got '${v}'`, field);
  return n;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * Builds the one frozen Config: defaults < file (`PITWALL_CONFIG` or `flags.configFile`) < env `PITWALL_*` < flags.
 */
export function loadConfig(
  flags: ConfigInput & { configFile?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): Readonly<Config> {
  const layers: ConfigInput[] = [];
  const file = flags.configFile ?? readEnv('PITWALL_CONFIG', env);
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw invalidParam(`Cannot read config file ${file}: ${(e as Error).message}`, 'config');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidParam(`Config file ${file} must hold a JSON object`, 'config');
    checkKeys(parsed as Record<string, unknown>, file);
    layers.push(parsed as ConfigInput);
  }
  const e: ConfigInput = { server: {}, store: {}, artifacts: {}, log: {}, jobs: {}, serving: {}, monitoring: {} };
  const host = readEnv('PITWALL_HOST', env);
  if (host) e.server!.host = host;
  const port = readEnv('PITWALL_PORT', env);
  if (port) e.server!.port = parsePort(port, 'PITWALL_PORT');
  const dataDir = readEnv('PITWALL_DATA_DIR', env);
  if (dataDir) e.dataDir = dataDir;
  const storeUri = readEnv('PITWALL_STORE_URI', env);
  if (storeUri) e.store!.uri = storeUri;
  const sync = readEnv('PITWALL_SQLITE_SYNCHRONOUS', env);
  if (sync) e.store!.sqliteSynchronous = sync.toUpperCase() as StoreConfig['sqliteSynchronous'];
  const pool = readEnv('PITWALL_PG_POOL_SIZE', env);
  if (pool) e.store!.postgresPoolSize = Number(pool);
  const artifactsUri = readEnv('PITWALL_ARTIFACTS_URI', env);
  if (artifactsUri) e.artifacts!.uri = artifactsUri;
  const level = readEnv('PITWALL_LOG_LEVEL', env);
  if (level) e.log!.level = level as LogLevel;
  const inServer = readEnv('PITWALL_JOBS_IN_SERVER', env);
  if (inServer) e.jobs!.inServer = parseBool(inServer, 'PITWALL_JOBS_IN_SERVER');
  const lease = readEnv('PITWALL_JOBS_LEASE_SECONDS', env);
  if (lease) e.jobs!.leaseSeconds = Number(lease);
  const upstreams = readEnv('PITWALL_SERVING_UPSTREAMS', env);
  if (upstreams) {
    try {
      e.serving!.upstreams = JSON.parse(upstreams) as unknown;
    } catch {
      throw invalidParam('PITWALL_SERVING_UPSTREAMS must hold JSON: an object mapping upstream names to their settings', 'PITWALL_SERVING_UPSTREAMS');
    }
  }
  const servingEnv: [EnvVar, Exclude<keyof ServingConfig, 'upstreams'>][] = [
    ['PITWALL_SERVING_MODEL_MEMORY_MB', 'modelMemoryMb'],
    ['PITWALL_SERVING_MAX_PARALLEL_LOADS', 'maxParallelLoads'],
    ['PITWALL_SERVING_DRAIN_SECONDS', 'drainSeconds'],
    ['PITWALL_SERVING_MAX_TIMEOUT_MS', 'maxTimeoutMs'],
  ];
  for (const [name, key] of servingEnv) {
    const v = readEnv(name, env);
    if (v) e.serving![key] = Number(v);
  }
  const monitoringEnv: [EnvVar, keyof MonitoringConfig][] = [
    ['PITWALL_PREDICTION_LOG_RETENTION_DAYS', 'retentionDays'],
    ['PITWALL_PREDICTION_LOG_MAX_ROWS', 'maxRows'],
    ['PITWALL_PREDICTION_LOG_MAX_PAYLOAD_BYTES', 'maxPayloadBytes'],
    ['PITWALL_PREDICTION_LOG_BUFFER', 'bufferSize'],
  ];
  for (const [name, key] of monitoringEnv) {
    const v = readEnv(name, env);
    if (v) e.monitoring![key] = Number(v);
  }
  layers.push(e);
  const { configFile: _ignored, ...flagLayer } = flags;
  checkKeys(flagLayer as Record<string, unknown>, 'flags');
  layers.push(flagLayer);

  const merged = {
    server: { host: '127.0.0.1', port: 5000, insecureBind: false } as ServerConfig,
    dataDir: './pitwall-data',
    store: { sqliteSynchronous: 'NORMAL', postgresPoolSize: 10 } as Partial<StoreConfig>,
    artifacts: {} as { uri?: string },
    defaultArtifactRoot: 'mlflow-artifacts:/',
    log: { level: 'info' as LogLevel },
    jobs: { inServer: true, leaseSeconds: 30 } as JobsConfig,
    serving: { modelMemoryMb: 2048, maxParallelLoads: 2, drainSeconds: 30, maxTimeoutMs: 300_000 } as Omit<ServingConfig, 'upstreams'> & { upstreams?: unknown },
    monitoring: { bufferSize: 10_000, batchSize: 1000, flushMs: 200, maxPayloadBytes: 65_536, retentionDays: 30, maxRows: 10_000_000 } as MonitoringConfig,
  };
  for (const l of layers) {
    if (l.server) Object.assign(merged.server, stripUndefined(l.server));
    if (l.dataDir !== undefined) merged.dataDir = l.dataDir;
    if (l.store) Object.assign(merged.store, stripUndefined(l.store));
    if (l.artifacts) Object.assign(merged.artifacts, stripUndefined(l.artifacts));
    if (l.defaultArtifactRoot !== undefined) merged.defaultArtifactRoot = l.defaultArtifactRoot;
    if (l.log?.level) merged.log.level = l.log.level;
    if (l.jobs) Object.assign(merged.jobs, stripUndefined(l.jobs));
    if (l.serving) Object.assign(merged.serving, stripUndefined(l.serving));
    if (l.monitoring) Object.assign(merged.monitoring, stripUndefined(l.monitoring));
  }
  merged.server.port = parsePort(merged.server.port, 'server.port');
  if (!LEVELS.includes(merged.log.level)) throw invalidParam(`log.level must be one of ${LEVELS.join(', ')}`, 'log.level');
  if (merged.store.sqliteSynchronous !== 'NORMAL' && merged.store.sqliteSynchronous !== 'FULL') {
    throw invalidParam('store.sqliteSynchronous must be NORMAL or FULL', 'store.sqliteSynchronous');
  }
  const poolSize = Number(merged.store.postgresPoolSize);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000) {
    throw invalidParam(`store.postgresPoolSize must be an integer 1-1000, got '${merged.store.postgresPoolSize}'`, 'store.postgresPoolSize');
  }
  if (typeof merged.jobs.inServer !== 'boolean') throw invalidParam('jobs.inServer must be true or false', 'jobs.inServer');
  const leaseSeconds = Number(merged.jobs.leaseSeconds);
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < 1 || leaseSeconds > 3600) {
    throw invalidParam(`jobs.leaseSeconds must be an integer 1-3600, got '${merged.jobs.leaseSeconds}'`, 'jobs.leaseSeconds');
  }
  const serving = {
    modelMemoryMb: intIn(merged.serving.modelMemoryMb, 'serving.modelMemoryMb', 1, 1 << 22),
    maxParallelLoads: intIn(merged.serving.maxParallelLoads, 'serving.maxParallelLoads', 1, 64),
    drainSeconds: intIn(merged.serving.drainSeconds, 'serving.drainSeconds', 0, 3600),
    maxTimeoutMs: intIn(merged.serving.maxTimeoutMs, 'serving.maxTimeoutMs', 1, 3_600_000),
    upstreams: parseUpstreams(merged.serving.upstreams, 'serving.upstreams', env),
  };
  const m = merged.monitoring;
  const monitoring: MonitoringConfig = {
    bufferSize: intIn(m.bufferSize, 'monitoring.bufferSize', 1, 10_000_000),
    batchSize: intIn(m.batchSize, 'monitoring.batchSize', 1, 100_000),
    flushMs: intIn(m.flushMs, 'monitoring.flushMs', 1, 60_000),
    maxPayloadBytes: intIn(m.maxPayloadBytes, 'monitoring.maxPayloadBytes', 0, 64 << 20),
    retentionDays: intIn(m.retentionDays, 'monitoring.retentionDays', 1, 36_500),
    maxRows: intIn(m.maxRows, 'monitoring.maxRows', 1, 1e12),
  };
  const dataDirAbs = path.resolve(merged.dataDir);
  const config: Config = {
    server: merged.server,
    dataDir: dataDirAbs,
    store: {
      uri: merged.store.uri ?? `sqlite:${path.join(dataDirAbs, 'pitwall.db')}`,
      sqliteSynchronous: merged.store.sqliteSynchronous,
      postgresPoolSize: poolSize,
    },
    artifacts: {
      uri: resolveArtifactsUri(merged.artifacts.uri, dataDirAbs),
      s3: s3FromEnv(env),
    },
    defaultArtifactRoot: merged.defaultArtifactRoot,
    log: merged.log,
    jobs: { inServer: merged.jobs.inServer, leaseSeconds },
    serving,
    monitoring,
  };
  return deepFreeze(config);
}

/** A plain path (no `scheme:`; `C:\\x` is a path) becomes absolute; URIs are kept for `createArtifactStore` to check. */
function resolveArtifactsUri(uri: string | undefined, dataDir: string): string {
  if (uri === undefined) return path.join(dataDir, 'artifacts');
  if (typeof uri !== 'string' || uri.trim() === '') throw invalidParam('artifacts.uri must be a directory, file:///dir or s3://bucket/prefix', 'artifacts.uri');
  return /^[a-zA-Z][a-zA-Z0-9+.-]+:/u.test(uri) ? uri : path.resolve(uri);
}

/** The S3 client settings MLflow users already export: its own endpoint variable first, then the AWS SDKs'. */
function s3FromEnv(env: NodeJS.ProcessEnv): ArtifactsConfig['s3'] {
  const s3: ArtifactsConfig['s3'] = {};
  const endpointUrl = readEnv('MLFLOW_S3_ENDPOINT_URL', env) ?? readEnv('AWS_ENDPOINT_URL_S3', env) ?? readEnv('AWS_ENDPOINT_URL', env);
  if (endpointUrl) s3.endpointUrl = endpointUrl;
  const region = readEnv('AWS_REGION', env) ?? readEnv('AWS_DEFAULT_REGION', env);
  if (region) s3.region = region;
  return s3;
}

function intIn(v: unknown, field: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw invalidParam(`${field} must be an integer ${min}-${max}, got '${String(v)}'`, field);
  return n;
}

function parseBool(v: string, name: string): boolean {
  if (/^(true|1|yes|on)$/i.test(v)) return true;
  if (/^(false|0|no|off)$/i.test(v)) return false;
  throw invalidParam(`${name} must be true or false, got '${v}'`, name);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** True when `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
