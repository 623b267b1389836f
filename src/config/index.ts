export { loadConfig, isLoopback, type ArtifactsConfig, type Config, type ConfigInput, type JobsConfig, type ServerConfig, type StoreConfig, type LogLevel } from './config.js';
export { ENV_VARS, readEnv, type EnvVar } from './env-vars.js';
