import type { Experiment, PitwallClient } from '../sdk/index.js';
import type { Command } from './args.js';
import { formatTime, toJson } from './format.js';
import type { CliIo } from './io.js';
import { formatTable } from './table.js';

type ListCommand = Extract<Command, { kind: 'experiments list' }>;
type CreateCommand = Extract<Command, { kind: 'experiments create' }>;

/** `pitwall experiments list`: every matching experiment, all pages. */
export async function experimentsList(cmd: ListCommand, client: PitwallClient, io: CliIo): Promise<void> {
  const experiments: Experiment[] = [];
  for await (const e of client.iterateExperiments({ viewType: cmd.view, ...(cmd.filter !== undefined ? { filter: cmd.filter } : {}) })) {
    experiments.push(e);
  }
  if (cmd.json) {
    io.out(toJson({ experiments }));
    return;
  }
  if (experiments.length === 0) {
    io.out('No experiments found.');
    return;
  }
  const withStage = cmd.view !== 'ACTIVE_ONLY';
  const header = ['ID', 'NAME', ...(withStage ? ['STAGE'] : []), 'CREATED', 'ARTIFACT LOCATION'];
  const rows = experiments.map((e) => [
    e.experiment_id,
    e.name,
    ...(withStage ? [e.lifecycle_stage] : []),
    formatTime(e.creation_time),
    e.artifact_location,
  ]);
  io.out(formatTable(rows, { header, maxWidth: [20, 48, ...(withStage ? [8] : []), 19, 60] }));
}

/** `pitwall experiments create NAME`: prints the new id. */
export async function experimentsCreate(cmd: CreateCommand, client: PitwallClient, io: CliIo): Promise<void> {
  const id = await client.createExperiment(cmd.name, cmd.artifactLocation !== undefined ? { artifactLocation: cmd.artifactLocation } : {});
  if (cmd.json) io.out(toJson({ experiment_id: id, name: cmd.name }));
  else io.out(`Created experiment '${cmd.name}' with id ${id}.`);
}
