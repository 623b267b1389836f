import { AppError, alreadyExists, invalidParam, notFound } from '../core/errors/index.js';

/** Error factories for store lookups; messages follow MLflow's wording. */
export const experimentNotFound = (id: string): AppError => notFound(`No Experiment with id=${id} exists`, 'experiment_id');
export const experimentNameNotFound = (name: string): AppError =>
  notFound(`Could not find experiment with name '${name}'`, 'experiment_name');
export const experimentExists = (name: string): AppError =>
  alreadyExists(`Experiment(name=${name}) already exists. Error: UNIQUE constraint failed: experiments.name`, 'name');
export const runNotFound = (id: string): AppError => notFound(`Run with id=${id} not found`, 'run_id');
export const runNotActive = (id: string): AppError =>
  invalidParam(`The run ${id} must be in the 'active' state. Current state is deleted.`, 'run_id');
export const experimentNotActive = (id: string): AppError =>
  invalidParam(`The experiment ${id} must be in the 'active' state. Current state is deleted.`, 'experiment_id');
export const tagNotFound = (key: string, owner: string): AppError =>
  notFound(`No tag with name: ${key} in ${owner}.`, 'key');
export const paramChanged = (runId: string, key: string, oldValue: string, newValue: string): AppError =>
  invalidParam(
    `Changing param values is not allowed. Params were already logged='[{'key': '${key}', 'old_value': '${oldValue}', 'new_value': '${newValue}'}]' for run ID='${runId}'.`,
    'params',
  );
export { AppError };
