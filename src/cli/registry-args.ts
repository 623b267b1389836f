import type { ParseArgsConfig } from 'node:util';
import { expectPositionals, parsePositiveInt, type Remote, remote, str, type Values } from './arg-values.js';
import { UsageError } from './errors.js';

/** Parsing of `pitwall models …` and `pitwall artifacts …` (the registry and artifact commands). */

/** Where `artifacts put/get/ls` point: a run's artifacts (`RUN_ID[/PATH]`) or, for `get`, a model version. */
export type ArtifactTarget = { kind: 'run'; runId: string; path: string } | { kind: 'model'; ref: string };

export type RegistryCommand =
  | ({ kind: 'models register'; path: string; name: string; runId?: string; description?: string; aliases: string[] } & Remote)
  | ({ kind: 'models list'; filter?: string; max: number } & Remote)
  | ({ kind: 'models show'; ref: string } & Remote)
  | ({ kind: 'models alias'; name: string; alias: string; version?: string; delete: boolean } & Remote)
  | ({ kind: 'models approve'; ref: string; comment?: string; reject: boolean; approver?: string } & Remote)
  | ({ kind: 'models protect'; name: string; aliases: string[] } & Remote)
  | ({ kind: 'artifacts put'; local: string; target: { kind: 'run'; runId: string; path: string } } & Remote)
  | ({ kind: 'artifacts get'; target: ArtifactTarget; dest?: string } & Remote)
  | ({ kind: 'artifacts ls'; target: { kind: 'run'; runId: string; path: string } } & Remote);

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON: Options = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  'tracking-uri': { type: 'string' },
};

export const REGISTRY_OPTIONS: Record<string, Options> = {
  'models register': { ...COMMON, name: { type: 'string', short: 'n' }, run: { type: 'string' }, description: { type: 'string' }, alias: { type: 'string', multiple: true } },
  'models list': { ...COMMON, filter: { type: 'string' }, max: { type: 'string' } },
  'models show': { ...COMMON },
  'models alias': { ...COMMON, delete: { type: 'boolean' } },
  'models approve': { ...COMMON, comment: { type: 'string' }, reject: { type: 'boolean' }, approver: { type: 'string' } },
  'models protect': { ...COMMON, clear: { type: 'boolean' } },
  'artifacts put': { ...COMMON },
  'artifacts get': { ...COMMON },
  'artifacts ls': { ...COMMON },
};

const ALIAS = /^[\w-]+$/u;

/** `RUN_ID[/PATH]`: the run id is everything before the first `/`. */
export function parseRunTarget(s: string, topic: string): { kind: 'run'; runId: string; path: string } {
  const slash = s.indexOf('/');
  const runId = slash < 0 ? s : s.slice(0, slash);
  const path = slash < 0 ? '' : s.slice(slash + 1).replace(/^\/+|\/+$/g, '');
  if (runId.trim() === '') throw new UsageError(`'${s}' names no run: expected RUN_ID or RUN_ID/PATH`, topic);
  if (runId.includes(':')) throw new UsageError(`'${s}' is not RUN_ID[/PATH]${topic === 'artifacts get' ? ' or models:/NAME/VERSION' : ''}`, topic);
  return { kind: 'run', runId, path };
}

function withOpt<K extends string>(key: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: string };
}

/** Builds the command for a `models …` or `artifacts …` topic from parsed flags and positionals. */
export function parseRegistryCommand(topic: string, values: Values, positionals: string[]): RegistryCommand {
  const r = remote(values);
  switch (topic) {
    case 'models register': {
      expectPositionals(positionals, topic, 1, 1, 'PATH of the model file or directory');
      const name = str(values.name);
      if (name === undefined || name.trim() === '') throw new UsageError('missing --name NAME (the registered model to add a version to)', topic);
      const aliases = (values.alias as string[] | undefined) ?? [];
      for (const a of aliases) if (!ALIAS.test(a)) throw new UsageError(`--alias '${a}' must be letters, digits, '_' and '-'`, topic);
      return { kind: topic, path: positionals[0]!, name, aliases, ...withOpt('runId', str(values.run)), ...withOpt('description', str(values.description)), ...r };
    }
    case 'models list': {
      expectPositionals(positionals, topic, 0, 0, '');
      const max = str(values.max);
      return { kind: topic, max: max === undefined ? 100 : parsePositiveInt(max, '--max', topic, 1, 50_000), ...withOpt('filter', str(values.filter)), ...r };
    }
    case 'models show':
      expectPositionals(positionals, topic, 1, 1, 'NAME, NAME/VERSION or NAME@ALIAS');
      return { kind: topic, ref: positionals[0]!, ...r };
    case 'models alias': {
      const del = values.delete === true;
      expectPositionals(positionals, topic, 2, del ? 2 : 3, 'NAME and ALIAS');
      const [name, alias, version] = positionals as [string, string, string | undefined];
      if (!ALIAS.test(alias)) throw new UsageError(`ALIAS '${alias}' must be letters, digits, '_' and '-'`, topic);
      if (version !== undefined && !/^\d+$/.test(version)) throw new UsageError(`VERSION must be a version number, got '${version}'`, topic);
      return { kind: topic, name, alias, delete: del, ...withOpt('version', version), ...r };
    }
    case 'models approve': {
      expectPositionals(positionals, topic, 1, 1, 'NAME/VERSION');
      const ref = positionals[0]!;
      if (!/[/@]/.test(ref.replace(/^models:\/+/, ''))) throw new UsageError(`'${ref}' names no version: use NAME/VERSION or NAME@ALIAS`, topic);
      return { kind: topic, ref, reject: values.reject === true, ...withOpt('comment', str(values.comment)), ...withOpt('approver', str(values.approver)), ...r };
    }
    case 'models protect': {
      expectPositionals(positionals, topic, 1, Infinity, 'NAME');
      const [name, ...aliases] = positionals as [string, ...string[]];
      if (aliases.length === 0 && values.clear !== true) throw new UsageError('missing ALIAS (or --clear to protect none)', topic);
      if (aliases.length > 0 && values.clear === true) throw new UsageError('--clear takes no ALIAS', topic);
      for (const a of aliases) if (!ALIAS.test(a)) throw new UsageError(`ALIAS '${a}' must be letters, digits, '_' and '-'`, topic);
      return { kind: topic, name, aliases, ...r };
    }
    case 'artifacts put':
      expectPositionals(positionals, topic, 2, 2, 'LOCAL_PATH and RUN_ID[/PATH]');
      return { kind: topic, local: positionals[0]!, target: parseRunTarget(positionals[1]!, topic), ...r };
    case 'artifacts get': {
      expectPositionals(positionals, topic, 1, 2, 'RUN_ID[/PATH] or models:/NAME/VERSION');
      const src = positionals[0]!;
      const target: ArtifactTarget = src.startsWith('models:') ? { kind: 'model', ref: src } : parseRunTarget(src, topic);
      return { kind: topic, target, ...withOpt('dest', positionals[1]), ...r };
    }
    case 'artifacts ls':
      expectPositionals(positionals, topic, 1, 1, 'RUN_ID[/PATH]');
      return { kind: topic, target: parseRunTarget(positionals[0]!, topic), ...r };
    default:
      throw new UsageError(`unknown command '${topic}'`);
  }
}
