import { readFileSync } from 'node:fs';
import { PitwallApiError, PitwallClient, PitwallNetworkError, PitwallPathError } from '../sdk/index.js';
import { type Command, parseCommand } from './args.js';
import { artifactsGet, artifactsLs, artifactsPut } from './artifacts-command.js';
import { CliError, UsageError } from './errors.js';
import { experimentsCreate, experimentsList } from './experiments-command.js';
import { helpFor } from './help.js';
import type { CliIo } from './io.js';
import { modelsAlias, modelsApprove, modelsList, modelsProtect, modelsRegister, modelsShow } from './models-command.js';
import { runsShow } from './run-show.js';
import { runsCompare } from './runs-compare.js';
import { runsList } from './runs-list.js';
import { doctorCommand } from './doctor-command.js';
import { migrateCommand } from './migrate-command.js';
import { serverCommand } from './server-command.js';
import { jobsCancel, jobsList, jobsShow } from './jobs-command.js';
import { workerCommand } from './worker-command.js';
import { deployCommand, deploymentsDelete, deploymentsList, deploymentsShow } from './deploy-command.js';
import { serveCommand } from './serve-command.js';
import { driftReportCommand } from './drift-command.js';
import { resolveTrackingUri } from './tracking-uri.js';

/** The version in package.json (two levels up from both `src/cli/` and `dist/cli/`). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** Runs a command; some return their exit code (drift report --fail-on-drift). */
async function execute(cmd: Command, io: CliIo): Promise<number | void> {
  switch (cmd.kind) {
    case 'help':
      io.out(helpFor(cmd.topic));
      return;
    case 'version':
      io.out(`pitwall ${version()}`);
      return;
    case 'server':
      await serverCommand(cmd.flags);
      return;
    case 'serve':
      await serveCommand(cmd, io);
      return;
    case 'migrate':
      await migrateCommand(cmd.flags, cmd.json, io);
      return;
    case 'worker':
      await workerCommand(cmd, io);
      return;
    case 'doctor':
      await doctorCommand(cmd.flags, { json: cmd.json, waitWorkerSeconds: cmd.waitWorkerSeconds }, io);
      return;
    case 'drift report':
      return driftReportCommand(cmd, io);
    default: {
      const baseUrl = resolveTrackingUri(cmd.trackingUri, io.env, cmd.kind);
      const client = new PitwallClient(io.fetch ? { baseUrl, fetch: io.fetch } : { baseUrl });
      switch (cmd.kind) {
        case 'experiments list':
          return experimentsList(cmd, client, io);
        case 'experiments create':
          return experimentsCreate(cmd, client, io);
        case 'runs list':
          return runsList(cmd, client, io);
        case 'runs show':
          return runsShow(cmd, client, io);
        case 'runs compare':
          return runsCompare(cmd, client, io);
        case 'models register':
          return modelsRegister(cmd, client, io);
        case 'models list':
          return modelsList(cmd, client, io);
        case 'models show':
          return modelsShow(cmd, client, io);
        case 'models alias':
          return modelsAlias(cmd, client, io);
        case 'models approve':
          return modelsApprove(cmd, client, io);
        case 'models protect':
          return modelsProtect(cmd, client, io);
        case 'artifacts put':
          return artifactsPut(cmd, client, io);
        case 'artifacts get':
          return artifactsGet(cmd, client, io);
        case 'artifacts ls':
          return artifactsLs(cmd, client, io);
        case 'jobs list':
          return jobsList(cmd, client, io);
        case 'jobs show':
          return jobsShow(cmd, client, io);
        case 'jobs cancel':
          return jobsCancel(cmd, client, io);
        case 'deploy':
          return deployCommand(cmd, client, io);
        case 'deployments list':
          return deploymentsList(cmd, client, io);
        case 'deployments show':
          return deploymentsShow(cmd, client, io);
        case 'deployments delete':
          return deploymentsDelete(cmd, client, io);
      }
    }
  }
}

/**
 * Runs one command line and returns the exit code: 0 success, 1 an expected failure (server error, server
 * unreachable), 2 wrong usage. Expected failures print `pitwall: <message>` to stderr, never a stack trace;
 * anything else is a bug and is rethrown.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  try {
    return (await execute(parseCommand(argv), io)) ?? 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`pitwall: ${e.message}`);
      io.err(`Run 'pitwall ${e.topic ? `${e.topic} ` : ''}--help' for usage.`);
      return 2;
    }
    if (e instanceof PitwallApiError) {
      io.err(`pitwall: ${e.errorCode}: ${e.message}`);
      return 1;
    }
    if (e instanceof PitwallNetworkError || e instanceof CliError || e instanceof PitwallPathError) {
      io.err(`pitwall: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

/** Entry point used by `bin/pitwall.js`. Sets the exit code rather than exiting, so output is flushed. */
export async function main(argv: string[]): Promise<void> {
  const code = await run(argv, {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    progress: { tty: process.stderr.isTTY === true, write: (s) => process.stderr.write(s), columns: process.stderr.columns },
    // No `env`: the CLI then reads the process's variables, through config's readEnv.
  });
  if (code !== 0) process.exitCode = code;
}
