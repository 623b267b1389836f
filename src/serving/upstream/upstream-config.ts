/**
 * Upstream OpenAI-compatible servers (vLLM, TGI, llama.cpp's llama-server, a managed endpoint) that deployments may
 * route to, as the admin configures them under `serving.upstreams` (or `PITWALL_SERVING_UPSTREAMS`, the same JSON).
 * Only this configuration names upstream URLs and keys: nothing in a request can point Pitwall at another host.
 */
import { inspect } from 'node:util';
import { invalidParam } from '../../core/errors/index.js';

/**
 * An upstream's API key. It prints, logs and serialises as `[redacted]` (JSON, `util.inspect`, template strings);
 * only `reveal()` gives the value, for the `Authorization` header.
 */
export class UpstreamKey {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return '[redacted]';
  }
}

export interface UpstreamConfig {
  /** `http(s)://host:port` with an optional base path; no trailing slash, credentials, query or fragment. */
  url: string;
  /** Sent as `Authorization: Bearer <key>`; from `api_key` or the environment variable `api_key_env` names. */
  apiKey?: UpstreamKey;
  /** The upstream's model name; when absent, the first id its `GET /v1/models` lists at load. */
  model?: string;
  /** Requests in flight to the upstream at most (default 64); also the keep-alive pool's socket bound. */
  maxConcurrency: number;
  /** Requests waiting beyond those at most (default 256); one more is refused with a 429. */
  maxQueue: number;
  /** The longest any request to this upstream may take (ms), whatever its deployment's `timeout_ms` says. */
  timeoutMs?: number;
  /** Polled below the base URL; a 2xx answer means healthy (default `/health`). */
  healthPath: string;
  /** Between health checks, in ms (default 5000). */
  healthIntervalMs: number;
}

export const UPSTREAM_DEFAULTS = Object.freeze({ maxConcurrency: 64, maxQueue: 256, healthPath: '/health', healthIntervalMs: 5000 });

/** Upstream names appear in deployment targets (`{upstream: '<name>'}`), logs and metric labels. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYS = ['url', 'api_key', 'api_key_env', 'model', 'max_concurrency', 'max_queue', 'timeout_ms', 'health_path', 'health_interval_ms'];

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function intIn(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalidParam(`${field} must be an integer ${min}-${max}, got ${JSON.stringify(v)}`, field);
  return v;
}

/** A header-safe, non-empty string (no control characters: a value with CR/LF would split the request's headers). */
function text(v: unknown, field: string, max = 1024): string {
  if (typeof v !== 'string' || v === '' || v.length > max || /[\u0000-\u001f\u007f]/u.test(v)) {
    throw invalidParam(`${field} must be a non-empty string of at most ${max} printable characters`, field);
  }
  return v;
}

/** The base URL, normalised (no trailing slash). Messages about it never echo it: a mistyped key may sit in it. */
function parseUrl(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') throw invalidParam(`Missing value for required parameter '${field}'`, field);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw invalidParam(`${field} must be an absolute http:// or https:// URL`, field);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw invalidParam(`${field} must use http or https, not ${u.protocol.slice(0, -1)}`, field);
  if (u.username || u.password) throw invalidParam(`${field} must not hold credentials; set api_key or api_key_env instead`, field);
  if (u.search || u.hash || v.includes('?') || v.includes('#')) throw invalidParam(`${field} must not have a query or fragment`, field);
  const base = u.pathname.replace(/\/+$/u, '');
  if (/\/v1$/u.test(base)) throw invalidParam(`${field} must be the server's base URL, without /v1 (Pitwall adds /v1/completions and the like)`, field);
  return `${u.origin}${base}`;
}

function parseKey(entry: Obj, field: string, env: NodeJS.ProcessEnv): UpstreamKey | undefined {
  if (entry.api_key !== undefined && entry.api_key_env !== undefined) throw invalidParam(`${field}: set api_key or api_key_env, not both`, `${field}.api_key`);
  if (entry.api_key !== undefined) {
    // Not `text()`: its message must not quote the value.
    const k = entry.api_key;
    if (typeof k !== 'string' || k === '' || k.length > 8192 || /[\u0000-\u001f\u007f]/u.test(k)) throw invalidParam(`${field}.api_key must be a non-empty string without control characters`, `${field}.api_key`);
    return new UpstreamKey(k);
  }
  if (entry.api_key_env !== undefined) {
    const name = entry.api_key_env;
    if (typeof name !== 'string' || !ENV_NAME.test(name)) throw invalidParam(`${field}.api_key_env must name an environment variable`, `${field}.api_key_env`);
    const k = env[name];
    if (k === undefined || k === '') throw invalidParam(`${field}.api_key_env names ${name}, which is not set`, `${field}.api_key_env`);
    if (/[\u0000-\u001f\u007f]/u.test(k)) throw invalidParam(`${field}.api_key_env: ${name} holds control characters`, `${field}.api_key_env`);
    return new UpstreamKey(k);
  }
  return undefined;
}

function parseUpstream(entry: unknown, field: string, env: NodeJS.ProcessEnv): UpstreamConfig {
  if (!isObject(entry)) throw invalidParam(`${field} must be an object with at least a url`, field);
  const unknown = Object.keys(entry).find((k) => !KEYS.includes(k));
  if (unknown !== undefined) throw invalidParam(`Unknown key '${unknown.slice(0, 100)}' in ${field}; expected some of ${KEYS.join(', ')}`, `${field}.${unknown.slice(0, 100)}`);
  const cfg: UpstreamConfig = {
    url: parseUrl(entry.url, `${field}.url`),
    maxConcurrency: entry.max_concurrency === undefined ? UPSTREAM_DEFAULTS.maxConcurrency : intIn(entry.max_concurrency, `${field}.max_concurrency`, 1, 4096),
    maxQueue: entry.max_queue === undefined ? UPSTREAM_DEFAULTS.maxQueue : intIn(entry.max_queue, `${field}.max_queue`, 0, 100_000),
    healthPath: UPSTREAM_DEFAULTS.healthPath,
    healthIntervalMs: entry.health_interval_ms === undefined ? UPSTREAM_DEFAULTS.healthIntervalMs : intIn(entry.health_interval_ms, `${field}.health_interval_ms`, 10, 3_600_000),
  };
  const key = parseKey(entry, field, env);
  if (key) cfg.apiKey = key;
  if (entry.model !== undefined) cfg.model = text(entry.model, `${field}.model`);
  if (entry.timeout_ms !== undefined) cfg.timeoutMs = intIn(entry.timeout_ms, `${field}.timeout_ms`, 1, 3_600_000);
  if (entry.health_path !== undefined) {
    const p = text(entry.health_path, `${field}.health_path`);
    if (!/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/u.test(p)) throw invalidParam(`${field}.health_path must be a path starting with '/', without query or fragment`, `${field}.health_path`);
    cfg.healthPath = p;
  }
  return cfg;
}

/**
 * Reads `serving.upstreams`: `{ "<name>": { url, api_key | api_key_env, model, max_concurrency, max_queue, timeout_ms,
 * health_path, health_interval_ms } }`. `field` prefixes error messages and fields (`serving.upstreams.vllm.url`);
 * `env` is where `api_key_env` is looked up (config passes the environment it reads). Throws
 * `INVALID_PARAMETER_VALUE`; no message quotes a key.
 */
export function parseUpstreams(value: unknown, field: string, env: NodeJS.ProcessEnv = {}): Record<string, UpstreamConfig> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalidParam(`${field} must be an object mapping upstream names to their settings`, field);
  const out: Record<string, UpstreamConfig> = {};
  for (const [name, entry] of Object.entries(value)) {
    if (!NAME.test(name)) throw invalidParam(`Invalid upstream name '${name.slice(0, 100)}' in ${field}: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`, field);
    out[name] = parseUpstream(entry, `${field}.${name}`, env);
  }
  return out;
}

/** `parseUpstreams` over JSON text (the `PITWALL_SERVING_UPSTREAMS` variable); a parse error names `field`, not the text. */
export function parseUpstreamsJson(json: string, field: string, env: NodeJS.ProcessEnv = {}): Record<string, UpstreamConfig> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw invalidParam(`${field} must hold JSON: an object mapping upstream names to their settings`, field);
  }
  return parseUpstreams(value, field, env);
}
