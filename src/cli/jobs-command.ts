import type { Job, PitwallClient } from '../sdk/index.js';
import { formatTime, toJson } from './format.js';
import type { CliIo } from './io.js';
import type { JobsCommand } from './jobs-args.js';
import { formatTable } from './table.js';

type Cmd<K extends JobsCommand['kind']> = Extract<JobsCommand, { kind: K }>;

/** `pitwall jobs list`: newest first. */
export async function jobsList(cmd: Cmd<'jobs list'>, client: PitwallClient, io: CliIo): Promise<void> {
  const page = await client.jobs.list({ name: cmd.name, state: cmd.state, limit: cmd.max });
  if (cmd.json) {
    io.out(toJson({ jobs: page.jobs }));
    return;
  }
  if (page.jobs.length === 0) {
    io.out('No jobs found.');
    return;
  }
  const rows = page.jobs.map((j) => [j.id, j.name, j.state, `${j.attempts}/${j.retryLimit + 1}`, formatTime(j.createdOn), formatTime(j.completedOn), j.error ?? j.worker ?? j.key ?? '']);
  io.out(formatTable(rows, { header: ['ID', 'NAME', 'STATE', 'ATTEMPTS', 'CREATED', 'FINISHED', 'ERROR / WORKER / KEY'], maxWidth: [36, 32, 9, 8, 19, 19, 60] }));
  if (page.nextOffset !== undefined) io.out(`(showing the newest ${cmd.max} jobs; use --max, --name or --state to see others)`);
}

function renderJob(j: Job): string {
  const lines: [string, string][] = [
    ['id', j.id],
    ['name', j.name],
    ['state', j.state],
    ['attempts', `${j.attempts} of at most ${j.retryLimit + 1}${j.retryDelaySeconds ? ` (retry delay ${j.retryDelaySeconds} s${j.retryBackoff ? ', exponential back-off' : ''})` : ''}`],
    ['time limit', `${j.expireInSeconds} s per attempt`],
  ];
  if (j.key !== null) lines.push(['key', j.key]);
  if (j.priority !== 0) lines.push(['priority', String(j.priority)]);
  if (j.worker !== null) lines.push(['worker', j.worker]);
  lines.push(['created', formatTime(j.createdOn)]);
  if (j.startAfter > j.createdOn + 1000) lines.push(['start after', formatTime(j.startAfter)]);
  if (j.startedOn !== null) lines.push(['started', formatTime(j.startedOn)]);
  if (j.completedOn !== null) lines.push([j.state === 'completed' ? 'completed' : 'finished', formatTime(j.completedOn)]);
  lines.push(['data', JSON.stringify(j.data)]);
  if (j.state === 'completed') lines.push(['output', JSON.stringify(j.output)]);
  if (j.error !== null) lines.push(['last error', j.error]);
  const w = Math.max(...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}

/** `pitwall jobs show ID`. */
export async function jobsShow(cmd: Cmd<'jobs show'>, client: PitwallClient, io: CliIo): Promise<void> {
  const job = await client.jobs.get(cmd.id);
  io.out(cmd.json ? toJson({ job }) : renderJob(job));
}

/** `pitwall jobs cancel ID`. */
export async function jobsCancel(cmd: Cmd<'jobs cancel'>, client: PitwallClient, io: CliIo): Promise<void> {
  const job = await client.jobs.cancel(cmd.id);
  io.out(cmd.json ? toJson({ job }) : `Cancelled job ${job.id} (${job.name}).`);
}
