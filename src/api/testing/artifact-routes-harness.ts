import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { LocalArtifactStore } from '../../artifacts/index.js';
import { clientErrorHandler, installErrorHandler } from '../error-handler.js';
import { installJsonParser } from '../lenient-json.js';
import { type ArtifactRouteOptions, registerArtifactRoutes } from '../mlflow/artifact-routes.js';

/** Test-only: a fastify app set up as `createApp` sets it up (error mapper, lenient JSON for every content type),
 * with only the artifact routes and one JSON echo route, over a LocalArtifactStore in a temp directory. */
export class ArtifactApp {
  private constructor(
    readonly app: FastifyInstance,
    readonly store: LocalArtifactStore,
    /** Temp directory holding `artifacts/` (the store's root) and whatever a test puts next to it. */
    readonly base: string,
  ) {}

  get root(): string {
    return this.store.root;
  }

  static async start(opts: { bodyLimit?: number; routes?: ArtifactRouteOptions } = {}): Promise<ArtifactApp> {
    const base = mkdtempSync(path.join(os.tmpdir(), 'pitwall-artifact-routes-'));
    mkdirSync(path.join(base, 'artifacts'));
    const store = await LocalArtifactStore.open(path.join(base, 'artifacts'));
    const app = Fastify({ logger: { level: 'error' }, bodyLimit: opts.bodyLimit ?? 32 * 1024 * 1024, clientErrorHandler });
    installErrorHandler(app);
    installJsonParser(app);
    registerArtifactRoutes(app, store, opts.routes);
    app.post('/api/2.0/mlflow/echo', async (req) => ({ got: req.body }));
    await app.ready();
    return new ArtifactApp(app, store, base);
  }

  /** Listens on a free loopback port and returns its origin. */
  async listen(): Promise<string> {
    await this.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = this.app.server.address() as net.AddressInfo;
    return `http://127.0.0.1:${addr.port}`;
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.store.close();
    rmSync(this.base, { recursive: true, force: true });
  }
}

export interface RawAnswer {
  status: number;
  headers: string;
  body: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * Sends one request with the request target exactly as given (no client-side normalisation of `..`, `%2e`, `#` or
 * `\`, which fetch and `inject` would do) over a plain socket, and reads the whole answer.
 */
export async function rawRequest(origin: string, method: string, target: string, body = ''): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  const text: string = await new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), hostname, () => {
      sock.write(`${method} ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
    let data = '';
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => (data += d));
    sock.on('end', () => resolve(data));
    sock.on('error', reject);
  });
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/u.exec(head)?.[1] ?? 0);
  const rawBody = rest.join('\r\n\r\n');
  const chunked = /transfer-encoding: chunked/iu.test(head);
  const bodyText = chunked ? dechunk(rawBody) : rawBody;
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    json = undefined;
  }
  return { status, headers: head, body: bodyText, json };
}

function dechunk(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const eol = s.indexOf('\r\n', i);
    const size = parseInt(s.slice(i, eol), 16);
    if (!size) break;
    out += s.slice(eol + 2, eol + 2 + size);
    i = eol + 2 + size + 2;
  }
  return out;
}
