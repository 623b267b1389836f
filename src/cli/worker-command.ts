import { isAppError } from '../core/errors/index.js';
import type { JobEvent } from '../jobs/index.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';
import type { JobsCommand } from './jobs-args.js';

/** One line per job event, as `pitwall worker` prints them. */
export function describeJobEvent(e: JobEvent): string {
  if (e.type === 'error') return `worker: ${e.message}`;
  const head = `job ${e.id} ${e.name} attempt ${e.attempt}`;
  switch (e.type) {
    case 'started':
      return `${head} started`;
    case 'completed':
      return `${head} completed in ${e.ms} ms`;
    case 'failed':
      return `${head} failed (${e.willRetry ? 'will retry' : 'no retries left'}): ${e.error}`;
    case 'aborted':
      return `${head} aborted: ${e.reason}`;
    case 'released':
      return `${head} released for another worker`;
  }
}

/**
 * How a worker calls an LLM judge: the chat route of the Pitwall server its config names (`server.host`, `server.port`),
 * which serves the judge deployment.
 */
function serverChat(host: string, port: number) {
  const JUDGE_ENTITY_KEY = 'pitwall-judge';
  const base = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${port}`;
  return async (body: Record<string, unknown>) => {
    const res = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pitwall-entity-key': JUDGE_ENTITY_KEY }, body: JSON.stringify(body), signal: AbortSignal.timeout(120_000) });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as unknown };
  };
}

/**
 * `pitwall worker`: works background jobs from the store's queue (pg-boss on PostgreSQL; also works on a SQLite
 * file beside a server) until SIGTERM or SIGINT, then stops gracefully: running jobs get `graceMs` to finish, the rest
 * are released for another worker. Resolves once stopped. Imported lazily, like the server.
 */
export async function workerCommand(cmd: Extract<JobsCommand, { kind: 'worker' }>, io: CliIo, opts: { graceMs?: number } = {}): Promise<void> {
  const { loadConfig } = await import('../config/index.js');
  const { createStore, redactUri } = await import('../store/index.js');
  const { createJobQueue, registerBuiltinHandlers } = await import('../jobs/index.js');
  const { createArtifactStore } = await import('../artifacts/index.js');
  const { monitorJob } = await import('../drift/monitors/monitor-service.js');
  let config;
  let store;
  let artifacts;
  try {
    config = io.env ? loadConfig(cmd.flags, io.env) : loadConfig(cmd.flags);
    store = await createStore(config.store, { defaultArtifactRoot: config.defaultArtifactRoot });
    artifacts = await createArtifactStore(config.artifacts);
  } catch (e) {
    await store?.close();
    if (isAppError(e)) throw new CliError(e.message);
    throw e;
  }
  const queue = createJobQueue(store, {
    leaseSeconds: config.jobs.leaseSeconds,
    onEvent: (e) => (e.type === 'error' ? io.err(describeJobEvent(e)) : io.out(describeJobEvent(e))),
  });
  let names: string[];
  try {
    names = await registerBuiltinHandlers(queue, { concurrency: cmd.concurrency, extra: [monitorJob({ store, artifacts, chat: serverChat(config.server.host, config.server.port) })] });
    await queue.start();
  } catch (e) {
    await queue.stop({ graceful: false }).catch(() => undefined);
    await store.close();
    await artifacts.close();
    if (isAppError(e)) throw new CliError(e.message);
    throw e;
  }
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  io.out(`Pitwall worker ${process.pid} consuming ${names.join(', ')} on ${redactUri(config.store.uri)} (concurrency ${cmd.concurrency}, lease ${config.jobs.leaseSeconds} s)`);
  const sig = await stopped;
  io.out(`Received ${sig}, stopping: running jobs finish or are released`);
  await queue.stop({ graceful: true, timeoutMs: opts.graceMs ?? 30_000 });
  await store.close();
  await artifacts.close();
  io.out('Pitwall worker stopped');
  // Whatever a handler left behind (a socket, a timer) must not keep a stopped worker alive.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
}
