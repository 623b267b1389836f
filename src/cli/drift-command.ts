import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors/index.js';
import type { Dataset } from '../drift/dataset.js';
import { DatasetError, readDataset } from '../drift/read-dataset.js';
import { renderHtml } from '../drift/render-html.js';
import { driftReport } from '../drift/report.js';
import type { DriftCommand } from './drift-args.js';
import { renderText } from './drift-table.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';
import { startProgress, startSpinner } from './progress.js';

async function read(file: string, cmd: DriftCommand, io: CliIo): Promise<Dataset> {
  const progress = startProgress(io, `reading ${path.basename(file)}`);
  try {
    return await readDataset(file, { ...(cmd.format ? { format: cmd.format } : {}), onProgress: (done, total) => progress.update(done, total) });
  } catch (e) {
    if (e instanceof DatasetError) throw new CliError(e.message);
    throw e;
  } finally {
    progress.finish();
  }
}

/**
 * `pitwall drift report`: reads both files (with a progress bar), runs the tests, prints a table (or the report as
 * JSON) and writes the HTML report when asked. Exit code 0, or 3 with `--fail-on-drift` when the dataset drifted (so
 * a pipeline step can stop on it).
 */
export async function driftReportCommand(cmd: DriftCommand, io: CliIo): Promise<number> {
  const reference = await read(cmd.reference, cmd, io);
  const current = await read(cmd.current, cmd, io);
  const columns = startSpinner(io, 'testing columns');
  let report;
  try {
    report = await driftReport(reference, current, { ...cmd.options, onColumn: (done, total, name) => columns.update(`tested ${done} of ${total} columns (${name})`) });
  } catch (e) {
    if (e instanceof AppError) throw new CliError(`${e.message}${e.field ? ` (${e.field})` : ''}`);
    throw e;
  } finally {
    columns.finish();
  }
  if (cmd.json) io.out(JSON.stringify(report, null, 2));
  else io.out(renderText(report));
  if (cmd.html) {
    try {
      writeFileSync(cmd.html, renderHtml(report, { reference: cmd.reference, current: cmd.current, generatedAt: new Date(io.now?.() ?? Date.now()) }));
    } catch (e) {
      throw new CliError(`cannot write ${cmd.html}: ${(e as Error).message}`);
    }
    if (!cmd.json) io.out(`\nHTML report: ${cmd.html}`);
  }
  return cmd.failOnDrift && report.datasetDrift ? 3 : 0;
}
