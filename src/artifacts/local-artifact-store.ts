import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactBody, ArtifactFileInfo, ArtifactInput, ArtifactPart, ArtifactStore } from './artifact-store.js';
import { toReadable } from './body.js';
import {
  artifactNotFound,
  bareEtag,
  checkPartNumber,
  invalidParts,
  invalidUploadId,
  isADirectory,
  pathRequired,
  reservedPath,
  sortParts,
  symlinkEscape,
  uploadNotFound,
} from './errors.js';
import { codeOf, concatFiles, LocalFs } from './local-fs.js';
import { artifactBasename, artifactDirname, compareArtifactPaths, joinArtifactPath, safeArtifactPath } from './safe-path.js';

/** The staging directory's name at the top of the root: temp files, multipart parts, deletions in progress. */
export const STAGING_DIR = '.pitwall-tmp';

const UPLOAD_ID = /^[0-9a-f]{32}$/u;
const MD5_HEX = /^[0-9a-f]{32}$/u;

interface UploadMeta {
  path: string;
  created: number;
}

/**
 * Artifacts in a local directory. Writes stream into a temp file in `<root>/.pitwall-tmp/`, are fsynced and renamed
 * into place (atomic; the directory is fsynced too). Paths never leave the root: besides `safeArtifactPath`, every
 * existing component is resolved with realpath and must stay inside the root, so a symlink pointing out of the tree
 * is refused (400) on every operation; listings leave such links out; deleting a directory removes symlinks inside it
 * without following them. Symlinks that stay inside the root are followed, except that deleting a symlink deletes the
 * link. Directories exist only while they hold files: deleting the last file removes its empty parents (as on S3).
 *
 * Multipart uploads live in `.pitwall-tmp/mpu-<uploadId>/` (a random 128-bit hex id): each part is a file named by
 * its number and MD5, the part's ETag is the quoted MD5 hex (as S3's), and completing streams the parts in part-number
 * order through the same temp-file-and-rename path as `put`.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly rootUri: string;

  private constructor(private readonly fs: LocalFs) {
    this.rootUri = pathToFileURL(fs.root).href;
  }

  /** Opens (creating if needed) the store rooted at the directory `root`. */
  static async open(root: string): Promise<LocalArtifactStore> {
    const abs = path.resolve(root);
    await mkdir(abs, { recursive: true });
    const real = await realpath(abs);
    if (!(await stat(real)).isDirectory()) throw new Error(`artifact root ${abs} is not a directory`);
    const staging = path.join(real, STAGING_DIR);
    await mkdir(staging, { recursive: true, mode: 0o700 });
    if (!(await lstat(staging)).isDirectory()) throw new Error(`${staging} must be a directory, not a link or file`);
    const fs = new LocalFs(real, staging);
    await fs.sweepStaging();
    return new LocalArtifactStore(fs);
  }

  /** The absolute, real path of the root directory. */
  get root(): string {
    return this.fs.root;
  }

  private rel(raw: string): string {
    const rel = safeArtifactPath(raw);
    if (rel.split('/')[0] === STAGING_DIR) throw reservedPath(rel, STAGING_DIR);
    return rel;
  }

  private fileRel(raw: string): string {
    const rel = this.rel(raw);
    if (rel === '') throw pathRequired();
    return rel;
  }

  async put(p: string, body: ArtifactInput, opts: { signal?: AbortSignal } = {}): Promise<{ size: number }> {
    const rel = this.fileRel(p);
    await this.checkWritable(rel);
    const tmp = this.fs.tempName(this.fs.staging, 'put');
    const size = await this.fs.writeFile(tmp, toReadable(body), opts.signal);
    try {
      await this.fs.commit(tmp, rel);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return { size };
  }

  /** Fails fast, before any byte is written, when `rel` escapes the root or names a directory. */
  private async checkWritable(rel: string): Promise<void> {
    const dest = await this.fs.resolve(rel);
    if (dest.exists && (await stat(dest.real)).isDirectory()) throw isADirectory(rel);
  }

  async get(p: string): Promise<ArtifactBody> {
    const rel = this.rel(p);
    if (rel === '') throw isADirectory('');
    const r = await this.fs.resolve(rel);
    if (!r.exists) throw artifactNotFound(rel);
    try {
      const { fh, size } = await this.fs.openForRead(r.real, rel);
      return { body: fh.createReadStream({ highWaterMark: 1024 * 1024 }), size };
    } catch (e) {
      if (codeOf(e) === 'ENOENT' || codeOf(e) === 'ENOTDIR') throw artifactNotFound(rel);
      if (codeOf(e) === 'ELOOP') throw symlinkEscape(rel);
      throw e;
    }
  }

  async localPath(p: string): Promise<string | null> {
    const rel = this.rel(p);
    if (rel === '') throw isADirectory('');
    const r = await this.fs.resolve(rel);
    if (!r.exists) throw artifactNotFound(rel);
    const st = await stat(r.real).catch(() => null);
    if (!st) throw artifactNotFound(rel);
    if (st.isDirectory()) throw isADirectory(rel);
    return r.real;
  }

  async stat(p: string): Promise<{ isDir: boolean; size?: number } | null> {
    const rel = this.rel(p);
    if (rel === '') return { isDir: true };
    const r = await this.fs.resolve(rel);
    if (!r.exists) return null;
    const st = await stat(r.real).catch((e: unknown) => {
      if (codeOf(e) === 'ENOENT' || codeOf(e) === 'ENOTDIR') return null;
      throw e;
    });
    if (!st) return null;
    return st.isDirectory() ? { isDir: true } : { isDir: false, size: st.size };
  }

  async list(dir: string): Promise<ArtifactFileInfo[]> {
    const rel = this.rel(dir);
    const r = await this.fs.resolve(rel);
    if (!r.exists) return [];
    let entries;
    try {
      entries = await readdir(r.real, { withFileTypes: true });
    } catch (e) {
      if (codeOf(e) === 'ENOTDIR' || codeOf(e) === 'ENOENT') return [];
      throw e;
    }
    const out: ArtifactFileInfo[] = [];
    const BATCH = 64;
    for (let i = 0; i < entries.length; i += BATCH) {
      const infos = await Promise.all(entries.slice(i, i + BATCH).map((d) => this.entryInfo(r.real, rel, d.name)));
      for (const info of infos) if (info) out.push(info);
    }
    return out.sort((a, b) => compareArtifactPaths(a.path, b.path));
  }

  /** One listing entry, or null for what a listing leaves out: the staging area, unusable names, links out. */
  private async entryInfo(dirReal: string, dirRel: string, name: string): Promise<ArtifactFileInfo | null> {
    if (dirRel === '' && name === STAGING_DIR) return null;
    let entryRel: string;
    try {
      entryRel = safeArtifactPath(joinArtifactPath(dirRel, name));
    } catch {
      return null; // a name no client could ask for again (made outside Pitwall)
    }
    const full = path.join(dirReal, name);
    const target = await realpath(full).catch(() => null);
    if (target === null || !this.fs.allowed(target)) return null;
    const st = await stat(target).catch(() => null);
    if (!st) return null;
    if (st.isDirectory()) return { path: entryRel, isDir: true };
    if (!st.isFile()) return null;
    return { path: entryRel, isDir: false, fileSize: st.size };
  }

  async delete(p: string): Promise<void> {
    const rel = this.rel(p);
    if (rel === '') {
      const children = await readdir(this.fs.root);
      for (const name of children) {
        if (name === STAGING_DIR) continue;
        const st = await lstat(path.join(this.fs.root, name)).catch(() => null);
        if (st) await this.fs.remove(path.join(this.fs.root, name), st.isDirectory());
      }
      return;
    }
    const parent = await this.fs.resolve(artifactDirname(rel));
    if (!parent.exists) return;
    const target = path.join(parent.real, artifactBasename(rel));
    const st = await lstat(target).catch((e: unknown) => {
      if (codeOf(e) === 'ENOENT' || codeOf(e) === 'ENOTDIR') return null;
      throw e;
    });
    if (!st) return;
    if (st.isSymbolicLink()) {
      await this.fs.resolve(rel); // refuses a link that leads out of the root (or into the staging area)
      await this.fs.remove(target, false); // a link inside the root: remove the link, not what it points to
    } else {
      await this.fs.remove(target, st.isDirectory());
    }
    await this.fs.pruneEmptyParents(parent.real);
  }

  // ---- multipart ----

  private uploadDir(uploadId: string): string {
    if (typeof uploadId !== 'string' || !UPLOAD_ID.test(uploadId)) throw invalidUploadId();
    return path.join(this.fs.staging, `mpu-${uploadId}`);
  }

  /** The upload's directory if `uploadId` is an open upload of `rel`, else null. */
  private async openUpload(rel: string, uploadId: string): Promise<string | null> {
    const dir = this.uploadDir(uploadId);
    let meta: UploadMeta;
    try {
      meta = JSON.parse(await readFile(path.join(dir, 'upload.json'), 'utf8')) as UploadMeta;
    } catch (e) {
      if (codeOf(e) === 'ENOENT' || e instanceof SyntaxError) return null;
      throw e;
    }
    return meta.path === rel ? dir : null;
  }

  async createMultipartUpload(p: string): Promise<{ uploadId: string }> {
    const rel = this.fileRel(p);
    await this.checkWritable(rel);
    const uploadId = randomBytes(16).toString('hex');
    const dir = this.uploadDir(uploadId);
    await mkdir(dir, { mode: 0o700 });
    const meta: UploadMeta = { path: rel, created: Date.now() };
    await writeFile(path.join(dir, 'upload.json'), JSON.stringify(meta), { flag: 'wx' });
    return { uploadId };
  }

  async uploadPart(p: string, uploadId: string, partNumber: number, body: ArtifactInput): Promise<{ etag: string }> {
    const rel = this.fileRel(p);
    const n = checkPartNumber(partNumber);
    const dir = await this.openUpload(rel, uploadId);
    if (!dir) throw uploadNotFound(uploadId);
    const md5 = createHash('md5');
    const tmp = this.fs.tempName(dir, 'tmp');
    try {
      await this.fs.writeFile(tmp, toReadable(body), undefined, (chunk) => md5.update(chunk));
    } catch (e) {
      if (codeOf(e) === 'ENOENT') throw uploadNotFound(uploadId); // aborted meanwhile
      throw e;
    }
    const hex = md5.digest('hex');
    const name = `part-${n}-${hex}`;
    try {
      await rename(tmp, path.join(dir, name));
    } catch (e) {
      await rm(tmp, { force: true });
      if (codeOf(e) === 'ENOENT') throw uploadNotFound(uploadId);
      throw e;
    }
    // Uploading a part number again replaces the earlier part (as on S3).
    const others = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.startsWith(`part-${n}-`) && f !== name);
    await Promise.all(others.map((f) => rm(path.join(dir, f), { force: true })));
    return { etag: `"${hex}"` };
  }

  async completeMultipartUpload(p: string, uploadId: string, parts: ArtifactPart[]): Promise<{ size: number }> {
    const rel = this.fileRel(p);
    const dir = await this.openUpload(rel, uploadId);
    if (!dir) throw uploadNotFound(uploadId);
    const sorted = sortParts(parts);
    const files: string[] = [];
    for (const part of sorted) {
      const hex = bareEtag(part.etag);
      const file = path.join(dir, `part-${part.partNumber}-${hex}`);
      if (!MD5_HEX.test(hex) || !(await stat(file).catch(() => null))) {
        throw invalidParts(`part ${part.partNumber} with ETag ${part.etag} was not uploaded to this upload`);
      }
      files.push(file);
    }
    let result: { size: number };
    try {
      result = await this.put(rel, concatFiles(files));
    } catch (e) {
      if (codeOf(e) === 'ENOENT') throw uploadNotFound(uploadId); // completed or aborted concurrently
      throw e;
    }
    await rm(dir, { recursive: true, force: true });
    return result;
  }

  async abortMultipartUpload(p: string, uploadId: string): Promise<void> {
    const rel = this.fileRel(p);
    const dir = await this.openUpload(rel, uploadId);
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }
}
