import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { readEnv } from '../../config/index.js';

/** Credentials moto accepts (any would do); never real ones. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** Creates a bucket on the server. */
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Either a running server or the reason it could not start (only outside CI: in CI a failure throws). */
export type MotoStart = { server: MotoServer; skip?: undefined } | { server?: undefined; skip: string };

async function freePort(): Promise<number> {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status < 500;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts a real S3 server for tests: `python3 -m moto.server -H 127.0.0.1 -p <free port>`, and waits until it
 * answers HTTP. When it cannot start: in CI (`CI=true`) this throws, so the S3 tests fail instead of vanishing;
 * elsewhere it returns `{ skip: reason }` for the tests to report.
 */
export async function startMotoServer(opts: { timeoutMs?: number } = {}): Promise<MotoStart> {
  const inCi = /^(1|true|yes)$/iu.test(readEnv('CI') ?? '');
  const fail = (reason: string): MotoStart => {
    if (inCi) throw new Error(`moto S3 server did not start (CI=true, so this fails rather than skipping): ${reason}`);
    return { skip: `moto S3 server unavailable: ${reason}` };
  };
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  try {
    child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    return fail(`cannot run python3: ${(e as Error).message}`);
  }
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
  });
  let exit: string | undefined;
  child.once('error', (e) => {
    exit = `cannot run python3: ${e.message}`;
  });
  child.once('exit', (code, signal) => {
    exit ??= `python3 -m moto.server exited (${signal ?? code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (!(await answers(`${endpoint}/`))) {
    if (exit !== undefined) return fail(exit);
    if (Date.now() > deadline) {
      await stopChild(child);
      return fail(`no answer on ${endpoint} within ${opts.timeoutMs ?? 30_000} ms: ${stderr.trim().slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const admin = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: MOTO_CREDENTIALS });
  return {
    server: {
      endpoint,
      createBucket: async (name) => {
        await admin.send(new CreateBucketCommand({ Bucket: name }));
      },
      stop: async () => {
        admin.destroy();
        process.removeListener('exit', killOnExit);
        await stopChild(child);
      },
    },
  };
}
