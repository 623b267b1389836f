import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnListening } from '../test/e2e/pitwall-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface BenchServer {
  url: string;
  dataDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Spawns a real Pitwall server (through tsx) on a fresh data dir, on a port the OS picks; its metadata store is the
 * data dir's SQLite file unless `storeUri` names another (`postgres://…`).
 */
export async function startBenchServer(dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-bench-')), storeUri?: string): Promise<BenchServer> {
  const { url, child } = await spawnListening(['--import', 'tsx', path.join(here, 'server-child.ts'), dataDir, '0', ...(storeUri ? [storeUri] : [])]);
  return {
    url,
    dataDir,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function post(url: string, body: unknown): Promise<unknown> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`${url} → ${r.status} ${text}`);
  return JSON.parse(text);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

/** Creates a deployment and waits until the server has it ready (throws with the target's error if it fails). */
export async function deploy(url: string, name: string, model: string, config: Record<string, number>): Promise<void> {
  await post(`${url}/api/v1/deployments`, { name, model, config });
  for (let i = 0; i < 1200; i++) {
    const st = (await (await fetch(`${url}/api/v1/deployments/${name}/status`)).json()) as { status: { ready: boolean; targets: { error?: string }[] } };
    if (st.status.ready) return;
    if (st.status.targets[0]?.error) throw new Error(`${name}: ${st.status.targets[0].error}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} never became ready`);
}
