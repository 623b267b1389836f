import { readEnv } from '../config/env-vars.js';
import { UsageError } from './errors.js';

export const DEFAULT_TRACKING_URI = 'http://127.0.0.1:5000';

/**
 * The server the CLI talks to: `--tracking-uri`, then `PITWALL_TRACKING_URI`, then `MLFLOW_TRACKING_URI` (so an
 * environment set up for the mlflow client works unchanged), then the local default. Only http(s) URLs are usable.
 * `env` holds the variables to read, the process's own when undefined.
 */
export function resolveTrackingUri(flag: string | undefined, env: NodeJS.ProcessEnv | undefined, topic = ''): string {
  let source = '--tracking-uri';
  let uri = flag;
  if (uri === undefined) {
    uri = readEnv('PITWALL_TRACKING_URI', env);
    source = 'PITWALL_TRACKING_URI';
  }
  if (uri === undefined) {
    uri = readEnv('MLFLOW_TRACKING_URI', env);
    source = 'MLFLOW_TRACKING_URI';
  }
  if (uri === undefined) return DEFAULT_TRACKING_URI;
  let parsed: URL | undefined;
  try {
    parsed = new URL(uri);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new UsageError(`${source} must be an http(s) URL of a Pitwall server, got '${uri}'`, topic);
  }
  return uri;
}
