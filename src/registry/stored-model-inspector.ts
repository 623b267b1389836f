import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { invalidParam } from '../core/errors/index.js';
import { MAX_DIRECTORY_FILES, inspectModelFile } from './model-files/index.js';
import type { ModelInspector } from './registry-service.js';

/**
 * Reads a registered model's files out of the artifact store into a private temporary directory (so the reader
 * only ever sees what the store serves: no symlink or path can lead it elsewhere) and describes them: flavor,
 * signature, GGUF facts, files with sizes and SHA-256. A source with nothing stored yet describes as `null`.
 */
export function storedModelInspector(store: ArtifactStore): ModelInspector {
  return async (storePath: string) => {
    const st = await store.stat(storePath);
    if (!st) return null;
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'pitwall-inspect-'));
    try {
      const base = path.posix.basename(storePath) || 'model';
      const local = path.join(tmp, base);
      if (st.isDir) {
        const files = await listRecursive(store, storePath);
        for (const rel of files) {
          const dest = path.join(local, ...rel.split('/'));
          await mkdir(path.dirname(dest), { recursive: true });
          await copyOut(store, `${storePath}/${rel}`, dest);
        }
        await mkdir(local, { recursive: true });
      } else {
        await copyOut(store, storePath, local);
      }
      const manifest = await inspectModelFile(local);
      return manifest as unknown as Record<string, unknown>;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  };
}

async function copyOut(store: ArtifactStore, from: string, to: string): Promise<void> {
  const { body } = await store.get(from);
  await pipeline(body, createWriteStream(to));
}

/** Every file below `dir`, relative to it, breadth first; refuses directories with more files than a model has. */
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
  return out.sort();
}
