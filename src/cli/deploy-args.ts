import type { ParseArgsConfig } from 'node:util';
import type { DeploymentConfigInput } from '../sdk/index.js';
import { expectPositionals, parsePositiveInt, type Remote, remote, SERVER_OPTIONS, str, type Values } from './arg-values.js';
import type { ServerFlags } from './args.js';
import { UsageError } from './errors.js';

/**
 * Parsing of `pitwall deploy NAME MODEL_URI`, `pitwall deployments list|show|delete` and `pitwall serve MODEL_URI`.
 *
 * `deploy` is a verb without subcommands and the management commands live under the noun `deployments` (as `models`,
 * `runs` and `jobs` do), so a deployment may be called `list` or `show` without ever being mistaken for a subcommand.
 */

export type DeployCommand =
  | ({ kind: 'deploy'; name: string; modelUri: string; config: DeploymentConfigInput; description?: string; wait: boolean; waitSeconds: number } & Remote)
  | ({ kind: 'deployments list'; max: number } & Remote)
  | ({ kind: 'deployments show'; name: string } & Remote)
  | ({ kind: 'deployments delete'; name: string } & Remote)
  | { kind: 'serve'; modelUri: string; name?: string; config: DeploymentConfigInput; flags: ServerFlags };

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON: Options = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  'tracking-uri': { type: 'string' },
};

/**
 * The serving flags `deploy` and `serve` share: each sets one field of the deployment's config, within the range
 * the server accepts (deployment-service.ts's CONFIG_FIELDS; a test keeps the two in step).
 *
 * `--threads` is the threads of whichever engine serves the model, so it is parsed into the LLM field `threads`
 * (llama.cpp, 0-256) and moved to `intraOpThreads` (onnxruntime, 1-64) once the model is known to be ONNX
 * (`engineConfig`).
 */
export const SERVING_FLAGS: readonly { flag: string; key: keyof DeploymentConfigInput; min: number; max: number }[] = [
  { flag: 'max-batch-size', key: 'maxBatchSize', min: 1, max: 4096 },
  { flag: 'max-queue-delay-ms', key: 'maxQueueDelayMs', min: 0, max: 10_000 },
  { flag: 'max-queue', key: 'maxQueue', min: 1, max: 100_000 },
  { flag: 'timeout-ms', key: 'timeoutMs', min: 1, max: 3_600_000 },
  { flag: 'threads', key: 'threads', min: 0, max: 256 },
  { flag: 'parallel', key: 'parallel', min: 1, max: 256 },
  { flag: 'context-size', key: 'contextSize', min: 0, max: 1 << 20 },
  { flag: 'kv-cache-mb', key: 'kvCacheMb', min: 1, max: 1 << 20 },
];

/** onnxruntime's intra-op threads, the range the server accepts for `intra_op_threads`. */
const ONNX_THREADS = { min: 1, max: 64 };

/**
 * The config to send for a model of `flavor` (a version's `manifest.flavor`): `--threads` stays llama.cpp's
 * `threads` for a GGUF model and becomes onnxruntime's `intraOpThreads` for any other; a UsageError on `topic` when
 * the count is outside what onnxruntime takes.
 */
export function engineConfig(config: DeploymentConfigInput, flavor: string | undefined, topic: string): DeploymentConfigInput {
  if (config.threads === undefined || flavor === 'gguf') return config;
  const { threads, ...rest } = config;
  if (threads < ONNX_THREADS.min || threads > ONNX_THREADS.max) {
    throw new UsageError(`--threads must be an integer from ${ONNX_THREADS.min} to ${ONNX_THREADS.max} for an ONNX model (onnxruntime intra-op threads), got '${threads}'`, topic);
  }
  return { ...rest, intraOpThreads: threads };
}

const SERVING_OPTIONS: Options = Object.fromEntries(SERVING_FLAGS.map((f) => [f.flag, { type: 'string' }]));

export const DEPLOY_OPTIONS: Record<string, Options> = {
  deploy: { ...COMMON, ...SERVING_OPTIONS, description: { type: 'string' }, 'no-wait': { type: 'boolean' }, 'wait-seconds': { type: 'string' } },
  'deployments list': { ...COMMON, max: { type: 'string' } },
  'deployments show': { ...COMMON },
  'deployments delete': { ...COMMON },
  serve: {
    help: { type: 'boolean', short: 'h' },
    ...SERVING_OPTIONS,
    name: { type: 'string' },
    ...SERVER_OPTIONS,
  },
};

/** `pitwall serve`'s port when none is given: beside a `pitwall server` on 5000. */
export const SERVE_DEFAULT_PORT = 5001;

const MANAGEMENT = ['list', 'ls', 'show', 'get', 'status', 'delete', 'rm'];

function servingConfig(values: Values, topic: string): DeploymentConfigInput {
  const config: DeploymentConfigInput = {};
  for (const f of SERVING_FLAGS) {
    const v = str(values[f.flag]);
    if (v !== undefined) config[f.key] = parsePositiveInt(v, `--${f.flag}`, topic, f.min, f.max);
  }
  return config;
}

/** A model reference must name a version or an alias: `models:/titanic@champion`, `models:/titanic/3`, `titanic@champion`. */
function checkModelUri(uri: string, topic: string, hint = ''): string {
  const rest = uri.replace(/^models:\/+/, '').replace(/\/+$/, '');
  const at = rest.lastIndexOf('@');
  const alias = at > 0 && at < rest.length - 1 && !rest.slice(at).includes('/');
  if (!alias && !/^[^/].*\/\d+$/.test(rest)) {
    throw new UsageError(`'${uri}' names no model version: use models:/NAME@ALIAS or models:/NAME/VERSION${hint}`, topic);
  }
  return uri;
}

const DEPLOYMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checkName(name: string, topic: string, what = 'NAME'): string {
  if (!DEPLOYMENT_NAME.test(name)) throw new UsageError(`${what} '${name}' must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit`, topic);
  return name;
}

/** Builds a `deploy`, `deployments …` or `serve` command; `flags` are the server flags `serverFlags` read. */
export function parseDeployCommand(topic: string, values: Values, positionals: string[], flags: ServerFlags): DeployCommand {
  switch (topic) {
    case 'deploy': {
      const first = positionals[0];
      const hint = first !== undefined && MANAGEMENT.includes(first) ? ` (to manage deployments: pitwall deployments ${first === 'ls' ? 'list' : first === 'rm' ? 'delete' : first} …)` : '';
      if (positionals.length < 2) throw new UsageError(`missing ${positionals.length === 0 ? 'NAME and ' : ''}MODEL_URI${hint}`, topic);
      expectPositionals(positionals, topic, 2, 2, 'NAME and MODEL_URI');
      const [name, uri] = positionals as [string, string];
      checkName(name, topic);
      // `upstream:NAME`: an upstream server from the server's configuration (serving.upstreams).
      if (!/^upstream:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(uri)) checkModelUri(uri, topic, hint);
      const wait = str(values['wait-seconds']);
      const description = str(values.description);
      return {
        kind: 'deploy',
        name,
        modelUri: uri,
        config: servingConfig(values, topic),
        wait: values['no-wait'] !== true,
        waitSeconds: wait === undefined ? 300 : parsePositiveInt(wait, '--wait-seconds', topic, 1, 86_400),
        ...(description !== undefined ? { description } : {}),
        ...remote(values),
      };
    }
    case 'deployments list': {
      expectPositionals(positionals, topic, 0, 0, '');
      const max = str(values.max);
      return { kind: topic, max: max === undefined ? 100 : parsePositiveInt(max, '--max', topic, 1, 50_000), ...remote(values) };
    }
    case 'deployments show':
    case 'deployments delete':
      expectPositionals(positionals, topic, 1, 1, 'NAME');
      return { kind: topic, name: positionals[0]!, ...remote(values) };
    case 'serve': {
      expectPositionals(positionals, topic, 1, 1, 'MODEL_URI');
      const name = str(values.name);
      if (name !== undefined) checkName(name, topic, '--name');
      const withPort: ServerFlags = flags.server?.port !== undefined ? flags : { ...flags, server: { ...flags.server, port: SERVE_DEFAULT_PORT } };
      return { kind: 'serve', modelUri: checkModelUri(positionals[0]!, topic), config: servingConfig(values, topic), flags: withPort, ...(name !== undefined ? { name } : {}) };
    }
    default:
      throw new UsageError(`unknown command '${topic}'`);
  }
}
