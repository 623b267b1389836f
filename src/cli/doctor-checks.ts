import { randomUUID } from 'node:crypto';
import type { Config } from '../config/index.js';

export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  summary: string;
  /** What to do about it, in words a new user understands. */
  advice?: string[];
}

const sqliteFile = (uri: string): string | null => {
  if (!uri.startsWith('sqlite:')) return null;
  const f = uri.slice('sqlite:'.length).replace(/^\/\/(\/)?/, '$1');
  return f === ':memory:' ? null : f;
};

/** Reachable, and is the schema this build's? Reads only. */
export async function checkStore(config: Readonly<Config>, exists: (p: string) => boolean): Promise<Check> {
  const { redactUri, storeStatus } = await import('../store/index.js');
  const where = redactUri(config.store.uri);
  const file = sqliteFile(config.store.uri);
  if (file && !exists(file)) {
    return { name: 'store', status: 'warn', summary: `${where}: no database there yet`, advice: ['`pitwall server` or `pitwall migrate` creates it; check --data-dir / --store if you expected one'] };
  }
  try {
    const s = await storeStatus(config.store);
    if (s.unknown.length > 0) {
      return {
        name: 'store',
        status: 'fail',
        summary: `${where} (${s.server}) was migrated by a newer Pitwall (${s.unknown.join(', ')})`,
        advice: ['Run the Pitwall version that migrated it (or newer); this one refuses to open it rather than corrupt it'],
      };
    }
    if (s.pending.length > 0) {
      return {
        name: 'store',
        status: 'warn',
        summary: `${where} (${s.server}) lacks ${s.pending.length} migration${s.pending.length > 1 ? 's' : ''}: ${s.pending.join(', ')}`,
        advice: ['Run `pitwall migrate` (servers also apply them when they start)'],
      };
    }
    return { name: 'store', status: 'ok', summary: `${where} (${s.server}), schema current at ${s.applied.at(-1)}` };
  } catch (e) {
    return { name: 'store', status: 'fail', summary: (e as Error).message, advice: storeAdvice(config.store.uri) };
  }
}

function storeAdvice(uri: string): string[] {
  if (uri.startsWith('sqlite:')) return ['Check that the data directory exists and this user may write to it'];
  return ['Check the URI given by --store or $PITWALL_STORE_URI (postgres://user:password@host:5432/database)', 'Try it with: psql "<the same URI>" -c "select 1"'];
}

/** Writes, reads back and deletes a probe object. */
export async function checkArtifacts(config: Readonly<Config>): Promise<Check> {
  const { createArtifactStore } = await import('../artifacts/index.js');
  const where = config.artifacts.uri;
  let store;
  try {
    store = await createArtifactStore(config.artifacts);
  } catch (e) {
    return { name: 'artifacts', status: 'fail', summary: `${where}: ${(e as Error).message}`, advice: artifactAdvice(e, where) };
  }
  const probe = `.pitwall-doctor/${randomUUID()}.txt`;
  const text = `pitwall doctor probe ${new Date().toISOString()}`;
  let step = 'write';
  try {
    await store.put(probe, Buffer.from(text));
    step = 'read back';
    const got = await store.get(probe);
    const chunks: Buffer[] = [];
    for await (const c of got.body) chunks.push(Buffer.from(c as Uint8Array));
    if (Buffer.concat(chunks).toString() !== text) throw new Error('the probe object read back differs from what was written');
    step = 'delete';
    await store.delete(probe);
    return { name: 'artifacts', status: 'ok', summary: `${where}: write, read and delete work` };
  } catch (e) {
    return { name: 'artifacts', status: 'fail', summary: `${where}: cannot ${step} a probe object: ${describe(e)}`, advice: artifactAdvice(e, where) };
  } finally {
    await store.close().catch(() => undefined);
  }
}

function describe(e: unknown): string {
  const err = e as { name?: string; code?: string; message?: string; Code?: string };
  const code = err.Code ?? err.code ?? err.name;
  return code && !String(err.message).includes(code) ? `${err.message} (${code})` : String(err.message ?? e);
}

function artifactAdvice(e: unknown, where: string): string[] {
  const err = e as { name?: string; code?: string; Code?: string; message?: string };
  const code = err.Code ?? err.code ?? err.name ?? '';
  const s3 = where.startsWith('s3://');
  if (code === 'NoSuchBucket') return [`Create the bucket, or fix the bucket name in --artifacts / $PITWALL_ARTIFACTS_URI`];
  if (/InvalidAccessKeyId|SignatureDoesNotMatch|CredentialsProviderError|AccessDenied|Forbidden/.test(code + (err.message ?? ''))) {
    return ['Check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or ~/.aws) and that they may read, write and delete under this prefix'];
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT/.test(code + (err.message ?? ''))) {
    return s3 ? ['The S3 endpoint is unreachable: check $MLFLOW_S3_ENDPOINT_URL (or AWS_ENDPOINT_URL) and that the service runs'] : ['Check the network path to the store'];
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return [`This user may not write to ${where}: fix its permissions or choose another --artifacts directory`];
  if (code === 'ENOSPC') return ['The disk is full: free space or move --artifacts to a larger volume'];
  return s3 ? ['Check --artifacts, $MLFLOW_S3_ENDPOINT_URL and the AWS_* credentials'] : ['Check that the directory exists and is writable'];
}

/** Placeholder replaced once the job queue lands; see checkJobs below. */
export async function checkJobs(_config: Readonly<Config>, _storeFailed: boolean, _waitSeconds: number): Promise<Check[]> {
  return [];
}
