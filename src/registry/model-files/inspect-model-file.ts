import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

import { invalidParam, isAppError } from '../../core/errors/index.js';
import { readGgufManifest, isGgufMagic } from './gguf-reader.js';
import { defaultInputExample } from './input-example.js';
import type { ModelFile, ModelManifest } from './manifest.js';
import { readOnnxManifestFile } from './onnx-file-reader.js';

export interface InspectOptions {
  /** Stored as given; when absent, an ONNX model with small fixed numeric inputs gets zeros (see input-example.ts). */
  inputExample?: unknown;
}

/** A directory with more files than this is refused rather than hashed. */
export const MAX_DIRECTORY_FILES = 10_000;
const MODEL_EXTENSIONS = new Set(['.onnx', '.gguf']);

/**
 * Reads what a model's own files say about it.
 *
 * - A file: its flavor comes from its content. A file starting with the GGUF magic is GGUF, whatever its name.
 *   A `.onnx` or `.gguf` file must parse as that format, or this throws INVALID_PARAMETER_VALUE (field `file`)
 *   saying why. Another file that starts like a serialized ModelProto (byte 0x08, ir_version, which every
 *   protobuf serializer writes first) is tried as ONNX. It is 'onnx' if it parses to a model with a graph,
 *   and 'other' if not.
 * - A directory: every regular file below it (symlinks followed, cycles skipped), hashed, with relative `/` paths
 *   sorted by code unit. If exactly one file is named `*.onnx` or `*.gguf`, that file is read as above (ONNX
 *   external-data files and tokenizer files just sit beside it). With none or several, the flavor is 'other'.
 *
 * Sizes and SHA-256 digests are computed by streaming; GGUF and ONNX weights are never loaded into memory.
 */
export async function inspectModelFile(target: string, opts: InspectOptions = {}): Promise<ModelManifest> {
  const st = await stat(target).catch(() => undefined);
  if (st === undefined) throw invalidParam(`${target} does not exist or cannot be read`, 'file');
  let files: ModelFile[];
  let candidate: { abs: string; rel: string; strict: boolean } | undefined;
  if (st.isDirectory()) {
    const listed = await listFiles(target);
    files = [];
    for (const rel of listed) files.push(await describeFile(path.join(target, ...rel.split('/')), rel)); // one fd at a time
    const models = listed.filter((rel) => MODEL_EXTENSIONS.has(path.extname(rel).toLowerCase()));
    if (models.length === 1 && models[0] !== undefined) {
      candidate = { abs: path.join(target, ...models[0].split('/')), rel: models[0], strict: true };
    }
  } else if (st.isFile()) {
    const rel = path.basename(target);
    files = [await describeFile(target, rel)];
    candidate = { abs: target, rel, strict: MODEL_EXTENSIONS.has(path.extname(rel).toLowerCase()) };
  } else {
    throw invalidParam(`${target} is neither a file nor a directory`, 'file');
  }

  const manifest: ModelManifest = { flavor: 'other', files };
  if (candidate !== undefined) await readModel(candidate, manifest);
  if (opts.inputExample !== undefined) manifest.inputExample = opts.inputExample;
  else if (manifest.flavor === 'onnx' && manifest.signature !== undefined) {
    const example = defaultInputExample(manifest.signature.inputs);
    if (example !== undefined) manifest.inputExample = example;
  }
  return manifest;
}

async function readModel(file: { abs: string; rel: string; strict: boolean }, manifest: ModelManifest): Promise<void> {
  const head = await readHead(file.abs, 4);
  const ext = path.extname(file.rel).toLowerCase();
  if (isGgufMagic(head) || ext === '.gguf') {
    manifest.gguf = await readGgufManifest(file.abs, file.rel);
  } else if (ext === '.onnx' || head[0] === 0x08) {
    try {
      const { onnx, signature } = await readOnnxManifestFile(file.abs, file.rel);
      manifest.onnx = onnx;
      manifest.signature = signature;
    } catch (e) {
      if (file.strict || !isAppError(e)) throw e;
      return; // not ONNX after all: an ordinary file
    }
  } else {
    return;
  }
  manifest.flavor = manifest.gguf !== undefined ? 'gguf' : 'onnx';
  manifest.modelFile = file.rel;
}

async function readHead(file: string, n: number): Promise<Uint8Array> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function describeFile(abs: string, rel: string): Promise<ModelFile> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(abs, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { path: rel, size, sha256: hash.digest('hex') };
}

/** Relative `/`-separated paths of the regular files below `root`, sorted. */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const seenDirs = new Set<string>([await realpath(root)]);
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
      const st = e.isSymbolicLink() ? await stat(abs).catch(() => undefined) : e;
      if (st === undefined) continue; // dangling link
      if (st.isDirectory()) {
        const real = await realpath(abs);
        if (seenDirs.has(real)) continue;
        seenDirs.add(real);
        await walk(abs, rel);
      } else if (st.isFile()) {
        out.push(rel);
        if (out.length > MAX_DIRECTORY_FILES) {
          throw invalidParam(`${root} holds more than ${MAX_DIRECTORY_FILES} files`, 'file');
        }
      }
    }
  };
  await walk(root, '');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
