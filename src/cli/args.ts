import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ViewType } from '../sdk/index.js';
import { expectPositionals, parsePositiveInt, type Remote, remote, SERVER_OPTIONS, str, type Values } from './arg-values.js';
import { UsageError } from './errors.js';
import { HELP } from './help.js';
import { parseRegistryCommand, REGISTRY_OPTIONS, type RegistryCommand } from './registry-args.js';
import { JOBS_OPTIONS, type JobsCommand, parseJobsCommand } from './jobs-args.js';
import { DEPLOY_OPTIONS, type DeployCommand, parseDeployCommand } from './deploy-args.js';
import { DRIFT_OPTIONS, type DriftCommand, parseDriftCommand } from './drift-args.js';

/** `pitwall server` flags, in the shape `startServer` takes. */
export interface ServerFlags {
  server?: { host?: string; port?: number; insecureBind?: boolean };
  dataDir?: string;
  store?: { uri?: string };
  artifacts?: { uri?: string };
  configFile?: string;
}

/** A parsed command line. */
export type Command =
  | { kind: 'help'; topic: string }
  | { kind: 'version' }
  | { kind: 'server'; flags: ServerFlags }
  | { kind: 'migrate'; flags: ServerFlags; json: boolean }
  | { kind: 'doctor'; flags: ServerFlags; json: boolean; waitWorkerSeconds: number }
  | ({ kind: 'experiments list'; view: ViewType; filter?: string } & Remote)
  | ({ kind: 'experiments create'; name: string; artifactLocation?: string } & Remote)
  | ({ kind: 'runs list'; experiments: string[]; filter?: string; orderBy: string[]; view: ViewType; max: number } & Remote)
  | ({ kind: 'runs show'; runId: string } & Remote)
  | ({ kind: 'runs compare'; runIds: string[] } & Remote)
  | RegistryCommand
  | JobsCommand
  | DeployCommand
  | DriftCommand;

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON: Options = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  'tracking-uri': { type: 'string' },
};

const OPTIONS: Record<string, Options> = {
  server: { help: { type: 'boolean', short: 'h' }, ...SERVER_OPTIONS },
  migrate: { help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' }, store: { type: 'string' }, config: { type: 'string' } },
  doctor: {
    help: { type: 'boolean', short: 'h' },
    json: { type: 'boolean' },
    'data-dir': { type: 'string' },
    store: { type: 'string' },
    artifacts: { type: 'string' },
    config: { type: 'string' },
    'wait-worker': { type: 'string' },
  },
  'experiments list': { ...COMMON, view: { type: 'string' }, filter: { type: 'string' } },
  'experiments create': { ...COMMON, 'artifact-location': { type: 'string' } },
  'runs list': {
    ...COMMON,
    experiment: { type: 'string', short: 'e', multiple: true },
    filter: { type: 'string' },
    'order-by': { type: 'string', multiple: true },
    view: { type: 'string' },
    max: { type: 'string' },
  },
  'runs show': { ...COMMON },
  'runs compare': { ...COMMON },
  ...REGISTRY_OPTIONS,
  ...JOBS_OPTIONS,
  ...DEPLOY_OPTIONS,
  ...DRIFT_OPTIONS,
};

const VIEWS: Record<string, ViewType> = { active: 'ACTIVE_ONLY', deleted: 'DELETED_ONLY', all: 'ALL' };

function parse(topic: string, args: string[]): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS[topic]!, allowPositionals: true, strict: true });
    return { values: values as Values, positionals };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) throw new UsageError(cleanParseMessage((e as Error).message), topic);
    throw e;
  }
}

/** node's parseArgs messages carry advice about `--` that means nothing to a `pitwall` user; keep the first sentence. */
function cleanParseMessage(msg: string): string {
  return msg.split('. ')[0]!.replace(/\.$/, '');
}

function parseView(v: string | undefined, topic: string): ViewType {
  if (v === undefined) return 'ACTIVE_ONLY';
  const view = VIEWS[v.toLowerCase()];
  if (!view) throw new UsageError(`--view must be active, deleted or all, got '${v}'`, topic);
  return view;
}

function serverFlags(values: Values, topic = 'server'): ServerFlags {
  const flags: ServerFlags = {};
  const server: NonNullable<ServerFlags['server']> = {};
  const host = str(values.host);
  if (host !== undefined) server.host = host;
  const port = str(values.port);
  if (port !== undefined) server.port = parsePositiveInt(port, '--port', topic, 0, 65535);
  if (values['insecure-bind'] === true) server.insecureBind = true;
  if (Object.keys(server).length > 0) flags.server = server;
  const dataDir = str(values['data-dir']);
  if (dataDir !== undefined) flags.dataDir = dataDir;
  const store = str(values.store);
  if (store !== undefined) flags.store = { uri: store };
  const artifacts = str(values.artifacts);
  if (artifacts !== undefined) flags.artifacts = { uri: artifacts };
  const config = str(values.config);
  if (config !== undefined) flags.configFile = config;
  return flags;
}

/**
 * The options every remote command takes, when given before the command (`pitwall --tracking-uri URL runs list`):
 * they are handed to the command's own parser ahead of its arguments, so the same flag after the command wins.
 */
function leadingGlobals(argv: string[]): { globals: string[]; rest: string[] } {
  const globals: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json' || a.startsWith('--tracking-uri=')) {
      globals.push(a);
    } else if (a === '--tracking-uri') {
      const value = argv[i + 1];
      if (value === undefined) throw new UsageError(`Option '--tracking-uri <value>' argument missing`);
      globals.push(a, value);
      i++;
    } else {
      break;
    }
  }
  return { globals, rest: argv.slice(i) };
}

/** Turns argv (without `node` and the script) into a Command; throws UsageError for anything malformed. */
export function parseCommand(argv: string[]): Command {
  const { globals, rest: commandLine } = leadingGlobals(argv);
  const [first, ...rest] = commandLine;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const topic = rest.join(' ');
    return { kind: 'help', topic: topic in HELP ? topic : '' };
  }
  if (first === '-V' || first === '--version' || first === 'version') return { kind: 'version' };
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'`);

  let topic: string;
  let args: string[];
  if (first === 'server' || first === 'migrate' || first === 'doctor' || first === 'worker' || first === 'deploy' || first === 'serve') {
    topic = first;
    args = [...globals, ...rest];
  } else if (first === 'experiments' || first === 'runs' || first === 'models' || first === 'artifacts' || first === 'jobs' || first === 'deployments' || first === 'drift') {
    const sub = rest[0];
    if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') return { kind: 'help', topic: first };
    topic = `${first} ${sub}`;
    if (!(topic in OPTIONS)) throw new UsageError(`unknown command '${topic}'`, first);
    args = [...globals, ...rest.slice(1)];
  } else {
    throw new UsageError(`unknown command '${first}'`);
  }

  const { values, positionals } = parse(topic, args);
  if (values.help === true) return { kind: 'help', topic };

  switch (topic) {
    case 'server':
      expectPositionals(positionals, topic, 0, 0, '');
      return { kind: 'server', flags: serverFlags(values) };
    case 'migrate':
      expectPositionals(positionals, topic, 0, 0, '');
      return { kind: 'migrate', flags: serverFlags(values), json: values.json === true };
    case 'doctor': {
      expectPositionals(positionals, topic, 0, 0, '');
      const wait = str(values['wait-worker']);
      return { kind: 'doctor', flags: serverFlags(values), json: values.json === true, waitWorkerSeconds: wait === undefined ? 5 : parsePositiveInt(wait, '--wait-worker', topic, 0, 600) };
    }
    case 'experiments list': {
      expectPositionals(positionals, topic, 0, 0, '');
      const filter = str(values.filter);
      return { kind: topic, view: parseView(str(values.view), topic), ...(filter !== undefined ? { filter } : {}), ...remote(values) };
    }
    case 'experiments create': {
      expectPositionals(positionals, topic, 1, 1, 'experiment NAME');
      const name = positionals[0]!;
      if (name.trim() === '') throw new UsageError('experiment NAME must not be empty', topic);
      const loc = str(values['artifact-location']);
      return { kind: topic, name, ...(loc !== undefined ? { artifactLocation: loc } : {}), ...remote(values) };
    }
    case 'runs list': {
      expectPositionals(positionals, topic, 0, 0, '');
      const experiments = (values.experiment as string[] | undefined) ?? [];
      if (experiments.length === 0) throw new UsageError('missing --experiment ID|NAME', topic);
      const filter = str(values.filter);
      const max = str(values.max);
      return {
        kind: topic,
        experiments,
        orderBy: (values['order-by'] as string[] | undefined) ?? [],
        view: parseView(str(values.view), topic),
        max: max === undefined ? 50 : parsePositiveInt(max, '--max', topic, 1, 50_000),
        ...(filter !== undefined ? { filter } : {}),
        ...remote(values),
      };
    }
    case 'runs show':
      expectPositionals(positionals, topic, 1, 1, 'RUN_ID');
      return { kind: topic, runId: positionals[0]!, ...remote(values) };
    case 'runs compare':
      if (positionals.length < 2) throw new UsageError('runs compare needs at least two RUN_IDs', topic);
      return { kind: topic, runIds: positionals, ...remote(values) };
    case 'worker':
    case 'jobs list':
    case 'jobs show':
    case 'jobs cancel':
      return parseJobsCommand(topic, values, positionals, serverFlags(values));
    case 'deploy':
    case 'serve':
    case 'deployments list':
    case 'deployments show':
    case 'deployments delete':
      return parseDeployCommand(topic, values, positionals, serverFlags(values, topic));
    case 'drift report':
      return parseDriftCommand(values, positionals);
    default:
      return parseRegistryCommand(topic, values, positionals);
  }
}
