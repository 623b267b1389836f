import { type Experiment, isNotFound, type PitwallClient, type Run } from '../sdk/index.js';
import { CliError } from './errors.js';

/** An experiment named by id or by name: ids are tried first when the text looks like one. */
export async function resolveExperiment(client: PitwallClient, idOrName: string): Promise<Experiment> {
  if (/^\d+$/.test(idOrName)) {
    try {
      return await client.getExperiment(idOrName);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  try {
    return await client.getExperimentByName(idOrName);
  } catch (e) {
    if (isNotFound(e)) throw new CliError(`RESOURCE_DOES_NOT_EXIST: no experiment with id or name '${idOrName}'`);
    throw e;
  }
}

/**
 * A run by full id, or by the short prefix `runs list` prints (looked up across all experiments, deleted ones too).
 * An unknown id fails with the server's own RESOURCE_DOES_NOT_EXIST error.
 */
export async function fetchRun(client: PitwallClient, runId: string): Promise<Run> {
  try {
    return await client.getRun(runId);
  } catch (e) {
    if (!isNotFound(e) || !/^[0-9a-f]{4,31}$/i.test(runId)) throw e;
    const matches = await findByPrefix(client, runId.toLowerCase()).catch(() => []);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      throw new CliError(`run id prefix '${runId}' is ambiguous: ${matches.map((r) => r.info.run_id).join(', ')}`);
    }
    throw e;
  }
}

async function findByPrefix(client: PitwallClient, prefix: string): Promise<Run[]> {
  const experimentIds: string[] = [];
  for await (const exp of client.iterateExperiments({ viewType: 'ALL' })) experimentIds.push(exp.experiment_id);
  if (experimentIds.length === 0) return [];
  // `prefix` is hex only (checked by the caller), so it cannot break out of the quoted filter value.
  const res = await client.searchRuns({
    experimentIds,
    filter: `attributes.run_id LIKE '${prefix}%'`,
    runViewType: 'ALL',
    maxResults: 5,
  });
  return res.runs.filter((r) => r.info.run_id.startsWith(prefix));
}
