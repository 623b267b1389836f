import { existsSync } from 'node:fs';
import type { ServerFlags } from './args.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';
import { type Check, checkArtifacts, checkJobs, checkStore } from './doctor-checks.js';

const MARK: Record<Check['status'], string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

/**
 * `pitwall doctor`: runs each check with the settings a server would use and prints one line per check, with
 * advice under each problem. Exit 1 when something fails.
 */
export async function doctorCommand(flags: ServerFlags, opts: { json: boolean; waitWorkerSeconds: number }, io: CliIo): Promise<void> {
  const { loadConfig } = await import('../config/index.js');
  let config;
  try {
    config = loadConfig(flags, io.env);
  } catch (e) {
    throw new CliError(`the configuration is invalid: ${(e as Error).message}`);
  }
  const checks: Check[] = [];
  const store = await checkStore(config, existsSync);
  checks.push(store);
  checks.push(await checkArtifacts(config));
  checks.push(...(await checkJobs(config, store.status === 'ok', opts.waitWorkerSeconds)));
  if (opts.json) {
    io.out(JSON.stringify({ ok: !checks.some((c) => c.status === 'fail'), checks }, null, 2));
  } else {
    for (const c of checks) {
      io.out(`${MARK[c.status]}  ${c.name.padEnd(10)} ${c.summary}`);
      for (const line of c.advice ?? []) io.out(`            → ${line}`);
    }
  }
  const failed = checks.filter((c) => c.status === 'fail');
  if (failed.length > 0) throw new CliError(`${failed.length} check${failed.length > 1 ? 's' : ''} failed: ${failed.map((c) => c.name).join(', ')}`);
}
