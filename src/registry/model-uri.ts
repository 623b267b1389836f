import { invalidParam } from '../core/errors/index.js';

/** A parsed model reference, as MLflow writes them. */
export type ModelRef =
  | { kind: 'version'; name: string; version: string }
  | { kind: 'alias'; name: string; alias: string }
  | { kind: 'latest'; name: string; stage?: string }
  | { kind: 'logged'; modelId: string }
  | { kind: 'run'; runId: string; path: string };

/**
 * Parses `models:/<name>/<version>`, `models:/<name>@<alias>`, `models:/<name>/latest`, `models:/<name>/<Stage>`,
 * `models:/m-<id>` and `runs:/<run_id>/<path>`. A bare `<name>/<version>` or `<name>@<alias>` is accepted where a
 * model is named (CLI, Pitwall API). Anything else → 400 on `field`.
 */
export function parseModelRef(uri: string, field: string): ModelRef {
  const bad = (why: string) => invalidParam(`Invalid model reference '${uri.slice(0, 200)}': ${why}. Expected models:/<name>/<version>, models:/<name>@<alias>, models:/m-<id> or runs:/<run_id>/<path>`, field);
  if (typeof uri !== 'string' || uri.trim() === '') throw bad('it is empty');
  if (uri.startsWith('runs:/')) {
    const m = /^runs:\/+([^/]+)(?:\/(.*))?$/.exec(uri);
    if (!m) throw bad('no run id');
    return { kind: 'run', runId: m[1]!, path: (m[2] ?? '').replace(/\/+$/, '') };
  }
  let rest = uri;
  if (uri.startsWith('models:')) {
    rest = uri.slice('models:'.length).replace(/^\/+/, '');
    if (/^m-[0-9a-f]{32}$/.test(rest)) return { kind: 'logged', modelId: rest };
  }
  rest = rest.replace(/\/+$/, '');
  const at = rest.lastIndexOf('@');
  if (at > 0 && !rest.slice(at).includes('/')) {
    const alias = rest.slice(at + 1);
    if (!alias) throw bad('the alias is empty');
    return { kind: 'alias', name: rest.slice(0, at), alias };
  }
  const slash = rest.lastIndexOf('/');
  if (slash <= 0) throw bad('no version or alias');
  const name = rest.slice(0, slash);
  const suffix = rest.slice(slash + 1);
  if (/^\d+$/.test(suffix)) return { kind: 'version', name, version: String(Number(suffix)) };
  if (suffix.toLowerCase() === 'latest') return { kind: 'latest', name };
  if (['none', 'staging', 'production', 'archived'].includes(suffix.toLowerCase())) return { kind: 'latest', name, stage: suffix };
  throw bad(`'${suffix}' is not a version number, alias or stage`);
}
