export { loadConfig, isLoopback, type ArtifactsConfig, type Config, type ConfigInput, type ServerConfig, type StoreConfig, type LogLevel } from './config.js';
export { ENV_VARS, readEnv, type EnvVar } from './env-vars.js';
