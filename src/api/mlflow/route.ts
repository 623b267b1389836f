import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify';
import { invalidParam } from '../../core/errors/index.js';

export type MlflowRequest = Record<string, unknown>;

export interface MlflowRouteDoc {
  summary: string;
  tags: string[];
  /** Field names and one-line descriptions, shown in the OpenAPI document. */
  fields?: Record<string, string>;
}

/**
 * Registers one MLflow RPC at `/api/<major>.0/mlflow<path>` and its UI mirror `/ajax-api/<major>.0/mlflow<path>`.
 * GET reads the query string (repeated keys become lists); other verbs read the JSON body merged over the query.
 */
export function mlflowRoute(
  app: FastifyInstance,
  method: HTTPMethods,
  path: string,
  doc: MlflowRouteDoc,
  handler: (req: MlflowRequest, raw: FastifyRequest) => Promise<unknown>,
  major = 2,
): void {
  const props = Object.fromEntries(Object.entries(doc.fields ?? {}).map(([k, d]) => [k, { description: d }]));
  for (const prefix of [`/api/${major}.0/mlflow`, `/ajax-api/${major}.0/mlflow`]) {
    const schema =
      method === 'GET'
        ? { summary: doc.summary, tags: doc.tags, querystring: { type: 'object', properties: props } }
        : { summary: doc.summary, tags: doc.tags, body: { type: 'object', properties: props } };
    app.route({
      method,
      url: `${prefix}${path}`,
      schema: { ...schema, hide: prefix.startsWith('/ajax-api') },
      handler: async (request, reply) => {
        const query = (request.query ?? {}) as MlflowRequest;
        const body = request.body;
        if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
          throw invalidParam('Request body must be a JSON object', 'body');
        }
        const input = { ...query, ...((body as MlflowRequest | undefined) ?? {}) };
        const out = await handler(input, request);
        return reply.type('application/json').send(out ?? {});
      },
    });
  }
}
