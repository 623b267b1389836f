import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { invalidParam } from '../core/errors/index.js';
import type { GovernanceService, RegistryService } from '../registry/index.js';
import type { Approval, LineageNode } from '../store/index.js';
import { modelVersionJson, registeredModelJson } from './mlflow/registry-wire.js';
import { Opt } from './schemas.js';

const TAGS = ['Pitwall registry'];
const NameParams = Type.Object({ name: Type.String() });
const VersionParams = Type.Object({ name: Type.String(), version: Type.String() });

const approvalJson = (a: Approval) => ({ id: a.id, name: a.name, version: a.version, approver: a.approver, comment: a.comment, decision: a.decision, created_at: a.createdAt });

/**
 * Pitwall's registry API (`/api/v1`): model cards, approvals, protected aliases, model-reference resolution and the
 * lineage graph. Registered models and versions themselves are served by the MLflow routes.
 */
export function registerRegistryApiRoutes(app: FastifyInstance, s: { registry: RegistryService; governance: GovernanceService }): void {
  const g = s.governance;
  app.get(
    '/api/v1/models/resolve',
    {
      schema: {
        summary: 'Resolve a model reference to one version',
        description: 'Accepts `models:/name/3`, `models:/name@champion`, `models:/name/latest`, `models:/name/Production`, `name/3` or `name@alias`.',
        tags: TAGS,
        querystring: Type.Object({ uri: Type.String() }),
      },
    },
    async (req) => ({ model_version: modelVersionJson(await s.registry.resolve((req.query as { uri: string }).uri, 'uri')) }),
  );
  app.put(
    '/api/v1/models/:name/policy',
    {
      schema: {
        summary: 'Set the aliases that need an approved version',
        description: 'With `protected_aliases: ["champion"]`, pointing `champion` at a version whose latest review is not an approval answers 409 RESOURCE_CONFLICT.',
        tags: TAGS,
        params: NameParams,
        body: Type.Object({ protected_aliases: Type.Array(Type.String()) }),
      },
    },
    async (req) => ({ registered_model: registeredModelJson(await g.setProtectedAliases((req.params as { name: string }).name, req.body as Record<string, unknown>)) }),
  );
  app.patch(
    '/api/v1/models/:name/versions/:version/card',
    {
      schema: {
        summary: 'Update a version’s model card',
        description: 'Fields left out keep their value. `evaluation_scores` and `known_failure_modes` replace the stored lists.',
        tags: TAGS,
        params: VersionParams,
        body: Type.Object({
          description: Opt(Type.String()),
          intended_use: Opt(Type.String()),
          limitations: Opt(Type.String()),
          known_failure_modes: Opt(Type.Array(Type.String())),
          evaluation_scores: Opt(Type.Array(Type.Object({ metric: Type.String(), value: Type.Union([Type.Number(), Type.String()]), dataset: Opt(Type.String()) }))),
        }),
      },
    },
    async (req) => {
      const p = req.params as { name: string; version: string };
      return { model_version: modelVersionJson(await g.updateCard(p.name, p.version, req.body as Record<string, unknown>)) };
    },
  );
  app.post(
    '/api/v1/models/:name/versions/:version/approvals',
    {
      schema: {
        summary: 'Approve (or reject) a version',
        tags: TAGS,
        params: VersionParams,
        body: Type.Object({ approver: Type.String(), comment: Opt(Type.String()), decision: Opt(Type.String({ description: 'approved (default) | rejected' })) }),
      },
    },
    async (req, reply) => {
      const p = req.params as { name: string; version: string };
      reply.code(201);
      return { approval: approvalJson(await g.approve(p.name, p.version, req.body as Record<string, unknown>)) };
    },
  );
  app.get(
    '/api/v1/models/:name/versions/:version/approvals',
    { schema: { summary: 'A version’s approvals, newest first', tags: TAGS, params: VersionParams } },
    async (req) => {
      const p = req.params as { name: string; version: string };
      return { approvals: (await g.listApprovals(p.name, p.version)).map(approvalJson) };
    },
  );
  app.get(
    '/api/v1/models/:name/approvals',
    { schema: { summary: 'All approvals of a model’s versions, newest first', tags: TAGS, params: NameParams } },
    async (req) => ({ approvals: (await g.listApprovals((req.params as { name: string }).name)).map(approvalJson) }),
  );
  app.get(
    '/api/v1/lineage',
    {
      schema: {
        summary: 'Lineage graph around a model version, run or logged model',
        description: 'Give one of `model` (a reference such as `titanic/3` or `models:/titanic@champion`), `run_id` or `model_id`. Nodes are datasets, runs, logged models and model versions; edges say how one led to the other.',
        tags: TAGS,
        querystring: Type.Object({ model: Opt(Type.String()), run_id: Opt(Type.String()), model_id: Opt(Type.String()), depth: Opt(Type.Union([Type.Integer(), Type.String()])) }),
      },
    },
    async (req) => {
      const q = req.query as { model?: string; run_id?: string; model_id?: string; depth?: string | number };
      const given = [q.model, q.run_id, q.model_id].filter((x) => x !== undefined && x !== null && x !== '');
      if (given.length !== 1) throw invalidParam('Give exactly one of model, run_id or model_id', 'model');
      const depth = q.depth === undefined ? 4 : Number(q.depth);
      if (!Number.isInteger(depth) || depth < 1 || depth > 10) throw invalidParam('depth must be an integer from 1 to 10', 'depth');
      let start: LineageNode;
      if (q.model) {
        const v = await s.registry.resolve(q.model, 'model');
        start = { type: 'model_version', id: `${v.name}/${v.version}` };
      } else if (q.run_id) start = { type: 'run', id: q.run_id };
      else start = { type: 'logged_model', id: q.model_id! };
      const graph = await g.lineage(start, depth);
      return { root: `${start.type}:${start.id}`, nodes: graph.nodes.map((n) => ({ key: `${n.type}:${n.id}`, type: n.type, id: n.id, label: n.label, detail: n.detail })), edges: graph.edges };
    },
  );
}
