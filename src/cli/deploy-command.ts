import {
  type Deployment,
  type DeploymentConfigInput,
  DeploymentNotReadyError,
  type DeploymentStatus,
  describeTarget,
  type MlflowScoringRequest,
  PitwallApiError,
  type PitwallClient,
  type LatencySummary,
  type TargetStatus,
  type V2InferRequest,
} from '../sdk/index.js';
import { type DeployCommand, engineConfig } from './deploy-args.js';
import { CliError } from './errors.js';
import { formatBytes, formatTime, toJson } from './format.js';
import type { CliIo } from './io.js';
import { startSpinner } from './progress.js';
import { formatTable } from './table.js';

type Cmd<K extends DeployCommand['kind']> = Extract<DeployCommand, { kind: K }>;

/** An input as a model declares it (`GET /v2/models/{name}`, or a served model's signature): `-1` is any size. */
export interface InputSpec {
  name: string;
  datatype: string;
  shape: number[];
}

/** Where a deployment answers, on the server at `baseUrl`. */
export function endpointsOf(baseUrl: string, name: string): { infer: string; invocations: string } {
  const n = encodeURIComponent(name);
  return { infer: `${baseUrl}/v2/models/${n}/infer`, invocations: `${baseUrl}/deployments/${n}/invocations` };
}

/** Where an LLM deployment answers: the OpenAI-compatible API on the server at `baseUrl`, `model` being its name. */
export function openAiEndpointsOf(baseUrl: string): { chatCompletions: string; completions: string; models: string; baseUrl: string } {
  const v1 = `${baseUrl}/v1`;
  return { chatCompletions: `${v1}/chat/completions`, completions: `${v1}/completions`, models: `${v1}/models`, baseUrl: v1 };
}

/** Whether a target generates text (a GGUF model served in-process, or an upstream server): the OpenAI API serves it. */
export const isLlmTarget = (t: TargetStatus): boolean => t.batching === 'continuous' || t.batching === 'upstream' || t.llm !== undefined || t.upstream !== undefined;

/** The chat completion every LLM example sends. */
export function exampleChatRequest(name: string): object {
  return { model: name, messages: [{ role: 'user', content: 'Tell me a story' }], max_tokens: 64 };
}

/** A streamed completion: the text arrives as server-sent events. */
export function exampleCompletionRequest(name: string): object {
  return { model: name, prompt: 'Once upon a time', max_tokens: 64, stream: true };
}

/**
 * The OpenAI-compatible endpoints of the LLM deployment `name` and, with `examples`, curl commands to try (a chat
 * completion and a streamed completion) and how to point the `openai` clients at them.
 */
export function renderOpenAiEndpoints(baseUrl: string, name: string, examples: boolean): string {
  const e = openAiEndpointsOf(baseUrl);
  const lines = [
    `Endpoints (OpenAI-compatible, "model": ${JSON.stringify(name)}):`,
    `  POST ${e.chatCompletions}`,
    `  POST ${e.completions}`,
    `  GET  ${e.models}`,
  ];
  if (examples) {
    lines.push(
      '',
      'Try it:',
      `  ${curlCommand(e.chatCompletions, exampleChatRequest(name))}`,
      `  ${curlCommand(e.completions, exampleCompletionRequest(name), { stream: true })}`,
      '',
      `With the openai client: OpenAI(base_url="${e.baseUrl}", api_key="none") in Python, new OpenAI({ baseURL: "${e.baseUrl}", apiKey: "none" }) in JS.`,
    );
  }
  return lines.join('\n');
}

/** Zeros, empty strings or false, at batch size 1: what the server's warm-up runs, so an example built from it works. */
function placeholder(datatype: string): number | string | boolean {
  return datatype === 'BYTES' ? '' : datatype === 'BOOL' ? false : 0;
}

const batchOne = (shape: number[]): number[] => (shape.length === 0 ? [] : shape.map((d) => (d < 0 ? 1 : d)));

/** Flat `data` nested by `shape` (row-major), for the MLflow `inputs` form. */
function nested(value: unknown, shape: number[]): unknown {
  let v: unknown = value;
  for (let i = shape.length - 1; i >= 0; i--) {
    const inner = v;
    v = Array.from({ length: shape[i]! }, () => inner);
  }
  return v;
}

/** A KServe V2 request with one placeholder row for every input. */
export function exampleInferRequest(inputs: readonly InputSpec[]): V2InferRequest {
  return {
    inputs: inputs.map((s) => {
      const shape = batchOne(s.shape);
      return { name: s.name, datatype: s.datatype as V2InferRequest['inputs'][number]['datatype'], shape, data: Array(shape.reduce((a, b) => a * b, 1)).fill(placeholder(s.datatype)) };
    }),
  };
}

/**
 * An MLflow scoring body with one placeholder row: `dataframe_split` when every input is one column (`[-1]` or
 * `[-1, 1]`, as tabular pipelines take), else the tensor form `{"inputs": {name: nested array}}`.
 */
export function exampleScoringBody(inputs: readonly InputSpec[]): MlflowScoringRequest {
  const tabular = inputs.length > 0 && inputs.every((s) => (s.shape.length === 1 || (s.shape.length === 2 && s.shape[1] === 1)) && s.shape[0]! < 0);
  if (tabular) return { dataframe_split: { columns: inputs.map((s) => s.name), data: [inputs.map((s) => placeholder(s.datatype))] } };
  return { inputs: Object.fromEntries(inputs.map((s) => [s.name, nested(placeholder(s.datatype), batchOne(s.shape))])) };
}

/** A POSIX-shell single-quoted word. */
const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * `curl -s -X POST URL -H 'content-type: application/json' -d '<body>'`, ready to paste into a shell; with `stream`,
 * `-N` so that server-sent events show as they arrive.
 */
export function curlCommand(url: string, body: unknown, opts: { stream?: boolean } = {}): string {
  return `curl -s${opts.stream ? 'N' : ''} -X POST ${shellQuote(url)} -H 'content-type: application/json' -d ${shellQuote(JSON.stringify(body))}`;
}

/** Seconds as people read latencies: `0.31 ms`, `12.3 ms`, `235 ms`, `1.24 s`; `-` when there is none yet. */
export function formatSeconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '-';
  return s < 1 ? `${Number((s * 1000).toPrecision(3))} ms` : `${Number(s.toPrecision(3))} s`;
}

const targetsOf = (d: Deployment): string => d.targets.map((t) => `${describeTarget(t)}${d.targets.length > 1 ? ` (weight ${t.weight})` : ''}`).join(', ');

/** One line for the spinner: each target and what it is doing. */
function describeProgress(name: string, s: DeploymentStatus): string {
  const parts = s.targets.map((t) => `${describeTarget(t)} ${t.state === 'ready' && t.servedVersion ? `ready (version ${t.servedVersion})` : t.state}`);
  return `${name}: ${parts.join(', ') || 'waiting for the server'}`;
}

const BATCHING_TEXT: Record<NonNullable<TargetStatus['batching']>, string> = {
  dynamic: 'dynamic batching',
  none: 'no batching (fixed batch size)',
  continuous: 'continuous batching',
  upstream: 'upstream server',
};

function servedSummary(t: TargetStatus): string {
  const l = t.llm;
  const facts = [
    t.batching ? BATCHING_TEXT[t.batching] : '',
    l && t.upstream === undefined ? `${l.slots} sequences × ${l.contextSize ?? '?'} tokens` : '',
    t.upstream !== undefined && t.available !== undefined ? (t.available ? 'available' : 'not available') : '',
    t.memoryBytes ? formatBytes(t.memoryBytes) : '',
  ].filter(Boolean);
  const what = t.upstream !== undefined ? describeTarget(t) : `${describeTarget(t)} → version ${t.servedVersion ?? '?'}`;
  return `${what}${facts.length ? ` (${facts.join(', ')})` : ''}`;
}

/** `Endpoints:` and, when the model's inputs are known, `Try it:` with curl examples. */
function renderEndpoints(baseUrl: string, name: string, inputs: readonly InputSpec[] | undefined): string {
  const e = endpointsOf(baseUrl, name);
  const lines = ['Endpoints:', `  POST ${e.infer}  (KServe V2 / Open Inference Protocol)`, `  POST ${e.invocations}  (MLflow scoring)`];
  if (inputs) lines.push('', 'Try it:', `  ${curlCommand(e.infer, exampleInferRequest(inputs))}`, `  ${curlCommand(e.invocations, exampleScoringBody(inputs))}`);
  return lines.join('\n');
}

const hasConfig = (c: DeploymentConfigInput): boolean => Object.keys(c).length > 0;

/**
 * `pitwall deploy NAME MODEL_URI`: creates the deployment, or switches an existing one to MODEL_URI (the new version
 * is loaded beside the old one and swapped in); then, unless `--no-wait`, waits until it is ready, showing each
 * target's state, and prints the endpoints with curl examples built from the model's inputs. A load that fails is
 * reported with the server's error and exit code 1.
 */
export async function deployCommand(cmd: Cmd<'deploy'>, client: PitwallClient, io: CliIo): Promise<void> {
  // What the model is decides what `--threads` sets and, without waiting for a status, which endpoints to print.
  const upstream = cmd.modelUri.startsWith('upstream:');
  const flavor = upstream ? 'upstream' : cmd.config.threads !== undefined || !cmd.wait ? (await client.registry.resolve(cmd.modelUri)).manifest?.flavor : undefined;
  const config = engineConfig(cmd.config, flavor, 'deploy');
  let created = true;
  let d: Deployment;
  try {
    d = await client.deployments.create({
      name: cmd.name,
      model: cmd.modelUri,
      ...(hasConfig(config) ? { config } : {}),
      ...(cmd.description !== undefined ? { description: cmd.description } : {}),
    });
  } catch (e) {
    if (!(e instanceof PitwallApiError && e.errorCode === 'RESOURCE_ALREADY_EXISTS')) throw e;
    created = false;
    d = await client.deployments.update(cmd.name, {
      model: cmd.modelUri,
      ...(hasConfig(config) ? { config } : {}),
      ...(cmd.description !== undefined ? { description: cmd.description } : {}),
    });
  }
  const head = created ? `Created deployment ${d.name} → ${targetsOf(d)}.` : `Updated deployment ${d.name} → ${targetsOf(d)} (revision ${d.revision}).`;
  if (!cmd.wait) {
    const llm = flavor === 'gguf' || flavor === 'upstream';
    const endpoints = llm ? openAiEndpointsOf(client.baseUrl) : endpointsOf(client.baseUrl, d.name);
    if (cmd.json) io.out(toJson({ deployment: d, created, endpoints }));
    else io.out(`${head}\nLoading in the background: see pitwall deployments show ${d.name}\n\n${llm ? renderOpenAiEndpoints(client.baseUrl, d.name, false) : renderEndpoints(client.baseUrl, d.name, undefined)}`);
    return;
  }
  if (!cmd.json) io.out(head);
  const spinner = startSpinner(io, `${d.name}: waiting for the server`);
  let status: DeploymentStatus;
  try {
    status = await client.deployments.waitReady(d.name, {
      revision: d.revision,
      timeoutMs: cmd.waitSeconds * 1000,
      onProgress: (s) => spinner.update(describeProgress(d.name, s)),
    });
  } catch (e) {
    if (e instanceof DeploymentNotReadyError) {
      throw new CliError(e.reason === 'timeout' ? `${e.message}; it keeps loading on the server: see pitwall deployments show ${d.name}` : e.message);
    }
    throw e;
  } finally {
    spinner.finish();
  }
  const ready = `Deployment ${d.name} is ready: ${status.targets.map(servedSummary).join('; ')}.`;
  if (status.targets.some(isLlmTarget)) {
    if (cmd.json) io.out(toJson({ deployment: d, created, status, endpoints: openAiEndpointsOf(client.baseUrl) }));
    else io.out(`${ready}\n\n${renderOpenAiEndpoints(client.baseUrl, d.name, true)}`);
    return;
  }
  const inputs = await client.deployments.metadata(d.name).then(
    (m) => m.inputs,
    () => undefined,
  );
  if (cmd.json) {
    io.out(toJson({ deployment: d, created, status, endpoints: endpointsOf(client.baseUrl, d.name) }));
    return;
  }
  io.out(`${ready}\n\n${renderEndpoints(client.baseUrl, d.name, inputs)}`);
}

/** `pitwall deployments list`: by name, with whether the answering server has each one ready. */
export async function deploymentsList(cmd: Cmd<'deployments list'>, client: PitwallClient, io: CliIo): Promise<void> {
  const deployments: Deployment[] = [];
  let more = false;
  for await (const d of client.deployments.iterate({ maxResults: Math.min(cmd.max + 1, 1000) })) {
    if (deployments.length === cmd.max) {
      more = true;
      break;
    }
    deployments.push(d);
  }
  if (cmd.json) {
    io.out(toJson({ deployments }));
    return;
  }
  if (deployments.length === 0) {
    io.out('No deployments. Create one with: pitwall deploy NAME models:/MODEL@ALIAS');
    return;
  }
  const states = await mapLimit(deployments, 8, (d) =>
    client.deployments.status(d.name).then(
      (s) => (s.ready ? 'ready' : s.targets.some((t) => t.state === 'failed') ? 'failed' : 'loading'),
      () => '?',
    ),
  );
  const rows = deployments.map((d, i) => [d.name, states[i]!, targetsOf(d), String(d.revision), formatTime(d.updatedAt), d.description.split('\n')[0] ?? '']);
  io.out(formatTable(rows, { header: ['NAME', 'STATE', 'TARGETS', 'REVISION', 'UPDATED', 'DESCRIPTION'], maxWidth: [40, 8, 60, 8, 19, 50] }));
  if (more) io.out(`(showing the first ${cmd.max} deployments; use --max to see more)`);
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

const p50p95 = (l: LatencySummary): string => (l.p50 === undefined ? '-' : `p50 ${formatSeconds(l.p50)}, p95 ${formatSeconds(l.p95)}`);

/** An LLM target's block: slots, queue, tokens, latencies and the facts of the loaded model. */
function renderLlm(t: TargetStatus): string[] {
  const l = t.llm!;
  const f = l.finished;
  const rows: [string, string][] = [];
  if (t.upstream !== undefined) rows.push(['upstream', `${t.upstream}, ${t.available === false ? 'NOT available (failing health checks; out of rotation)' : t.available ? 'available' : 'availability unknown'}`]);
  rows.push(
    ['slots', `${l.slotsInUse}/${l.slots} in use, ${l.queued}/${l.queueCapacity} queued`],
    ['requests', `${l.requests} (${l.rejected} refused with 429); finished: ${f.stop} stop, ${f.length} length, ${f.abort} abort, ${f.error} error`],
    ['tokens', `${l.promptTokens} prompt (${l.cachedPromptTokens} cached), ${l.generationTokens} generated`],
    ['latency', `time to first token ${p50p95(l.timeToFirstTokenSeconds)}; per output token p50 ${formatSeconds(l.timePerOutputTokenSeconds.p50)}; queue p50 ${formatSeconds(l.queueTimeSeconds.p50)}`],
  );
  const model = [
    l.architecture,
    l.contextSize !== undefined ? `${l.contextSize} tokens per sequence${l.trainContextSize ? ` (trained with ${l.trainContextSize})` : ''}` : undefined,
    l.chatTemplate !== undefined ? `chat template ${l.chatTemplate}` : undefined,
    l.threads !== undefined ? `${l.threads} thread${l.threads === 1 ? '' : 's'}` : undefined,
  ].filter((x) => x !== undefined && x !== '');
  if (model.length) rows.push(['model', model.join(', ')]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return [`LLM ${describeTarget(t)}${t.batching ? ` (${BATCHING_TEXT[t.batching]})` : ''}`, ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`)];
}

/** The config line: the fields that matter for what the deployment serves. */
function configLine(d: Deployment, llm: boolean): string {
  const c = d.config;
  if (!llm) return `max batch ${c.maxBatchSize}, queue delay ${c.maxQueueDelayMs} ms, queue ${c.maxQueue}, timeout ${c.timeoutMs} ms, threads ${c.intraOpThreads}/${c.interOpThreads} (intra/inter-op)`;
  return [
    `parallel ${c.parallel}`,
    `context per sequence ${c.contextSize === 0 ? "the model's (at most 4096 tokens)" : `${c.contextSize} tokens`}`,
    `threads ${c.threads === 0 ? 'half the cores' : c.threads}`,
    `KV cache ${c.kvCacheMb} MiB`,
    `queue ${c.maxQueue}`,
    `timeout ${c.timeoutMs} ms`,
  ].join(', ');
}

function renderDeployment(d: Deployment, s: DeploymentStatus, baseUrl: string): string {
  const llm = s.targets.some(isLlmTarget);
  const fields: [string, string][] = [
    ['ready', s.ready ? 'yes' : s.draining ? 'no (the server is shutting down)' : 'no'],
    ['revision', s.revision === d.revision ? String(d.revision) : `${d.revision} (this server still serves revision ${s.revision})`],
  ];
  if (d.description) fields.push(['description', d.description]);
  fields.push(
    ['config', configLine(d, llm)],
    ['created', formatTime(d.createdAt)],
    ['updated', formatTime(d.updatedAt)],
  );
  const w = Math.max(...fields.map(([k]) => k.length));
  const rows = s.targets.map((t) => [
    describeTarget(t),
    String(t.weight),
    t.state,
    t.servedVersion ?? '',
    t.batching ?? '',
    t.memoryBytes ? formatBytes(t.memoryBytes) : '',
    t.inFlight === undefined ? '' : String(t.inFlight),
    t.queue ? `${t.queue.queued}/${t.queue.capacity}` : t.llm ? `${t.llm.queued}/${t.llm.queueCapacity}` : '',
    t.queue ? String(t.queue.requests) : t.llm ? String(t.llm.requests) : '',
    t.error ?? '',
  ]);
  const llmBlocks = s.targets.filter((t) => t.llm !== undefined).flatMap((t) => ['', ...renderLlm(t)]);
  return [
    `Deployment ${d.name}`,
    ...fields.map(([k, v]) => `${k.padEnd(w)}  ${v}`),
    '',
    `Targets (${s.targets.length})`,
    formatTable(rows, { header: ['TARGET', 'WEIGHT', 'STATE', 'VERSION', 'BATCHING', 'MEMORY', 'IN FLIGHT', 'QUEUED', 'REQUESTS', 'ERROR'], maxWidth: [50, 8, 8, 8, 10, 10, 9, 13, 10, 100], indent: '  ' }),
    ...llmBlocks,
    '',
    llm ? renderOpenAiEndpoints(baseUrl, d.name, false) : renderEndpoints(baseUrl, d.name, undefined),
  ].join('\n');
}

/** `pitwall deployments show NAME`: the record and the answering server's status of every target. */
export async function deploymentsShow(cmd: Cmd<'deployments show'>, client: PitwallClient, io: CliIo): Promise<void> {
  const d = await client.deployments.get(cmd.name);
  const status = await client.deployments.status(cmd.name);
  io.out(cmd.json ? toJson({ deployment: d, status }) : renderDeployment(d, status, client.baseUrl));
}

/** `pitwall deployments delete NAME`. */
export async function deploymentsDelete(cmd: Cmd<'deployments delete'>, client: PitwallClient, io: CliIo): Promise<void> {
  await client.deployments.delete(cmd.name);
  io.out(cmd.json ? toJson({ name: cmd.name, deleted: true }) : `Deleted deployment ${cmd.name}.`);
}
