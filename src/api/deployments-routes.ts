import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { type DeploymentService, deploymentToWire } from '../serving/deployment-service.js';
import type { Serving } from '../serving/serving.js';
import { Opt } from './schemas.js';

const TAGS = ['Pitwall deployments'];
const NameParams = Type.Object({ name: Type.String() });
const Body = Type.Object({}, { additionalProperties: true });

/**
 * Pitwall's deployment API (`/api/v1/deployments`): named endpoints serving registered model versions, by number or
 * by alias. Writes go to the store; every replica's serving runtime hears them on the change feed and loads, swaps
 * or stops models to match. `status` is this replica's view: what it has loaded and whether it is ready.
 */
export function registerDeploymentRoutes(app: FastifyInstance, s: { deployments: DeploymentService; serving: Serving }): void {
  app.post(
    '/api/v1/deployments',
    {
      schema: {
        summary: 'Create a deployment',
        description:
          'Body: `name`, and either `model` (`"models:/titanic@champion"`, `"models:/titanic/3"`, or `{model, version | alias}`) or `targets` (`[{model, version | alias, weight}]`); optional `description` and `config` (`max_batch_size` 32, `max_queue_delay_ms` 5, `max_queue` 256, `timeout_ms` 10000, `intra_op_threads` 1, `inter_op_threads` 1). Loading starts at once; `GET …/status` says when it is ready.',
        tags: TAGS,
        body: Body,
      },
    },
    async (req) => ({ deployment: deploymentToWire(await s.deployments.create(req.body as Record<string, unknown>)) }),
  );
  app.get(
    '/api/v1/deployments',
    {
      schema: {
        summary: 'List deployments by name',
        tags: TAGS,
        querystring: Type.Object({ max_results: Opt(Type.Union([Type.Integer(), Type.String()])), page_token: Opt(Type.String()) }),
      },
    },
    async (req) => {
      const page = await s.deployments.list(req.query as Record<string, unknown>);
      return { deployments: page.deployments.map(deploymentToWire), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
    },
  );
  app.get('/api/v1/deployments/:name', { schema: { summary: 'Get a deployment', tags: TAGS, params: NameParams } }, async (req) => ({
    deployment: deploymentToWire(await s.deployments.get((req.params as { name: string }).name)),
  }));
  app.patch(
    '/api/v1/deployments/:name',
    {
      schema: {
        summary: 'Change a deployment',
        description:
          'Any of `description`, `model` or `targets` (replaces the targets), `config` (merged into the current one). With `revision`, the change is refused (409) if the deployment changed since that revision. A new target version is loaded and warmed up beside the old one and swapped in without failing a request.',
        tags: TAGS,
        params: NameParams,
        body: Body,
      },
    },
    async (req) => ({ deployment: deploymentToWire(await s.deployments.update((req.params as { name: string }).name, req.body as Record<string, unknown>)) }),
  );
  app.delete('/api/v1/deployments/:name', { schema: { summary: 'Delete a deployment', description: 'Requests in flight finish; then its models are released.', tags: TAGS, params: NameParams } }, async (req) => {
    await s.deployments.delete((req.params as { name: string }).name);
    return {};
  });
  app.get(
    '/api/v1/deployments/:name/status',
    {
      schema: {
        summary: "This replica's view of a deployment",
        description:
          '`ready` is true when every target has its version loaded and a warm-up inference passed; `revision` is the deployment revision this replica has applied (an edit shows once its new version is loaded and swapped in). Per target: `state` (loading, ready, failed), `served_version`, `error` (the last failed load or lookup; the previous version keeps serving), memory, batching mode, queue statistics.',
        tags: TAGS,
        params: NameParams,
      },
    },
    async (req) => {
      const name = (req.params as { name: string }).name;
      const d = await s.deployments.get(name);
      return { status: { ...(await s.serving.status(d.name)), draining: s.serving.isDraining } };
    },
  );
}
