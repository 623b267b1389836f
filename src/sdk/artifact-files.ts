/**
 * Node-only: copying local files and directories to and from the artifact store through `client.artifacts`,
 * streamed (a file is never held in memory whole), with one progress callback over the whole transfer.
 * Not imported by `client.ts`, so the browser bundle never sees `node:` modules.
 */
import { PitwallPathError } from './errors.js';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { ArtifactClient } from './artifact-client.js';
import { countingStream, joinArtifactPath } from './artifact-client.js';
import type { ProgressCallback } from './registry-options.js';

export interface TransferOptions {
  /** Bytes moved so far over the whole transfer, and the total (known before the first byte). */
  onProgress?: ((bytesDone: number, bytesTotal: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export interface TransferResult {
  /** Files moved, as store paths (upload) or local paths (download). */
  files: string[];
  bytes: number;
  /** True when the source was a directory. */
  isDir: boolean;
}

interface LocalFile {
  abs: string;
  rel: string;
  size: number;
}

/** Regular files below `root` (symlinks to files followed, symlinked directories skipped), sorted by relative path. */
async function walk(root: string): Promise<LocalFile[]> {
  const out: LocalFile[] = [];
  const visit = async (dir: string, prefix: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
      if (e.isDirectory()) await visit(abs, rel);
      else if (e.isFile() || e.isSymbolicLink()) {
        const st = await stat(abs).catch(() => undefined);
        if (st?.isFile()) out.push({ abs, rel, size: st.size });
      }
    }
  };
  await visit(root, '');
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** What `local` is: its files with paths relative to it (a single file: its own name) and whether it is a directory. */
export async function localFiles(local: string): Promise<{ files: LocalFile[]; isDir: boolean }> {
  const st = await stat(local).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new Error(`${local}: no such file or directory`);
    throw new Error(`${local}: ${e.code === 'EACCES' ? 'permission denied' : e.message}`);
  });
  if (st.isDirectory()) return { files: await walk(local), isDir: true };
  if (st.isFile()) return { files: [{ abs: local, rel: path.basename(local), size: st.size }], isDir: false };
  throw new Error(`${local} is neither a file nor a directory`);
}

function aggregate(total: number, onProgress: TransferOptions['onProgress']): { forFile: (base: number) => ProgressCallback; done: (n: number) => void } {
  let finished = 0;
  return {
    forFile: (base) => (done) => onProgress?.(base + done, total),
    done: (n) => {
      finished += n;
      onProgress?.(finished, total);
    },
  };
}

/**
 * Uploads a local file to `storePath/<file name>`, or a directory's files to `storePath/<relative path>`.
 * Each file is streamed (`fs.createReadStream` → web stream, `duplex: 'half'`).
 */
export async function uploadPath(artifacts: ArtifactClient, local: string, storePath: string, opts: TransferOptions = {}): Promise<TransferResult> {
  const { files, isDir } = await localFiles(local);
  const total = files.reduce((n, f) => n + f.size, 0);
  const progress = aggregate(total, opts.onProgress);
  opts.onProgress?.(0, total);
  const stored: string[] = [];
  let bytes = 0;
  for (const f of files) {
    const dest = joinArtifactPath(storePath, f.rel);
    const web = Readable.toWeb(createReadStream(f.abs, { highWaterMark: 1024 * 1024 })) as unknown as ReadableStream<Uint8Array>;
    const body = opts.onProgress ? countingStream(web, f.size, progress.forFile(bytes)) : web;
    await artifacts.upload(dest, body, { size: f.size, signal: opts.signal });
    bytes += f.size;
    progress.done(f.size);
    stored.push(dest);
  }
  return { files: stored, bytes, isDir };
}

/** Every file below a store directory, with sizes (absent sizes, as for empty files, count as 0). */
async function remoteTree(artifacts: ArtifactClient, dir: string): Promise<{ path: string; rel: string; size: number }[]> {
  const out: { path: string; rel: string; size: number }[] = [];
  const queue = [dir];
  while (queue.length > 0) {
    const d = queue.shift()!;
    for (const f of await artifacts.list(d)) {
      if (f.isDir) queue.push(f.path);
      else out.push({ path: f.path, rel: safeRelative(f.path, dir), size: f.fileSize ?? 0 });
    }
  }
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/**
 * The part of a listed `file` below `dir`, checked: a server (or anything between) could list names such as
 * `../../.bashrc`, which must never decide where a download is written.
 */
function safeRelative(file: string, dir: string): string {
  const rel = dir === '' ? file : file.startsWith(`${dir}/`) ? file.slice(dir.length + 1) : '';
  joinArtifactPath(rel); // throws on '..', backslashes and control characters
  if (rel === '' || rel.startsWith('/') || rel.split('/').some((s) => s === '' || s === '.')) throw new PitwallPathError(`The server listed an unsafe artifact path '${file}' under '${dir}'`);
  return rel;
}

async function isDirectory(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
}

/** `dest/rel`, refusing anything that would resolve outside `dest`. */
function inside(dest: string, rel: string): string {
  const root = path.resolve(dest);
  const to = path.resolve(root, ...rel.split('/'));
  if (to !== root && !to.startsWith(root + path.sep)) throw new PitwallPathError(`Refusing to write ${to}: outside ${root}`);
  return to;
}

/** Streams one stored file to `dest` through a temporary sibling, renamed into place once complete. */
async function downloadFile(artifacts: ArtifactClient, storePath: string, dest: string, onBytes: ProgressCallback, signal: AbortSignal | undefined): Promise<number> {
  const { body, size } = await artifacts.download(storePath, { signal });
  await mkdir(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.pitwall-part-${Math.random().toString(36).slice(2, 10)}`;
  let received = 0;
  try {
    const counted = countingStream(body, size, (n) => {
      received = n;
      onBytes(n, size);
    });
    await counted.pipeTo(Writable.toWeb(createWriteStream(tmp)) as WritableStream<Uint8Array>, signal ? { signal } : {});
    if (size !== undefined && received !== size) throw new Error(`${storePath}: received ${received} of ${size} bytes`);
    await rename(tmp, dest);
    return received;
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Downloads a stored file or directory tree. A file goes to `dest` (or `dest/<name>` when `dest` is an existing
 * directory); a directory's files go below `dest`, which is created. Files appear complete or not at all.
 */
export async function downloadPath(artifacts: ArtifactClient, storePath: string, dest: string, opts: TransferOptions = {}): Promise<TransferResult> {
  const src = joinArtifactPath(storePath);
  const tree = await remoteTree(artifacts, src);
  const isDir = tree.length > 0;
  const plan = isDir
    ? tree.map((f) => ({ path: f.path, to: inside(dest, f.rel), size: f.size }))
    : [{ path: src, to: (await isDirectory(dest)) ? path.join(dest, path.posix.basename(src)) : dest, size: undefined as number | undefined }];
  let total = plan.reduce((n, f) => n + (f.size ?? 0), 0);
  const progress = aggregate(total, opts.onProgress);
  if (isDir) opts.onProgress?.(0, total);
  const written: string[] = [];
  let bytes = 0;
  for (const f of plan) {
    const base = bytes;
    const n = await downloadFile(
      artifacts,
      f.path,
      f.to,
      (done, size) => {
        if (!isDir && size !== undefined) total = size;
        opts.onProgress?.(base + done, isDir ? total : (size ?? done));
      },
      opts.signal,
    );
    bytes += n;
    if (isDir) progress.done(n);
    written.push(f.to);
  }
  return { files: written, bytes, isDir };
}
