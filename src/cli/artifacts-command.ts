import path from 'node:path';
import { downloadPath, joinArtifactPath, localFiles, type PitwallClient, storePathOf, uploadPath } from '../sdk/index.js';
import { CliError } from './errors.js';
import { formatBytes, toJson } from './format.js';
import type { CliIo } from './io.js';
import { startProgress } from './progress.js';
import type { RegistryCommand } from './registry-args.js';
import { fetchRun } from './resolve.js';
import { formatTable } from './table.js';

type Cmd<K extends RegistryCommand['kind']> = Extract<RegistryCommand, { kind: K }>;

const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;

/** A run (full id or `runs list` prefix) → its id and the store path of its artifact root. */
async function runRoot(client: PitwallClient, runId: string): Promise<{ runId: string; root: string }> {
  const run = await fetchRun(client, runId);
  return { runId: run.info.run_id, root: storePathOf(run.info.artifact_uri) };
}

/**
 * `pitwall artifacts put LOCAL RUN_ID[/PATH]`: a file goes to `PATH/<file name>`, a directory's contents below
 * `PATH` (as MLflow's log_artifact / log_artifacts).
 */
export async function artifactsPut(cmd: Cmd<'artifacts put'>, client: PitwallClient, io: CliIo): Promise<void> {
  await localFiles(cmd.local).catch((e: Error) => {
    throw new CliError(e.message);
  });
  const { runId, root } = await runRoot(client, cmd.target.runId);
  const bar = startProgress(io, `uploading ${path.basename(cmd.local)}`);
  const res = await uploadPath(client.artifacts, cmd.local, joinArtifactPath(root, cmd.target.path), { onProgress: (d, t) => bar.update(d, t) });
  bar.finish();
  const rel = res.files.map((f) => f.slice(root.length + 1));
  if (cmd.json) io.out(toJson({ run_id: runId, files: rel, bytes: res.bytes }));
  else io.out(`Uploaded ${files(rel.length)} (${formatBytes(res.bytes)}) to run ${runId}${cmd.target.path ? ` under ${cmd.target.path}/` : ''}.`);
}

/**
 * `pitwall artifacts get RUN_ID[/PATH] [DEST]` or `get models:/NAME/VERSION [DEST]`. A file goes to DEST (or into
 * it, when DEST is a directory); a directory's contents go below DEST. Without DEST: `./<last path segment>`
 * (`./<run id>` for a whole run, `./<name>-v<version>` for a model version's directory).
 */
export async function artifactsGet(cmd: Cmd<'artifacts get'>, client: PitwallClient, io: CliIo): Promise<void> {
  let src: string;
  let fallback: string;
  if (cmd.target.kind === 'model') {
    const v = await client.registry.resolve(cmd.target.ref);
    src = storePathOf(v.storageLocation || (await client.registry.getDownloadUri(v.name, v.version)));
    const isDir = (await client.artifacts.list(src)).length > 0;
    fallback = isDir ? `${v.name.replace(/[^\w.-]+/g, '_')}-v${v.version}` : path.posix.basename(src);
  } else {
    const { runId, root } = await runRoot(client, cmd.target.runId);
    src = joinArtifactPath(root, cmd.target.path);
    fallback = cmd.target.path ? path.posix.basename(cmd.target.path) : runId;
  }
  const dest = cmd.dest ?? fallback;
  const bar = startProgress(io, `downloading ${cmd.target.kind === 'model' ? cmd.target.ref : path.posix.basename(src)}`);
  const res = await downloadPath(client.artifacts, src, dest, { onProgress: (d, t) => bar.update(d, t) });
  bar.finish();
  if (cmd.json) io.out(toJson({ files: res.files, bytes: res.bytes }));
  else io.out(`Downloaded ${files(res.files.length)} (${formatBytes(res.bytes)}) to ${res.isDir ? dest : res.files[0]}.`);
}

/** `pitwall artifacts ls RUN_ID[/PATH]`: the direct children, directories first marked with `/`. */
export async function artifactsLs(cmd: Cmd<'artifacts ls'>, client: PitwallClient, io: CliIo): Promise<void> {
  const run = await fetchRun(client, cmd.target.runId);
  const listing = await client.artifacts.listRun(run.info.run_id, cmd.target.path);
  if (cmd.json) {
    io.out(toJson({ root_uri: listing.rootUri, files: listing.files }));
    return;
  }
  if (listing.files.length === 0) {
    io.out(`No artifacts under ${listing.rootUri}${cmd.target.path ? `/${cmd.target.path}` : ''}.`);
    return;
  }
  const sorted = [...listing.files].sort((a, b) => Number(b.isDir) - Number(a.isDir) || (a.path < b.path ? -1 : 1));
  const rows = sorted.map((f) => [f.isDir ? `${f.path}/` : f.path, f.isDir ? '' : formatBytes(f.fileSize ?? 0)]);
  io.out(formatTable(rows, { header: ['PATH', 'SIZE'], align: ['left', 'right'], maxWidth: [100, 12] }));
}
