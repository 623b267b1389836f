import { invalidParam } from '../core/errors/index.js';
import type { ModelStage, Tag } from '../store/index.js';
import { MODEL_STAGES } from '../store/index.js';
import { asArray } from '../tracking/experiment-service.js';
import { optionalString, requireString, validateKey } from '../tracking/validation.js';

/** MLflow's registry limits (`mlflow/utils/validation.py`). */
export const REGISTRY_LIMITS = {
  maxModelNameLength: 256,
  maxTagKeyLength: 250,
  maxTagValueLength: 100_000,
  maxAliasLength: 255,
  maxDescriptionLength: 65_535,
  searchModelsDefault: 100,
  searchModelsMax: 1000,
  searchVersionsDefault: 10_000,
  searchVersionsMax: 200_000,
  searchLoggedModelsDefault: 100,
  searchLoggedModelsMax: 1000,
} as const;

type Req = Record<string, unknown>;

/** Registered model names: non-empty, no `/` or `:` (they would break `models:/` URIs), no control characters. */
export function validateModelName(v: unknown, field = 'name'): string {
  const name = requireString(v, field);
  if (name === '') throw invalidParam('Registered model name cannot be empty.', field);
  if (name.length > REGISTRY_LIMITS.maxModelNameLength) throw invalidParam(`Registered model name exceeds the maximum length of ${REGISTRY_LIMITS.maxModelNameLength}`, field);
  // eslint-disable-next-line no-control-regex
  if (/[/:\\\u0000-\u001f\u007f]/.test(name) || name === '.' || name === '..' || name.trim() !== name) {
    throw invalidParam(`Invalid model name '${name.slice(0, 100)}'. Names cannot contain '/', ':', '\\', control characters, or surrounding whitespace, and cannot be '.' or '..'.`, field);
  }
  return name;
}

/** Aliases: `^[\w-]*$`, at most 255 characters; `latest` and `v<digits>` are reserved (they name versions). */
export function validateAlias(v: unknown, field = 'alias'): string {
  const alias = requireString(v, field);
  if (alias === '' || alias.length > REGISTRY_LIMITS.maxAliasLength || !/^[\w-]+$/u.test(alias)) {
    throw invalidParam(`Invalid alias name '${alias.slice(0, 100)}'. Aliases must be 1-255 characters of letters, digits, '_' and '-'.`, field);
  }
  if (alias.toLowerCase() === 'latest' || /^v\d+$/i.test(alias)) {
    throw invalidParam(`'${alias}' is a reserved alias name: 'latest' and 'v<number>' refer to versions.`, field);
  }
  return alias;
}

export function validateVersion(v: unknown, field = 'version'): string {
  const s = typeof v === 'number' && Number.isInteger(v) ? String(v) : requireString(v, field).trim();
  if (!/^\d{1,10}$/.test(s) || Number(s) < 1) throw invalidParam(`Invalid model version '${String(v).slice(0, 50)}': expected a positive integer`, field);
  return String(Number(s));
}

export function validateStage(v: unknown, field = 'stage'): ModelStage {
  const s = requireString(v, field);
  const stage = MODEL_STAGES.find((x) => x.toLowerCase() === s.toLowerCase());
  if (!stage) throw invalidParam(`Invalid Model Version stage: ${s}. Value must be one of ${MODEL_STAGES.join(', ')}.`, field);
  return stage;
}

export function validateRegistryTag(key: unknown, value: unknown, field: string): Tag {
  const k = validateKey('tag', key, `${field}.key`.replace(/^\./, ''));
  if (k.length > REGISTRY_LIMITS.maxTagKeyLength) throw invalidParam(`Tag key exceeds the maximum length of ${REGISTRY_LIMITS.maxTagKeyLength}`, `${field}.key`.replace(/^\./, ''));
  const val = optionalString(value, `${field}.value`.replace(/^\./, '')) ?? '';
  if (val.length > REGISTRY_LIMITS.maxTagValueLength) throw invalidParam(`Tag value exceeds the maximum length of ${REGISTRY_LIMITS.maxTagValueLength} characters`, `${field}.value`.replace(/^\./, ''));
  return { key: k, value: val };
}

export function parseRegistryTags(v: unknown, field = 'tags'): Tag[] {
  return asArray(v, field).map((t, i) => {
    if (!t || typeof t !== 'object') throw invalidParam(`Invalid tag at ${field}[${i}]: expected an object with key and value`, `${field}[${i}]`);
    const o = t as Req;
    return validateRegistryTag(o.key, o.value, `${field}[${i}]`);
  });
}

export function optionalDescription(v: unknown, field = 'description'): string | undefined {
  const d = optionalString(v, field);
  if (d !== undefined && d.length > REGISTRY_LIMITS.maxDescriptionLength) throw invalidParam(`Description exceeds ${REGISTRY_LIMITS.maxDescriptionLength} characters`, field);
  return d;
}
