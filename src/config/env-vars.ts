/** Every environment variable Pitwall reads, with the config path it sets. The only list of them. */
export const ENV_VARS = {
  PITWALL_CONFIG: 'path of a JSON config file',
  PITWALL_HOST: 'server.host',
  PITWALL_PORT: 'server.port',
  PITWALL_DATA_DIR: 'dataDir',
  PITWALL_STORE_URI: 'store.uri',
  PITWALL_SQLITE_SYNCHRONOUS: 'store.sqliteSynchronous',
  PITWALL_LOG_LEVEL: 'log.level',
  PITWALL_TRACKING_URI: 'the server the CLI and SDK talk to (client side)',
  MLFLOW_TRACKING_URI: 'read by the CLI after PITWALL_TRACKING_URI, so one variable serves MLflow scripts and Pitwall',
} as const;

export type EnvVar = keyof typeof ENV_VARS;

export function readEnv(name: EnvVar, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}
