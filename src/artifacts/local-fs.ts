import { randomBytes } from 'node:crypto';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readdir, readlink, realpath, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalidParam } from '../core/errors/index.js';
import { ByteCounter } from './body.js';
import { isADirectory, parentIsAFile, symlinkEscape } from './errors.js';
import { isInside, joinUnder } from './safe-path.js';

/** Node's error code, if any. */
export function codeOf(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}

export const O_NOFOLLOW: number = constants.O_NOFOLLOW ?? 0;

/**
 * The filesystem side of `LocalArtifactStore`: resolving safe relative paths to real paths without ever leaving the
 * root (or entering the staging directory), and the write primitives (temp file + fsync + rename).
 */
export class LocalFs {
  constructor(
    /** The root, already resolved by realpath. */
    readonly root: string,
    /** The staging directory inside the root; never reachable by an artifact path. */
    readonly staging: string,
  ) {}

  /** Whether a real (symlink-free) path may be touched: inside the root and not inside the staging area. */
  allowed(real: string): boolean {
    return isInside(this.root, real) && !isInside(this.staging, real);
  }

  /**
   * Resolves the safe relative path `rel`: the deepest existing ancestor is passed through realpath and must stay
   * inside the root; the missing rest is appended lexically. A dangling symlink on the way must point inside too.
   * `exists` says whether the whole path exists.
   */
  async resolve(rel: string): Promise<{ real: string; exists: boolean }> {
    const segs = rel === '' ? [] : rel.split('/');
    for (let i = segs.length; i >= 0; i--) {
      const lexical = joinUnder(this.root, segs.slice(0, i).join('/'));
      let real: string;
      try {
        real = await realpath(lexical);
      } catch (e) {
        const code = codeOf(e);
        if (code === 'ELOOP') throw symlinkEscape(rel);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
        if (i > 0) await this.checkDanglingLink(lexical, rel);
        continue;
      }
      if (!this.allowed(real)) throw symlinkEscape(rel);
      return { real: path.join(real, ...segs.slice(i)), exists: i === segs.length };
    }
    throw symlinkEscape(rel); // the root itself did not resolve
  }

  /** If `lexical` is a symlink whose target does not exist, that target must still lie inside the root. */
  private async checkDanglingLink(lexical: string, rel: string): Promise<void> {
    const st = await lstat(lexical).catch(() => null);
    if (!st?.isSymbolicLink()) return;
    const parent = await realpath(path.dirname(lexical)).catch(() => path.dirname(lexical));
    const target = path.resolve(parent, await readlink(lexical));
    if (!this.allowed(target)) throw symlinkEscape(rel);
  }

  /**
   * Opens the regular file at `real` for reading without following a final symlink, and checks (through
   * /proc/self/fd where it exists) that what was opened is still inside the root, closing the race between resolving
   * and opening.
   */
  async openForRead(real: string, rel: string) {
    const fh = await open(real, constants.O_RDONLY | O_NOFOLLOW);
    try {
      const actual = await readlink(`/proc/self/fd/${fh.fd}`).catch(() => null);
      if (actual !== null && !this.allowed(actual)) throw symlinkEscape(rel);
      const st = await fh.stat();
      if (st.isDirectory()) throw isADirectory(rel);
      if (!st.isFile()) throw invalidParam(`'${rel}' is not a regular file`, 'path');
      return { fh, size: st.size };
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** A new unique name in `dir` (the staging directory or an upload's directory). */
  tempName(dir: string, kind: string): string {
    return path.join(dir, `${kind}-${randomBytes(12).toString('hex')}`);
  }

  /** Streams `src` into the new file `tmp`; see `writeFileSynced`. */
  writeFile(tmp: string, src: Readable, signal?: AbortSignal, onChunk?: (chunk: Buffer) => void): Promise<number> {
    return writeFileSynced(tmp, src, signal, onChunk);
  }

  /**
   * Moves the finished temp file onto the artifact `rel` (atomic rename), creating parent directories, then fsyncs
   * the directory so the new entry survives a crash. Re-resolves the destination: things may have changed while the
   * body streamed.
   */
  async commit(tmp: string, rel: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const dest = await this.resolve(rel);
      if (dest.exists && (await stat(dest.real)).isDirectory()) throw isADirectory(rel);
      const dir = path.dirname(dest.real);
      try {
        await mkdir(dir, { recursive: true });
      } catch (e) {
        if (codeOf(e) === 'EEXIST' || codeOf(e) === 'ENOTDIR') throw parentIsAFile(rel);
        throw e;
      }
      try {
        await rename(tmp, dest.real);
      } catch (e) {
        const code = codeOf(e);
        if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST') throw isADirectory(rel);
        if (code === 'ENOTDIR') throw parentIsAFile(rel);
        // A concurrent delete pruned the directory we just made: make it again.
        if (code === 'ENOENT' && attempt < 3) continue;
        throw e;
      }
      await fsyncDir(dir);
      return;
    }
  }

  /** Removes a file, or a directory tree after atomically moving it into the staging area (symlinks inside it are
   * removed, never followed). */
  async remove(real: string, isDir: boolean): Promise<void> {
    if (!isDir) {
      await unlink(real).catch((e: unknown) => {
        if (codeOf(e) !== 'ENOENT') throw e;
      });
      return;
    }
    const trash = this.tempName(this.staging, 'del');
    try {
      await rename(real, trash);
    } catch (e) {
      if (codeOf(e) === 'ENOENT') return;
      throw e;
    }
    await rm(trash, { recursive: true, force: true });
  }

  /** Removes the now-empty directories from `dir` up to (not including) the root, so that directories exist only
   * while they hold files (as on S3). */
  async pruneEmptyParents(dir: string): Promise<void> {
    let d = dir;
    while (d !== this.root && this.allowed(d)) {
      try {
        await rmdir(d);
      } catch {
        return;
      }
      d = path.dirname(d);
    }
  }

  /** Deletes staging leftovers of crashed processes: deletions always, temp files after a day, uploads after a week. */
  async sweepStaging(now = Date.now()): Promise<void> {
    const entries = await readdir(this.staging).catch(() => [] as string[]);
    await Promise.all(
      entries.map(async (name) => {
        const full = path.join(this.staging, name);
        const st = await lstat(full).catch(() => null);
        if (!st) return;
        const age = now - st.mtimeMs;
        const stale = name.startsWith('del-') || (name.startsWith('put-') && age > 86_400_000) || (name.startsWith('mpu-') && age > 7 * 86_400_000);
        if (stale) await rm(full, { recursive: true, force: true }).catch(() => undefined);
      }),
    );
  }
}

/**
 * Streams `src` into a new file `tmp` (created exclusively), fsyncs it and closes it; returns the bytes written.
 * On any failure (including `signal`) the file is removed.
 */
export async function writeFileSynced(tmp: string, src: Readable, signal?: AbortSignal, onChunk?: (chunk: Buffer) => void): Promise<number> {
  // `flush: true` fsyncs the file before the stream closes; pipeline resolves once it has closed.
  const out = createWriteStream(tmp, { flags: 'wx', mode: 0o644, flush: true, highWaterMark: 1024 * 1024 });
  const counter = new ByteCounter(onChunk);
  try {
    await (signal ? pipeline(src, counter, out, { signal }) : pipeline(src, counter, out));
    return counter.bytes;
  } catch (e) {
    out.destroy();
    if (codeOf(e) !== 'EEXIST') await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** fsync a directory so a rename into it is durable (ignored where directories cannot be opened). */
export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Some platforms refuse to open or fsync directories; the rename itself is still atomic.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** The bytes of several files, one after another, as one stream of chunks. */
export async function* concatFiles(files: string[]): AsyncGenerator<Buffer> {
  for (const f of files) {
    for await (const chunk of createReadStream(f, { highWaterMark: 1024 * 1024 })) yield chunk as Buffer;
  }
}
