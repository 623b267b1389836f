import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test helper: a real HTTP server standing in for Pitwall, answering what the test's routes say and recording every
 * request. It checks how clients encode requests and decode answers; it knows nothing of tracking semantics.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (undefined when there was none; the text when it is not JSON). */
  body: unknown;
  /** The body's bytes as received. */
  raw: Buffer;
}

export interface FakeResponse {
  status?: number;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent verbatim (wins over `json`). */
  text?: string;
  /** Sent verbatim as application/octet-stream (wins over `text`). */
  bytes?: Uint8Array;
  contentType?: string;
}

/**
 * Routes keyed `"METHOD /path"`, or `"METHOD /prefix/*"` for every path below a prefix; a function answers
 * dynamically. Unknown routes get MLflow's 404 error shape.
 */
export type FakeRoutes = Record<string, FakeResponse | ((req: RecordedRequest) => FakeResponse)>;

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** Requests to one route, in arrival order. */
  calls(route: string): RecordedRequest[];
  close(): Promise<void>;
}

function prefixRoute(routes: FakeRoutes, rec: RecordedRequest): FakeRoutes[string] | undefined {
  let best: string | undefined;
  for (const key of Object.keys(routes)) {
    if (!key.endsWith('/*') || !key.startsWith(`${rec.method} `)) continue;
    const prefix = key.slice(rec.method.length + 1, -1);
    if (rec.path.startsWith(prefix) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : routes[best];
}

export async function startFakeServer(routes: FakeRoutes): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        body = raw;
      }
      const rec: RecordedRequest = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, headers: req.headers, body, raw: Buffer.concat(chunks) };
      requests.push(rec);
      const route = routes[`${rec.method} ${rec.path}`] ?? prefixRoute(routes, rec);
      const answer: FakeResponse = route === undefined
        ? { status: 404, json: { error_code: 'ENDPOINT_NOT_FOUND', message: `no route ${rec.method} ${rec.path}` } }
        : typeof route === 'function' ? route(rec) : route;
      if (answer.bytes !== undefined) {
        res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'application/octet-stream', 'content-length': answer.bytes.byteLength });
        res.end(answer.bytes);
        return;
      }
      const text = answer.text ?? JSON.stringify(answer.json ?? {});
      res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? (answer.text === undefined ? 'application/json' : 'text/plain') });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    calls: (route) => requests.filter((r) => `${r.method} ${r.path}` === route),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
