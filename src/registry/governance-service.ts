import { invalidParam } from '../core/errors/index.js';
import type { Approval, EvaluationScore, LineageEdge, LineageNode, ModelCard, ModelVersion, RegisteredModel, Store } from '../store/index.js';
import { asArray } from '../tracking/experiment-service.js';
import { optionalString, requireString } from '../tracking/validation.js';
import { unapproved } from './registry-service.js';
import { optionalDescription, validateAlias, validateModelName, validateVersion } from './registry-validation.js';

type Req = Record<string, unknown>;

export interface LineageGraphNode extends LineageNode {
  label: string;
  /** Facts worth showing beside the node (status, digest, aliases…). */
  detail: Record<string, string>;
}

export interface LineageGraph {
  nodes: LineageGraphNode[];
  edges: { from: string; to: string; relation: string }[];
}

const nodeKey = (n: LineageNode) => `${n.type}:${n.id}`;
const TEXT_MAX = 20_000;

function text(v: unknown, field: string): string | undefined {
  const s = optionalString(v, field);
  if (s !== undefined && s.length > TEXT_MAX) throw invalidParam(`${field} exceeds ${TEXT_MAX} characters`, field);
  return s;
}

function scores(v: unknown): EvaluationScore[] {
  return asArray(v, 'evaluation_scores').map((x, i) => {
    const o = x as Req;
    if (!o || typeof o !== 'object') throw invalidParam(`evaluation_scores[${i}] must be {metric, value, dataset?}`, `evaluation_scores[${i}]`);
    const metric = requireString(o.metric, `evaluation_scores[${i}].metric`);
    const value = typeof o.value === 'number' ? o.value : Number(o.value);
    if (!Number.isFinite(value) || (typeof o.value !== 'number' && typeof o.value !== 'string')) throw invalidParam(`evaluation_scores[${i}].value must be a number`, `evaluation_scores[${i}].value`);
    const dataset = optionalString(o.dataset, `evaluation_scores[${i}].dataset`);
    return { metric, value, ...(dataset ? { dataset } : {}) };
  });
}

/** Model cards, approvals, protected aliases and lineage: what Pitwall adds to MLflow's registry. */
export class GovernanceService {
  constructor(private readonly store: Store) {}

  /** Updates the card (and description) of a version; absent fields keep their value. */
  async updateCard(name: string, version: string, req: Req): Promise<ModelVersion> {
    const card: Partial<ModelCard> = {};
    const intendedUse = text(req.intended_use, 'intended_use');
    if (intendedUse !== undefined) card.intendedUse = intendedUse;
    const limitations = text(req.limitations, 'limitations');
    if (limitations !== undefined) card.limitations = limitations;
    if (req.evaluation_scores !== undefined && req.evaluation_scores !== null) card.evaluationScores = scores(req.evaluation_scores);
    if (req.known_failure_modes !== undefined && req.known_failure_modes !== null) {
      card.knownFailureModes = asArray(req.known_failure_modes, 'known_failure_modes').map((x, i) => requireString(x, `known_failure_modes[${i}]`));
    }
    const description = optionalDescription(req.description);
    return this.store.registry.updateVersion(validateModelName(name), validateVersion(version), { card, ...(description !== undefined ? { description } : {}) });
  }

  async approve(name: string, version: string, req: Req): Promise<Approval> {
    const approver = requireString(req.approver, 'approver').trim();
    if (approver === '' || approver.length > 256) throw invalidParam('approver must name who approves (1-256 characters)', 'approver');
    const decision = req.decision === undefined || req.decision === null ? 'approved' : requireString(req.decision, 'decision');
    if (decision !== 'approved' && decision !== 'rejected') throw invalidParam(`decision must be 'approved' or 'rejected', got '${decision}'`, 'decision');
    return this.store.registry.addApproval({ name: validateModelName(name), version: validateVersion(version), approver, comment: text(req.comment, 'comment') ?? '', decision });
  }

  listApprovals(name: string, version?: string): Promise<Approval[]> {
    return this.store.registry.listApprovals(validateModelName(name), version === undefined ? undefined : validateVersion(version));
  }

  /**
   * Sets the aliases that may only point at approved versions. Refused (409) while one of them already points at a
   * version whose latest review is not an approval: approve that version or move the alias first.
   */
  async setProtectedAliases(name: string, req: Req): Promise<RegisteredModel> {
    const model = validateModelName(name);
    const aliases = asArray(req.protected_aliases, 'protected_aliases').map((a, i) => validateAlias(a, `protected_aliases[${i}]`));
    const current = await this.store.registry.getModel(model);
    for (const a of current.aliases) {
      if (!aliases.includes(a.alias)) continue;
      const latest = (await this.store.registry.listApprovals(model, a.version))[0];
      if (latest?.decision !== 'approved') throw unapproved(model, a.alias, a.version, latest);
    }
    return this.store.registry.updateModel(model, { protectedAliases: aliases });
  }

  /**
   * The lineage around a model version, run or logged model: recorded edges (run → logged model → version,
   * deployments later) within `depth` hops, plus the datasets each run in the graph took as input.
   */
  async lineage(start: LineageNode, depth = 4): Promise<LineageGraph> {
    await this.label(start); // 404 for an unknown start node
    const edges = await this.store.registry.lineageAround(start, depth);
    const all: Omit<LineageEdge, 'createdAt'>[] = [...edges];
    const nodes = new Map<string, LineageNode>([[nodeKey(start), start]]);
    for (const e of edges) for (const n of [e.from, e.to]) nodes.set(nodeKey(n), n);
    for (const n of [...nodes.values()]) {
      if (n.type !== 'run') continue;
      const run = await this.store.runs.get(n.id).catch(() => null);
      for (const d of run?.inputs.datasetInputs ?? []) {
        const ds: LineageNode = { type: 'dataset', id: `${d.dataset.name}@${d.dataset.digest}` };
        nodes.set(nodeKey(ds), ds);
        const context = d.tags.find((t) => t.key === 'mlflow.data.context')?.value;
        all.push({ from: ds, to: n, relation: context ? `input (${context})` : 'input' });
      }
    }
    const out: LineageGraphNode[] = [];
    for (const n of nodes.values()) out.push(await this.label(n).catch(() => ({ ...n, label: `${n.id} (gone)`, detail: {} })));
    const seen = new Set<string>();
    const outEdges = [];
    for (const e of all) {
      const k = `${nodeKey(e.from)}>${e.relation}>${nodeKey(e.to)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      outEdges.push({ from: nodeKey(e.from), to: nodeKey(e.to), relation: e.relation });
    }
    return { nodes: out, edges: outEdges };
  }

  private async label(n: LineageNode): Promise<LineageGraphNode> {
    switch (n.type) {
      case 'model_version': {
        const slash = n.id.lastIndexOf('/');
        const v = await this.store.registry.getVersion(n.id.slice(0, slash), n.id.slice(slash + 1));
        const detail: Record<string, string> = { stage: v.currentStage };
        if (v.aliases.length) detail.aliases = v.aliases.join(', ');
        const flavor = (v.manifest as { flavor?: string } | null)?.flavor;
        if (flavor) detail.flavor = flavor;
        return { ...n, label: `${v.name} v${v.version}`, detail };
      }
      case 'run': {
        const r = await this.store.runs.getInfo(n.id);
        return { ...n, label: r.runName || r.runId, detail: { status: r.status, experiment_id: r.experimentId } };
      }
      case 'logged_model': {
        const m = await this.store.loggedModels.get(n.id);
        return { ...n, label: m.name, detail: { status: m.status.replace('LOGGED_MODEL_', '') } };
      }
      case 'dataset': {
        const at = n.id.lastIndexOf('@');
        return { ...n, label: n.id.slice(0, at), detail: { digest: n.id.slice(at + 1) } };
      }
      default:
        return { ...n, label: n.id, detail: {} };
    }
  }
}
