import { UsageError } from './errors.js';

/** Parsed flag values and the small checks every command's parser shares. */

export type Values = Record<string, string | boolean | string[] | undefined>;

/** The flags of every command that talks to a server. */
export interface Remote {
  /** `--tracking-uri`, when given. */
  trackingUri?: string;
  json: boolean;
}

export function str(v: Values[string]): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function parsePositiveInt(v: string, flag: string, topic: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got '${v}'`, topic);
  }
  return n;
}

export function remote(values: Values): Remote {
  const r: Remote = { json: values.json === true };
  const uri = str(values['tracking-uri']);
  if (uri !== undefined) r.trackingUri = uri;
  return r;
}

export function expectPositionals(positionals: string[], topic: string, min: number, max: number, what: string): void {
  if (positionals.length < min) throw new UsageError(`missing ${what}`, topic);
  if (positionals.length > max) throw new UsageError(`unexpected argument '${positionals[max]}'`, topic);
}

/** The options that configure a server process (`pitwall server`, `pitwall serve`). */
export const SERVER_OPTIONS: NonNullable<import('node:util').ParseArgsConfig['options']> = {
  host: { type: 'string' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  store: { type: 'string' },
  artifacts: { type: 'string' },
  config: { type: 'string' },
  'insecure-bind': { type: 'boolean' },
};
