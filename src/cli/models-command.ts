import os from 'node:os';
import { isNotFound, localFiles, PitwallApiError, type PitwallClient, type RegisteredModel, storePathOf, uploadPath, joinArtifactPath } from '../sdk/index.js';
import type { RegistryCommand } from './registry-args.js';
import { CliError } from './errors.js';
import { formatTime, toJson } from './format.js';
import type { CliIo } from './io.js';
import { renderModel, renderRegistered, renderVersion } from './model-show.js';
import { startProgress } from './progress.js';
import { fetchRun } from './resolve.js';
import { formatTable } from './table.js';

type Cmd<K extends RegistryCommand['kind']> = Extract<RegistryCommand, { kind: K }>;

/** A model name as one safe store path segment (names may hold spaces, quotes, Unicode). */
function pathSegment(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
  return s.slice(0, 100) || 'model';
}

/** A filter value in single quotes, quotes doubled (MLflow's filter grammar). */
export const quoteFilter = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** `NAME/VERSION` → its parts; anything else (aliases, models:/ URIs) is left for the server to resolve. */
async function resolveVersionRef(client: PitwallClient, ref: string): Promise<{ name: string; version: string }> {
  const m = /^([^@:]+)\/(\d+)$/.exec(ref);
  if (m) return { name: m[1]!, version: String(Number(m[2])) };
  const v = await client.registry.resolve(ref);
  return { name: v.name, version: v.version };
}

/** The OS user name (what `mlflow.user` records too), for approvals. */
function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * `pitwall models register PATH --name NAME`: uploads the file or directory (to the run's `model/` with `--run`, or
 * `model-<id>/` when `model/` already holds files, else to `models/<name>/<id>/`), creates the registered model if missing, then the version, then sets aliases.
 */
export async function modelsRegister(cmd: Cmd<'models register'>, client: PitwallClient, io: CliIo): Promise<void> {
  await localFiles(cmd.path).catch((e: Error) => {
    throw new CliError(e.message);
  });
  // Fails fast on a bad name or an unreachable server, before any byte is sent.
  const exists = await client.registry.getModel(cmd.name).then(
    () => true,
    (e: unknown) => {
      if (isNotFound(e)) return false;
      throw e;
    },
  );
  let storePath: string;
  let runId: string | undefined;
  if (cmd.runId !== undefined) {
    const run = await fetchRun(client, cmd.runId);
    runId = run.info.run_id;
    // Never write into files an earlier version (or MLflow's log_model) already points at.
    const root = storePathOf(run.info.artifact_uri);
    const taken = (await client.artifacts.list(joinArtifactPath(root, 'model'))).length > 0;
    storePath = joinArtifactPath(root, taken ? `model-${crypto.randomUUID().slice(0, 8)}` : 'model');
  } else {
    storePath = joinArtifactPath('models', pathSegment(cmd.name), crypto.randomUUID().replace(/-/g, ''));
  }
  const bar = startProgress(io, `uploading ${cmd.path}`);
  const up = await uploadPath(client.artifacts, cmd.path, storePath, { onProgress: (d, t) => bar.update(d, t) });
  bar.finish();
  if (!exists) {
    await client.registry.createModel(cmd.name).catch((e: unknown) => {
      if (!(e instanceof PitwallApiError && e.errorCode === 'RESOURCE_ALREADY_EXISTS')) throw e;
    });
  }
  let version = await client.registry.createVersion({
    name: cmd.name,
    source: `mlflow-artifacts:/${storePath}`,
    ...(runId !== undefined ? { runId } : {}),
    ...(cmd.description !== undefined ? { description: cmd.description } : {}),
  });
  for (const alias of cmd.aliases) await client.registry.setAlias(cmd.name, alias, version.version);
  if (cmd.aliases.length) version = await client.registry.getVersion(cmd.name, version.version);
  if (cmd.json) io.out(toJson({ model_version: version, uploaded: { files: up.files.length, bytes: up.bytes } }));
  else io.out(renderRegistered(version));
}

/** `pitwall models list`. */
export async function modelsList(cmd: Cmd<'models list'>, client: PitwallClient, io: CliIo): Promise<void> {
  const models: RegisteredModel[] = [];
  let more = false;
  for await (const m of client.registry.iterateModels({ maxResults: Math.min(cmd.max + 1, 1000), ...(cmd.filter !== undefined ? { filter: cmd.filter } : {}) })) {
    if (models.length === cmd.max) {
      more = true;
      break;
    }
    models.push(m);
  }
  if (cmd.json) {
    io.out(toJson({ registered_models: models }));
    return;
  }
  if (models.length === 0) {
    io.out('No registered models found.');
    return;
  }
  const rows = models.map((m) => {
    const latest = m.latestVersions.reduce((n, v) => Math.max(n, Number(v.version) || 0), 0);
    return [m.name, latest ? String(latest) : '', m.aliases.map((a) => `${a.alias}→${a.version}`).join(', '), formatTime(m.lastUpdatedTimestamp), m.description.split('\n')[0] ?? ''];
  });
  io.out(formatTable(rows, { header: ['NAME', 'LATEST', 'ALIASES', 'UPDATED', 'DESCRIPTION'], maxWidth: [40, 8, 40, 19, 50] }));
  if (more) io.out(`(showing the first ${cmd.max} models; use --max to see more)`);
}

/** `pitwall models show NAME | NAME/VERSION | NAME@ALIAS | models:/…`. */
export async function modelsShow(cmd: Cmd<'models show'>, client: PitwallClient, io: CliIo): Promise<void> {
  const bare = !/[/@]/.test(cmd.ref.replace(/^models:\/+/, ''));
  if (bare) {
    const name = cmd.ref.replace(/^models:\/+/, '');
    const model = await client.registry.getModel(name);
    const versions = [];
    for await (const v of client.registry.iterateVersions({ filter: `name = ${quoteFilter(name)}`, orderBy: ['version_number DESC'] })) versions.push(v);
    const approvals = await client.registry.listApprovals(name);
    if (cmd.json) io.out(toJson({ registered_model: model, model_versions: versions, approvals }));
    else io.out(renderModel(model, versions, approvals));
    return;
  }
  const v = await client.registry.resolve(cmd.ref);
  const [approvals, lineage] = await Promise.all([
    client.registry.listApprovals(v.name, v.version),
    client.registry.lineage({ model: `${v.name}/${v.version}` }).catch(() => undefined),
  ]);
  if (cmd.json) io.out(toJson({ model_version: v, approvals, lineage: lineage ?? null }));
  else io.out(renderVersion(v, approvals, lineage));
}

/** `pitwall models alias NAME ALIAS [VERSION] [--delete]`: set, delete or show an alias. */
export async function modelsAlias(cmd: Cmd<'models alias'>, client: PitwallClient, io: CliIo): Promise<void> {
  if (cmd.delete) {
    await client.registry.deleteAlias(cmd.name, cmd.alias);
    if (cmd.json) io.out(toJson({ name: cmd.name, alias: cmd.alias, deleted: true }));
    else io.out(`Deleted alias '${cmd.alias}' of ${cmd.name}.`);
    return;
  }
  if (cmd.version === undefined) {
    const v = await client.registry.getVersionByAlias(cmd.name, cmd.alias);
    if (cmd.json) io.out(toJson({ name: v.name, alias: cmd.alias, version: v.version }));
    else io.out(`${cmd.name}@${cmd.alias} → version ${v.version}`);
    return;
  }
  await client.registry.setAlias(cmd.name, cmd.alias, cmd.version);
  if (cmd.json) io.out(toJson({ name: cmd.name, alias: cmd.alias, version: cmd.version }));
  else io.out(`${cmd.name}@${cmd.alias} → version ${cmd.version}`);
}

/** `pitwall models approve NAME/VERSION [--reject] [--comment C] [--approver WHO]`. */
export async function modelsApprove(cmd: Cmd<'models approve'>, client: PitwallClient, io: CliIo): Promise<void> {
  const { name, version } = await resolveVersionRef(client, cmd.ref);
  const approval = await client.registry.approve(name, version, {
    approver: cmd.approver ?? osUser(),
    decision: cmd.reject ? 'rejected' : 'approved',
    ...(cmd.comment !== undefined ? { comment: cmd.comment } : {}),
  });
  if (cmd.json) io.out(toJson({ approval }));
  else io.out(`${approval.decision === 'approved' ? 'Approved' : 'Rejected'} ${name} version ${version} (by ${approval.approver}).`);
}

/** `pitwall models protect NAME ALIAS… | --clear`: aliases that may only point at approved versions. */
export async function modelsProtect(cmd: Cmd<'models protect'>, client: PitwallClient, io: CliIo): Promise<void> {
  const m = await client.registry.setProtectedAliases(cmd.name, cmd.aliases);
  if (cmd.json) io.out(toJson({ name: m.name, protected_aliases: m.protectedAliases }));
  else if (m.protectedAliases.length === 0) io.out(`No alias of ${m.name} is protected.`);
  else io.out(`Protected aliases of ${m.name}: ${m.protectedAliases.join(', ')} (they may only point at approved versions).`);
}
