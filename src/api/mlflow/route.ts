import type { TObject } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify';
import { invalidParam } from '../../core/errors/index.js';

export type MlflowRequest = Record<string, unknown>;

export interface MlflowRouteDoc {
  summary: string;
  tags: string[];
  /** The request's fields: the query string for GET, the JSON body otherwise. Validated before the handler. */
  request: TObject;
}

/**
 * Registers one MLflow RPC at `/api/<major>.0/mlflow<path>` and its UI mirror `/ajax-api/<major>.0/mlflow<path>`.
 * GET reads the query string (repeated keys become lists); other verbs read the JSON body merged over the query.
 * A request without a body is `{}`, so RPCs whose fields are all optional need none.
 */
export function mlflowRoute(
  app: FastifyInstance,
  method: HTTPMethods,
  path: string,
  doc: MlflowRouteDoc,
  handler: (req: MlflowRequest, raw: FastifyRequest) => Promise<unknown>,
  major = 2,
): void {
  for (const prefix of [`/api/${major}.0/mlflow`, `/ajax-api/${major}.0/mlflow`]) {
    const schema = method === 'GET' ? { querystring: doc.request } : { body: doc.request };
    app.route({
      method,
      url: `${prefix}${path}`,
      schema: { summary: doc.summary, tags: doc.tags, ...schema, hide: prefix.startsWith('/ajax-api') },
      preValidation: async (request) => {
        if (method !== 'GET' && request.body === undefined) request.body = {};
        if (request.body !== null && request.body !== undefined && (typeof request.body !== 'object' || Array.isArray(request.body))) {
          throw invalidParam('Request body must be a JSON object', 'body');
        }
      },
      handler: async (request, reply) => {
        const input = { ...((request.query ?? {}) as MlflowRequest), ...((request.body as MlflowRequest | null | undefined) ?? {}) };
        const out = await handler(input, request);
        return reply.type('application/json').send(out ?? {});
      },
    });
  }
}
