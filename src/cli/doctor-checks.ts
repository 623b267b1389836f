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

/**
 * The job queue: its storage is reachable and set up (`health`), and — unless `waitSeconds` is 0 — some worker takes
 * a probe job within that time. Skipped when the store itself failed or lacks migrations (the queue lives in it).
 */
export async function checkJobs(config: Readonly<Config>, storeUsable: boolean, waitSeconds: number): Promise<Check[]> {
  if (!storeUsable) return [{ name: 'jobs', status: 'warn', summary: 'not checked: the job queue lives in the store, which is not ready (see above)' }];
  const { createStore } = await import('../store/index.js');
  const { createJobQueue, enqueueProbe } = await import('../jobs/index.js');
  const store = await createStore(config.store, { defaultArtifactRoot: config.defaultArtifactRoot });
  const queue = createJobQueue(store, { clientOnly: true });
  try {
    const h = await queue.health();
    if (!h.ok) return [{ name: 'jobs', status: 'fail', summary: h.message, advice: ['Run `pitwall migrate` (or start `pitwall server` or `pitwall worker` once) on this store: it sets the queue up'] }];
    const checks: Check[] = [{ name: 'jobs', status: 'ok', summary: h.message }];
    if (waitSeconds === 0) return checks;
    await queue.start();
    const id = await enqueueProbe(queue, 0, { retryLimit: 0 });
    const t0 = Date.now();
    for (;;) {
      const job = await queue.get(id);
      if (job.state === 'completed') {
        const by = (job.output as { host?: string; pid?: number } | null) ?? {};
        checks.push({ name: 'workers', status: 'ok', summary: `a worker (${by.host}:${by.pid}) ran a probe job ${Date.now() - t0} ms after it was queued` });
        return checks;
      }
      if (job.state === 'failed' || job.state === 'cancelled') {
        checks.push({ name: 'workers', status: 'fail', summary: `the probe job ${job.state}: ${job.error ?? 'no reason given'}`, advice: ['Look at the worker logs (`pitwall worker` prints each job)'] });
        return checks;
      }
      if (Date.now() - t0 > waitSeconds * 1000) {
        await queue.cancel(id).catch(() => undefined);
        checks.push({
          name: 'workers',
          status: 'warn',
          summary: `no worker took a probe job within ${waitSeconds} s: background jobs (drift checks, rollouts, retraining) will wait`,
          advice: ['Start `pitwall worker` with the same --store, or a `pitwall server` with jobs in-process (PITWALL_JOBS_IN_SERVER, on by default)'],
        });
        return checks;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (e) {
    return [{ name: 'jobs', status: 'fail', summary: `the job queue is not usable: ${(e as Error).message}` }];
  } finally {
    await queue.stop({ graceful: false }).catch(() => undefined);
    await store.close().catch(() => undefined);
  }
}
