/** Every environment variable Pitwall reads, with the config path it sets. The only list of them. */
export const ENV_VARS = {
  PITWALL_CONFIG: 'path of a JSON config file',
  PITWALL_HOST: 'server.host',
  PITWALL_PORT: 'server.port',
  PITWALL_DATA_DIR: 'dataDir',
  PITWALL_STORE_URI: 'store.uri',
  PITWALL_SQLITE_SYNCHRONOUS: 'store.sqliteSynchronous',
  PITWALL_PG_POOL_SIZE: 'store.postgresPoolSize (connections per process)',
  PITWALL_LOG_LEVEL: 'log.level',
  PITWALL_JOBS_IN_SERVER: 'jobs.inServer: false keeps background jobs out of `pitwall server` (run `pitwall worker` processes)',
  PITWALL_JOBS_LEASE_SECONDS: 'jobs.leaseSeconds: how long a killed worker holds its job before another retries it',
  PITWALL_SERVING_MODEL_MEMORY_MB: 'serving.modelMemoryMb: memory all loaded models may hold together (MiB)',
  PITWALL_SERVING_MAX_PARALLEL_LOADS: 'serving.maxParallelLoads: model loads running at once',
  PITWALL_SERVING_DRAIN_SECONDS: 'serving.drainSeconds: on SIGTERM, how long in-flight requests get to finish',
  PITWALL_SERVING_MAX_TIMEOUT_MS: 'serving.maxTimeoutMs: the longest deadline a request may ask for',
  PITWALL_PREDICTION_LOG_RETENTION_DAYS: 'monitoring.retentionDays: predictions older than this many days are deleted',
  PITWALL_PREDICTION_LOG_MAX_ROWS: 'monitoring.maxRows: the most predictions kept; the oldest go first',
  PITWALL_PREDICTION_LOG_MAX_PAYLOAD_BYTES: 'monitoring.maxPayloadBytes: inputs and outputs longer than this are cut (and flagged truncated)',
  PITWALL_PREDICTION_LOG_BUFFER: 'monitoring.bufferSize: predictions waiting to be written at most; more are dropped and counted',
  PITWALL_SERVING_UPSTREAMS: 'serving.upstreams as JSON: upstream OpenAI-compatible servers deployments may name ({"vllm": {"url": "http://host:8000", "api_key_env": "VLLM_KEY"}})',
  PITWALL_ARTIFACTS_URI: 'artifacts.uri (a directory, file:///dir or s3://bucket/prefix)',
  MLFLOW_S3_ENDPOINT_URL: 'artifacts.s3.endpointUrl: S3-compatible endpoint (read as MLflow does; wins over AWS_ENDPOINT_URL*)',
  AWS_ENDPOINT_URL_S3: 'artifacts.s3.endpointUrl when MLFLOW_S3_ENDPOINT_URL is unset (the AWS SDKs’ S3-specific variable)',
  AWS_ENDPOINT_URL: 'artifacts.s3.endpointUrl when neither of the above is set',
  AWS_REGION: 'artifacts.s3.region (default us-east-1); S3 credentials come from the AWS SDK’s own provider chain',
  AWS_DEFAULT_REGION: 'artifacts.s3.region when AWS_REGION is unset (boto3’s name, which MLflow users set)',
  CI: 'set by CI systems: tests needing a local service (moto S3) fail instead of skipping when it cannot start',
  PITWALL_TRACKING_URI: 'the server the CLI and SDK talk to (client side)',
  MLFLOW_TRACKING_URI: 'read by the CLI after PITWALL_TRACKING_URI, so one variable serves MLflow scripts and Pitwall',
} as const;

export type EnvVar = keyof typeof ENV_VARS;

export function readEnv(name: EnvVar, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}
