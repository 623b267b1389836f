import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { invalidParam, isAppError } from '../core/errors/index.js';
import { MAX_DIRECTORY_FILES, type ModelFile, type ModelManifest, inspectModelFile } from './model-files/index.js';
import type { ModelInspector } from './registry-service.js';

const MODEL_EXTENSIONS = ['.onnx', '.gguf'];

/**
 * Describes a registered model from the artifact store: every file with its size and SHA-256 (hashed by streaming
 * from the store, never copied), and, read from the one `.onnx`/`.gguf` file (or the single file a source names),
 * flavor, signature and GGUF facts. The model file is read in place when the store is on local disk (the store's
 * `localPath` checks it as `get` does), and copied into a private temporary directory otherwise.
 * An `input_example.json` beside the model (what MLflow's `log_model(input_example=…)` writes) becomes the manifest's
 * input example. A model file that does not parse still registers: the manifest is flavor `other` with an `error` saying why
 * (MLflow registers whatever it is given). A source with nothing stored yet describes as `null`.
 */
export function storedModelInspector(store: ArtifactStore): ModelInspector {
  return async (storePath: string) => {
    const st = await store.stat(storePath);
    if (!st) return null;
    const base = path.posix.basename(storePath);
    const rels = st.isDir ? await listRecursive(store, storePath) : [base];
    const full = (rel: string) => (st.isDir ? `${storePath}/${rel}` : storePath);
    const models = rels.filter((r) => MODEL_EXTENSIONS.includes(path.posix.extname(r).toLowerCase()));
    const candidate = st.isDir ? (models.length === 1 ? models[0] : undefined) : base;

    let manifest: ModelManifest = { flavor: 'other', files: [] };
    let error: string | undefined;
    if (candidate !== undefined) {
      try {
        manifest = await withLocalFile(store, full(candidate), (file) => inspectModelFile(file));
      } catch (e) {
        if (!isAppError(e)) throw e;
        error = e.message;
      }
    }
    const files: ModelFile[] = [];
    for (const rel of rels) {
      const known = rel === candidate ? manifest.files[0] : undefined;
      files.push(known ? { ...known, path: rel } : { path: rel, ...(await digest(store, full(rel))) });
    }
    const out: ModelManifest = { ...manifest, files };
    const example = await loggedInputExample(store, rels, full);
    if (example !== undefined) out.inputExample = example;
    if (candidate !== undefined && manifest.flavor !== 'other') out.modelFile = candidate;
    else delete out.modelFile;
    return { ...out, ...(error ? { error } : {}) } as unknown as Record<string, unknown>;
  };
}

/** MLflow saves the example a model was logged with as `input_example.json` (or `serving_input_example.json`). */
const EXAMPLE_FILES = ['input_example.json', 'serving_input_example.json'];
const MAX_EXAMPLE_BYTES = 1024 * 1024;

async function loggedInputExample(store: ArtifactStore, rels: string[], full: (rel: string) => string): Promise<unknown> {
  const rel = EXAMPLE_FILES.find((f) => rels.includes(f));
  if (rel === undefined) return undefined;
  const { body, size } = await store.get(full(rel));
  if (size > MAX_EXAMPLE_BYTES) {
    body.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Buffer>) chunks.push(c);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Runs `fn` on a local path holding the stored file: the store's own file when it has one, else a private copy. */
async function withLocalFile<T>(store: ArtifactStore, storePath: string, fn: (file: string) => Promise<T>): Promise<T> {
  const local = await store.localPath(storePath);
  if (local !== null) return fn(local);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'pitwall-inspect-'));
  try {
    const file = path.join(tmp, path.posix.basename(storePath));
    const { body } = await store.get(storePath);
    await pipeline(body, createWriteStream(file));
    return await fn(file);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function digest(store: ArtifactStore, storePath: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  const { body } = await store.get(storePath);
  for await (const chunk of body as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('hex') };
}

/** Every file below `dir`, relative to it, sorted; refuses directories with more files than a model has. */
async function listRecursive(store: ArtifactStore, dir: string): Promise<string[]> {
  const out: string[] = [];
  const queue = [dir];
  while (queue.length > 0) {
    const d = queue.shift()!;
    for (const f of await store.list(d)) {
      if (f.isDir) queue.push(f.path);
      else out.push(f.path.slice(dir.length + 1));
      if (out.length > MAX_DIRECTORY_FILES) throw invalidParam(`The model at ${dir} has more than ${MAX_DIRECTORY_FILES} files`, 'source');
    }
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
