import type { ConfigInput } from '../config/index.js';
import { isAppError } from '../core/errors/index.js';
import type { RunningServer } from '../server.js';
import type { Deployment, DeploymentTarget } from '../store/index.js';
import { encodeConfig } from '../sdk/deployments-client.js';
import { type DeployCommand, engineConfig } from './deploy-args.js';
import { curlCommand, endpointsOf, exampleChatRequest, exampleScoringBody, openAiEndpointsOf } from './deploy-command.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';
import { toCliError } from './server-command.js';

type ServeCmd = Extract<DeployCommand, { kind: 'serve' }>;

/** A registered model's name as a deployment name: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export function deploymentNameFor(model: string): string {
  const s = model
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 128);
  return s || 'model';
}

/**
 * `pitwall serve MODEL_URI`: serves one registered model version (an alias is followed as it moves) on its own port,
 * without storing a deployment, with MLflow's `mlflow models serve` routes (`POST /invocations`, `GET /ping`) beside
 * the KServe V2 ones; a GGUF LLM is answered on the OpenAI-compatible API under `/v1` instead (`model`: the
 * deployment's name). The model reference is checked against the store before anything listens, so a wrong name is
 * a one-line error; the server then starts, and the command returns once the model is loaded and warmed up (exit
 * code 1, server closed, if that fails). The open socket keeps the process alive; SIGTERM/SIGINT drain and stop it.
 */
export async function serveCommand(cmd: ServeCmd, io: CliIo, opts: { handleSignals?: boolean } = {}): Promise<RunningServer> {
  const { loadConfig } = await import('../config/index.js');
  const { createStore, DEFAULT_DEPLOYMENT_CONFIG } = await import('../store/index.js');
  const { parseModelRef } = await import('../registry/model-uri.js');
  const { LLM_DEFAULT_TIMEOUT_MS, parseDeploymentConfig, servableFlavor, validateDeploymentName } = await import('../serving/deployment-service.js');
  const { startServer } = await import('../server.js');

  const flags: ConfigInput & { configFile?: string } = { ...cmd.flags, jobs: { inServer: false } };
  let deployment: Deployment;
  let version: string;
  let flavor: 'onnx' | 'gguf';
  try {
    const ref = parseModelRef(cmd.modelUri, 'MODEL_URI');
    if (ref.kind !== 'version' && ref.kind !== 'alias') throw new CliError(`'${cmd.modelUri}' names no model version: use models:/NAME@ALIAS or models:/NAME/VERSION`);
    const target: DeploymentTarget = ref.kind === 'version' ? { model: ref.name, version: ref.version, weight: 1 } : { model: ref.name, alias: ref.alias, weight: 1 };
    const name = validateDeploymentName(cmd.name ?? deploymentNameFor(ref.name));

    // Resolve the version before listening: a typo in the model's name must fail here, not leave a server never ready.
    const cfg = loadConfig(flags);
    const store = await createStore(cfg.store, { defaultArtifactRoot: cfg.defaultArtifactRoot });
    try {
      const v = ref.kind === 'version' ? await store.registry.getVersion(ref.name, ref.version) : await store.registry.getVersionByAlias(ref.name, ref.alias);
      flavor = servableFlavor(v, 'MODEL_URI');
      version = v.version;
    } finally {
      await store.close();
    }

    const c = engineConfig(cmd.config, flavor, 'serve');
    const config = parseDeploymentConfig(encodeConfig(c), DEFAULT_DEPLOYMENT_CONFIG);
    // As the deployments API does: a generation takes minutes, not a tensor model's 10 s.
    if (flavor === 'gguf' && c.timeoutMs === undefined) config.timeoutMs = LLM_DEFAULT_TIMEOUT_MS;
    const now = Date.now();
    deployment = { name, description: `pitwall serve ${cmd.modelUri}`, targets: [target], config, createdAt: now, updatedAt: now, revision: 1 };
  } catch (e) {
    if (isAppError(e)) throw new CliError(`cannot serve ${cmd.modelUri}: ${e.message}`);
    throw e;
  }

  let server: RunningServer;
  try {
    server = await startServer(flags, { quiet: true, ...(opts.handleSignals === false ? { handleSignals: false } : {}), build: { deployments: [deployment] } });
  } catch (e) {
    throw toCliError(e, cmd.flags);
  }
  const name = deployment.name;
  io.out(`Serving ${cmd.modelUri} (version ${version}) as '${name}'; listening on ${server.url}`);

  // Wait for the load and warm-up; a model that cannot be loaded ends the command instead of leaving a server that never gets ready.
  for (;;) {
    await server.serving.settled();
    const status = await server.serving.status(name);
    if (status.ready) break;
    const failed = status.targets.find((t) => t.state === 'failed');
    if (failed) {
      await server.close().catch(() => undefined);
      throw new CliError(`cannot serve ${cmd.modelUri}: ${String(failed.error ?? 'loading failed')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (flavor === 'gguf') {
    const o = openAiEndpointsOf(server.url);
    const facts = await server.serving.withModel(name, undefined, async (m) => m.llm?.info);
    io.out(
      [
        `Ready${facts ? ` (${facts.architecture}, ${facts.slots} sequences × ${facts.contextSize} tokens, chat template ${facts.chatTemplate})` : ''}. Try it:`,
        `  ${curlCommand(o.chatCompletions, exampleChatRequest(name))}`,
        `OpenAI-compatible, "model": ${JSON.stringify(name)}: POST ${o.chatCompletions}, POST ${o.completions}, GET ${o.models};`,
        `openai clients: base_url="${o.baseUrl}". GET ${server.url}/ping is 200 when ready. Ctrl-C or SIGTERM stops it.`,
      ].join('\n'),
    );
    return server;
  }
  const inputs = await server.serving.withModel(name, undefined, async (m) => m.signature.inputs);
  const e = endpointsOf(server.url, name);
  io.out(
    [
      'Ready. Try it:',
      `  ${curlCommand(`${server.url}/invocations`, exampleScoringBody(inputs))}`,
      `Also: POST ${e.infer} (KServe V2), GET ${server.url}/ping (200 when ready). Ctrl-C or SIGTERM stops it.`,
    ].join('\n'),
  );
  return server;
}
