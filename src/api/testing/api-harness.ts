import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type ConfigInput, loadConfig } from '../../config/index.js';
import { buildServer } from '../../server.js';
import type { SqlStore } from '../../store/index.js';

/** Query values: a list repeats the key (`run_ids=a&run_ids=b`), as MLflow's GET requests do. */
export type Query = Record<string, string | number | (string | number)[]>;

export interface Answer {
  status: number;
  body: string;
  /** Parsed JSON body; undefined when the body is not JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  contentType: string;
}

export function queryString(q: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) for (const item of Array.isArray(v) ? v : [v]) p.append(k, String(item));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * A whole Pitwall server in-process (SQLite in memory, no socket): requests go through `app.inject`. The config
 * ignores the environment so a developer's PITWALL_* variables cannot change what the tests see.
 */
export class ApiHarness {
  private constructor(
    readonly app: FastifyInstance,
    readonly store: SqlStore,
    /** A fresh data directory; artifacts live under `<dataDir>/artifacts`. Removed on close. */
    readonly dataDir: string,
  ) {}

  /** `serving`: extra serving settings (upstream servers, say); `monitoring`: prediction-log settings. */
  static async start(serving: ConfigInput['serving'] = {}, monitoring: ConfigInput['monitoring'] = {}): Promise<ApiHarness> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-api-'));
    const { app, store } = await buildServer(loadConfig({ dataDir, store: { uri: 'sqlite::memory:' }, log: { level: 'error' }, serving, monitoring }, {}));
    return new ApiHarness(app, store, dataDir);
  }

  async close(): Promise<void> {
    await this.app.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Sends `body` as JSON (a string is sent as is, for malformed bodies). */
  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      ...(payload === undefined ? {} : { payload, headers: { 'content-type': 'application/json', ...headers } }),
      ...(payload === undefined && Object.keys(headers).length ? { headers } : {}),
    });
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, body: res.body, json, contentType: String(res.headers['content-type'] ?? '') };
  }

  post(path: string, body?: unknown, prefix = '/api/2.0/mlflow'): Promise<Answer> {
    return this.request('POST', `${prefix}${path}`, body);
  }

  get(path: string, query: Query = {}, prefix = '/api/2.0/mlflow'): Promise<Answer> {
    return this.request('GET', `${prefix}${path}${queryString(query)}`);
  }

  /** POST that must succeed; returns the JSON body. */
  async ok(path: string, body?: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const a = await this.post(path, body);
    assert.equal(a.status, 200, `${path} → ${a.status} ${a.body}`);
    return a.json;
  }

  /** GET that must succeed; returns the JSON body. */
  async okGet(path: string, query: Query = {}): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const a = await this.get(path, query);
    assert.equal(a.status, 200, `${path} → ${a.status} ${a.body}`);
    return a.json;
  }

  async createExperiment(name: string): Promise<string> {
    return (await this.ok('/experiments/create', { name })).experiment_id as string;
  }

  async createRun(experimentId: string, extra: Record<string, unknown> = {}): Promise<string> {
    return (await this.ok('/runs/create', { experiment_id: experimentId, ...extra })).run.info.run_id as string;
  }

  /** Uploads `file` as a new version of registered model `model` (created when new); returns the version. */
  async registerFile(model: string, file: string): Promise<string> {
    const dir = `models-under-test/${model}/${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const res = await this.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${dir}/${path.basename(file)}`, payload: readFileSync(file), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(res.statusCode, 200, res.body);
    await this.post('/registered-models/create', { name: model });
    return (await this.ok('/model-versions/create', { name: model, source: `mlflow-artifacts:/${dir}` })).model_version.version as string;
  }

  /** Creates a deployment (`body` as `POST /api/v1/deployments` takes it) and waits until it is ready. */
  async deploy(body: Record<string, unknown>): Promise<void> {
    const created = await this.request('POST', '/api/v1/deployments', body);
    assert.equal(created.status, 200, created.body);
    for (let i = 0; i < 800; i++) {
      const st = await this.request('GET', `/api/v1/deployments/${String(body.name)}/status`);
      const failed = st.json.status.targets.find((t: { state: string }) => t.state === 'failed');
      assert.equal(failed, undefined, `deployment ${String(body.name)} failed: ${JSON.stringify(failed)}`);
      if (st.json.status.ready) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`deployment ${String(body.name)} never became ready`);
  }
}

/** Asserts an MLflow error answer: status, error_code, a message, and (when given) the field at fault. */
export function assertError(a: Answer, status: number, code: string, field?: string | RegExp): void {
  assert.equal(a.status, status, `expected ${status} ${code}, got ${a.status} ${a.body.slice(0, 500)}`);
  assert.match(a.contentType, /application\/json/);
  assert.equal(a.json?.error_code, code, a.body.slice(0, 500));
  assert.equal(typeof a.json.message, 'string');
  assert.ok(a.json.message.length > 0);
  if (field !== undefined) {
    assert.equal(typeof a.json.field, 'string', `no field in ${a.body.slice(0, 300)}`);
    if (typeof field === 'string') assert.equal(a.json.field, field, a.body.slice(0, 300));
    else assert.match(a.json.field, field, a.body.slice(0, 300));
  }
}
