import type { PitwallClient, Run } from '../sdk/index.js';
import type { Command } from './args.js';
import { formatNumber, formatTime, runDuration, toJson } from './format.js';
import type { CliIo } from './io.js';
import { fetchRun } from './resolve.js';
import { formatTable } from './table.js';

type ShowCommand = Extract<Command, { kind: 'runs show' }>;

const byKey = <T extends { key: string }>(a: T, b: T): number => a.key.localeCompare(b.key);

/** The readable form of one run: info, params, latest metrics, tags and datasets, in sections. */
export function renderRun(run: Run, experimentName: string | undefined, now: number): string {
  const i = run.info;
  const out: string[] = [];
  const experiment = experimentName === undefined ? i.experiment_id : `${experimentName} (${i.experiment_id})`;
  const infoRows: string[][] = [
    ['run id', i.run_id],
    ['name', i.run_name],
    ['experiment', experiment],
    ['status', i.status],
    ['user', i.user_id],
    ['start', formatTime(i.start_time)],
    ['end', formatTime(i.end_time)],
    ['duration', runDuration(i, now)],
    ['artifact uri', i.artifact_uri],
    ['lifecycle', i.lifecycle_stage],
  ];
  out.push('Run', formatTable(infoRows.filter(([, v]) => v !== '' && v !== undefined), { indent: '  ', maxWidth: [12, 100] }));

  const params = [...(run.data.params ?? [])].sort(byKey);
  out.push('', `Params (${params.length})`);
  if (params.length > 0) out.push(formatTable(params.map((p) => [p.key, p.value]), { header: ['KEY', 'VALUE'], indent: '  ', maxWidth: [40, 80] }));

  const metrics = [...(run.data.metrics ?? [])].sort(byKey);
  out.push('', `Metrics (${metrics.length}, latest values)`);
  if (metrics.length > 0) {
    out.push(
      formatTable(
        metrics.map((m) => [m.key, formatNumber(m.value), String(m.step), formatTime(m.timestamp)]),
        { header: ['KEY', 'VALUE', 'STEP', 'LOGGED AT'], indent: '  ', align: ['left', 'right', 'right', 'left'], maxWidth: [48, 20, 12, 19] },
      ),
    );
  }

  const tags = [...(run.data.tags ?? [])].sort(byKey);
  out.push('', `Tags (${tags.length})`);
  if (tags.length > 0) out.push(formatTable(tags.map((t) => [t.key, t.value]), { header: ['KEY', 'VALUE'], indent: '  ', maxWidth: [40, 80] }));

  const datasets = run.inputs?.dataset_inputs ?? [];
  out.push('', `Datasets (${datasets.length})`);
  if (datasets.length > 0) {
    const rows = datasets.map((d) => [
      d.dataset.name,
      d.dataset.digest,
      d.tags?.find((t) => t.key === 'mlflow.data.context')?.value ?? '',
      d.dataset.source_type,
      d.dataset.source,
    ]);
    out.push(formatTable(rows, { header: ['NAME', 'DIGEST', 'CONTEXT', 'SOURCE TYPE', 'SOURCE'], indent: '  ', maxWidth: [32, 16, 12, 16, 60] }));
  }
  return out.join('\n');
}

/** `pitwall runs show RUN_ID`. */
export async function runsShow(cmd: ShowCommand, client: PitwallClient, io: CliIo): Promise<void> {
  const run = await fetchRun(client, cmd.runId);
  if (cmd.json) {
    io.out(toJson({ run }));
    return;
  }
  // The experiment's name is a courtesy: the run is shown even when it cannot be fetched.
  const experimentName = await client.getExperiment(run.info.experiment_id).then(
    (e) => e.name,
    () => undefined,
  );
  io.out(renderRun(run, experimentName, io.now?.() ?? Date.now()));
}
