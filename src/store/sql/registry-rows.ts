import type { Kysely } from 'kysely';
import { notFound } from '../../core/errors/index.js';
import type { ModelCard, ModelStage, ModelVersion, ModelVersionStatus } from '../registry-types.js';
import type { Tag } from '../types.js';
import { chunked } from './rows.js';
import type { Database, ModelVersionsTable } from './schema.js';

export const modelNotFound = (name: string) => notFound(`Registered Model with name=${name} not found`, 'name');
export const versionNotFound = (name: string, version: string) =>
  notFound(`Model Version (name=${name}, version=${version}) not found`, 'version');

export const EMPTY_CARD: ModelCard = { intendedUse: '', evaluationScores: [], knownFailureModes: [], limitations: '' };

export function mergeCard(base: ModelCard, patch: Partial<ModelCard> | undefined): ModelCard {
  if (!patch) return base;
  return {
    intendedUse: patch.intendedUse ?? base.intendedUse,
    evaluationScores: patch.evaluationScores ?? base.evaluationScores,
    knownFailureModes: patch.knownFailureModes ?? base.knownFailureModes,
    limitations: patch.limitations ?? base.limitations,
  };
}

export function parseCard(text: string): ModelCard {
  try {
    return mergeCard(EMPTY_CARD, JSON.parse(text) as Partial<ModelCard>);
  } catch {
    return EMPTY_CARD;
  }
}

/** Version numbers are positive integers; anything else cannot exist. */
export function versionNumber(name: string, version: string): number {
  if (!/^[1-9]\d{0,9}$/.test(version)) throw versionNotFound(name, version);
  return Number(version);
}

/** Loads tags and aliases for version rows and builds the domain records, in row order. */
export async function versionsFromRows(db: Kysely<Database>, rows: ModelVersionsTable[]): Promise<ModelVersion[]> {
  if (rows.length === 0) return [];
  const key = (name: string, version: number) => `${version}\u0000${name}`;
  const tags = new Map<string, Tag[]>();
  const aliases = new Map<string, string[]>();
  const names = [...new Set(rows.map((r) => r.name))];
  for (const part of chunked(names)) {
    const tagRows = await db.selectFrom('model_version_tags').selectAll().where('name', 'in', part).orderBy('key').execute();
    for (const t of tagRows) {
      const k = key(t.name, Number(t.version));
      tags.set(k, [...(tags.get(k) ?? []), { key: t.key, value: t.value }]);
    }
    const aliasRows = await db.selectFrom('registered_model_aliases').selectAll().where('name', 'in', part).orderBy('alias').execute();
    for (const a of aliasRows) {
      const k = key(a.name, Number(a.version));
      aliases.set(k, [...(aliases.get(k) ?? []), a.alias]);
    }
  }
  return rows.map((r) => {
    const k = key(r.name, Number(r.version));
    let manifest: Record<string, unknown> | null = null;
    if (r.manifest) {
      try {
        manifest = JSON.parse(r.manifest) as Record<string, unknown>;
      } catch {
        manifest = null;
      }
    }
    return {
      name: r.name,
      version: String(r.version),
      creationTime: Number(r.creation_time),
      lastUpdatedTime: Number(r.last_updated_time),
      description: r.description,
      userId: r.user_id,
      currentStage: r.current_stage as ModelStage,
      source: r.source,
      runId: r.run_id,
      runLink: r.run_link,
      status: r.status as ModelVersionStatus,
      statusMessage: r.status_message,
      storageLocation: r.storage_location,
      modelId: r.model_id,
      tags: tags.get(k) ?? [],
      aliases: aliases.get(k) ?? [],
      manifest,
      card: parseCard(r.card),
    };
  });
}

/** Removes the lineage edges of a model's versions (all of them, or one), so a reused name starts clean. */
export async function deleteVersionEdges(db: Kysely<Database>, name: string, version?: number): Promise<void> {
  for (const side of ['from', 'to'] as const) {
    const typeCol = side === 'from' ? 'from_type' : 'to_type';
    const idCol = side === 'from' ? 'from_id' : 'to_id';
    if (version !== undefined) {
      await db.deleteFrom('lineage_edges').where(typeCol, '=', 'model_version').where(idCol, '=', `${name}/${version}`).execute();
      continue;
    }
    const rows = await db.selectFrom('lineage_edges').select(idCol).where(typeCol, '=', 'model_version').execute();
    const ids = [...new Set(rows.map((r) => (r as Record<string, string>)[idCol]!).filter((id) => id.slice(0, id.lastIndexOf('/')) === name))];
    for (const part of chunked(ids)) await db.deleteFrom('lineage_edges').where(typeCol, '=', 'model_version').where(idCol, 'in', part).execute();
  }
}
