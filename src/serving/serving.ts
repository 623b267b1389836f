import path from 'node:path';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { AppError } from '../core/errors/index.js';
import type { ServingConfig } from '../config/config.js';
import type { ChangeEvent } from '../store/changes/index.js';
import type { Deployment, DeploymentConfig, DeploymentTarget, ModelVersion, Store } from '../store/index.js';
import { DeploymentRuntime, type DeploymentStatus } from './deployment-runtime.js';
import { servableFlavor } from './deployment-service.js';
import { GgufEngine } from './llm/gguf-engine.js';
import type { LlmInfo } from './llm/llm-engine.js';
import { type Lease, ModelCache } from './model-cache.js';
import { localModelFile } from './model-file.js';
import { OnnxEngine } from './onnx/onnx-engine.js';
import { ServedModel } from './served-model.js';
import { UpstreamEngine } from './upstream/upstream-engine.js';

export interface ServingOptions {
  store: Store;
  artifacts: ArtifactStore;
  config: ServingConfig;
  /** Where models from a remote artifact store are downloaded to (`<dataDir>/model-cache`). */
  cacheDir: string;
  /**
   * The deployments to serve: those in the store (default, kept in sync through the change feed), or a fixed list
   * (`pitwall serve models:/…` serves one without storing it).
   */
  deployments?: Deployment[];
  /** How often aliases and the deployment list are re-read besides the change feed (ms; default 5000). */
  pollMs?: number;
  log?: (msg: string) => void;
}

/**
 * Everything this process serves: one runtime per deployment, the shared model cache under the memory budget, and
 * the admission rules that do not belong to one deployment (draining on shutdown). Kept in line with the store by
 * its change feed (deployment edits, alias moves, version and model deletes; a resync re-reads everything) and by
 * a slow poll, which also covers processes whose feed cannot hear others (SQLite across processes).
 */
export class Serving {
  private readonly runtimes = new Map<string, DeploymentRuntime>();
  readonly cache: ModelCache;
  private unsubscribe: (() => void) | undefined;
  private poll: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private idle: (() => void)[] = [];
  private draining = false;
  private closed = false;
  private syncing: Promise<void> | undefined;
  /** Runtimes removed and still finishing their requests or loads; `close` waits for them. */
  private readonly stopping = new Set<Promise<void>>();

  constructor(private readonly opts: ServingOptions) {
    this.cache = new ModelCache({ budgetBytes: opts.config.modelMemoryMb * 1024 * 1024, maxParallelLoads: opts.config.maxParallelLoads });
  }

  private get fixed(): boolean {
    return this.opts.deployments !== undefined;
  }

  /** Starts serving every deployment (loads run in the background: readiness says when they are done). */
  async start(): Promise<void> {
    if (!this.fixed) this.unsubscribe = this.opts.store.changes.subscribe((e) => this.onChange(e));
    await this.syncAll();
    this.poll = setInterval(() => void this.syncAll().catch((e: unknown) => this.log(`serving: sync failed: ${String(e)}`)), this.opts.pollMs ?? 5_000);
    this.poll.unref();
  }

  /** Resolves once every deployment known now has finished its current load attempt. */
  async settled(): Promise<void> {
    await this.syncing;
    await Promise.all([...this.runtimes.values()].map((r) => r.sync()));
  }

  private log(msg: string): void {
    (this.opts.log ?? ((m: string) => process.stderr.write(`${m}\n`)))(msg);
  }

  private loader = {
    connect: (name: string, config: DeploymentConfig) => this.connect(name, config),
    resolve: (t: DeploymentTarget): Promise<ModelVersion> =>
      t.version !== undefined ? this.opts.store.registry.getVersion(t.model, t.version) : this.opts.store.registry.getVersionByAlias(t.model, t.alias!),
    load: async (v: ModelVersion, config: DeploymentConfig): Promise<ServedModel> => {
      const started = performance.now();
      const local = await localModelFile(this.opts.artifacts, v, this.opts.cacheDir);
      const flavor = servableFlavor(v, 'model');
      let key: string;
      let lease: Lease;
      if (flavor === 'gguf') {
        // One engine per model file and settings: its slots and queue are shared by deployments that agree on them.
        // Queue bound and deadline come with each request (the deployment's), so editing them never reloads the model.
        const o = { parallel: config.parallel, contextSize: config.contextSize, threads: config.threads, kvCacheMb: config.kvCacheMb };
        key = `${local.sha256}|gguf|${Object.values(o).join('|')}`;
        lease = await this.cache.acquire(key, () => GgufEngine.load(local.file, { ...o, maxQueue: config.maxQueue, timeoutMs: config.timeoutMs }));
      } else {
        key = `${local.sha256}|intra=${config.intraOpThreads}|inter=${config.interOpThreads}`;
        lease = await this.cache.acquire(key, () => OnnxEngine.load(local.file, { intraOpThreads: config.intraOpThreads, interOpThreads: config.interOpThreads }));
      }
      const served = new ServedModel(lease, { model: v.name, version: v.version, cacheKey: key, config });
      try {
        await served.warmUp();
      } catch (e) {
        await served.retire();
        throw new AppError('INVALID_PARAMETER_VALUE', `The warm-up inference of model '${v.name}' version ${v.version} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      served.loadSeconds = (performance.now() - started) / 1000;
      return served;
    },
  };

  /** An upstream from the admin configuration, shared (one connection pool, one health check) by the deployments naming it. */
  private async connect(name: string, config: DeploymentConfig): Promise<ServedModel> {
    const cfg = this.opts.config.upstreams[name];
    if (!cfg) throw new AppError('INVALID_PARAMETER_VALUE', `No upstream named '${name}' in this server's configuration (serving.upstreams)`, { field: 'upstream' });
    const key = `upstream|${name}`;
    const lease = await this.cache.acquire(key, () => UpstreamEngine.connect(name, cfg, { log: (_level, m) => this.log(`serving: ${m}`) }));
    return new ServedModel(lease, { model: '', version: '', upstream: name, cacheKey: key, config });
  }

  private async listDeployments(): Promise<Deployment[]> {
    if (this.opts.deployments) return this.opts.deployments;
    const all: Deployment[] = [];
    for (let offset = 0; ; ) {
      const page = await this.opts.store.deployments.list({ maxResults: 1000, offset });
      all.push(...page.items);
      if (page.nextOffset === undefined) return all;
      offset = page.nextOffset;
    }
  }

  /** Re-reads the deployment list; starts, updates and stops runtimes to match; re-resolves followed aliases. */
  syncAll(): Promise<void> {
    this.syncing ??= (async () => {
      try {
        const records = await this.listDeployments();
        if (this.closed) return;
        const names = new Set(records.map((d) => d.name));
        for (const [name, rt] of this.runtimes) if (!names.has(name)) this.remove(name, rt);
        for (const d of records) {
          const rt = this.runtimes.get(d.name);
          if (!rt) this.add(d);
          else if (d.createdAt !== rt.record.createdAt) this.replace(rt, d);
          else if (d.revision !== rt.record.revision || rt.needsPolling) void rt.sync(d);
        }
      } finally {
        this.syncing = undefined;
      }
    })();
    return this.syncing;
  }

  private add(d: Deployment): DeploymentRuntime {
    const rt = new DeploymentRuntime(d, this.loader);
    this.runtimes.set(d.name, rt);
    void rt.sync().then(
      () => {
        const failed = rt.status().targets.find((t) => t.error);
        if (failed) this.log(`serving: deployment '${d.name}': ${String(failed.error)}`);
      },
      () => undefined,
    );
    return rt;
  }

  private remove(name: string, rt: DeploymentRuntime): void {
    if (this.runtimes.get(name) === rt) this.runtimes.delete(name);
    const done: Promise<void> = rt.stop().finally(() => this.stopping.delete(done));
    this.stopping.add(done);
  }

  /** A deployment deleted and created again under the same name (its revisions restart at 1): a new runtime. */
  private replace(rt: DeploymentRuntime, d: Deployment): void {
    this.remove(d.name, rt);
    this.add(d);
  }

  private onChange(e: ChangeEvent): void {
    if (this.closed) return;
    if (e.entity === 'resync') {
      void this.syncAll().catch(() => undefined);
      return;
    }
    if (e.entity === 'deployment') {
      void this.refresh(e.name).catch((err: unknown) => this.log(`serving: cannot re-read deployment '${e.name}': ${String(err)}`));
      return;
    }
    // Registry changes: re-resolve deployments whose targets name that model.
    const model = e.name;
    for (const rt of this.runtimes.values()) {
      if (rt.record.targets.some((t) => t.model === model || (e.entity === 'registered_model' && t.model === e.newName))) void rt.sync();
    }
  }

  /** Re-reads one deployment after a change: started, updated, or stopped when it is gone. */
  private async refresh(name: string): Promise<void> {
    let d: Deployment | undefined;
    try {
      d = await this.opts.store.deployments.get(name);
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'RESOURCE_DOES_NOT_EXIST')) throw e;
    }
    if (this.closed) return;
    const rt = this.runtimes.get(name);
    if (!d) {
      if (rt) this.remove(name, rt);
      return;
    }
    if (!rt) this.add(d);
    else if (d.createdAt !== rt.record.createdAt) this.replace(rt, d);
    else await rt.sync(d);
  }

  private async runtime(name: string): Promise<DeploymentRuntime> {
    const rt = this.runtimes.get(name);
    if (rt) return rt;
    if (!this.fixed) {
      // Created through another process a moment ago, its change not heard yet: start it now.
      const d = await this.opts.store.deployments.get(name).catch((e: unknown) => {
        if (e instanceof AppError && e.code === 'RESOURCE_DOES_NOT_EXIST') return undefined;
        throw e;
      });
      if (d && !this.closed) return this.runtimes.get(name) ?? this.add(d);
    }
    throw new AppError('RESOURCE_DOES_NOT_EXIST', `No deployment named '${name}'`, { field: 'name' });
  }

  /**
   * Runs `fn` with the model a request to deployment `name` (optionally a given `version`) goes to. The model cannot
   * be swapped out or unloaded until `fn` settles. 503 while draining or while the deployment is not ready; 404 for
   * an unknown deployment.
   */
  async withModel<T>(name: string, version: string | undefined, fn: (m: ServedModel) => Promise<T>): Promise<T> {
    if (this.draining || this.closed) throw new AppError('TEMPORARILY_UNAVAILABLE', 'The server is shutting down; retry on another replica');
    const rt = await this.runtime(name);
    const m = rt.pick(version);
    m.enter();
    this.inFlight++;
    try {
      return await fn(m);
    } finally {
      m.leave();
      this.inFlight--;
      if (this.inFlight === 0) for (const r of this.idle.splice(0)) r();
    }
  }

  /**
   * Cheap admission before a request body is even read: the 429 when every target of the deployment has a full
   * queue (or a 503 while draining). Refusing that early keeps refusals fast when the process is overloaded.
   */
  admissionError(name: string): Error | undefined {
    return this.drainingError() ?? this.runtimes.get(name)?.refusalIfSaturated();
  }

  /** The 503 for any request while the server drains or has closed. */
  drainingError(): Error | undefined {
    if (this.draining || this.closed) return new AppError('TEMPORARILY_UNAVAILABLE', 'The server is shutting down; retry on another replica');
    return undefined;
  }

  has(name: string): boolean {
    return this.runtimes.has(name);
  }

  /** A deployment's readiness: loaded and warmed up, and this process not draining. */
  async isReady(name: string): Promise<boolean> {
    const rt = await this.runtime(name);
    return !this.draining && rt.ready;
  }

  /** The whole process is ready when it is not draining and every deployment is. */
  get ready(): boolean {
    return !this.draining && !this.closed && [...this.runtimes.values()].every((r) => r.ready);
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async status(name: string): Promise<DeploymentStatus> {
    const rt = await this.runtime(name);
    return { ...rt.status(), ready: rt.ready && !this.draining };
  }

  /** Every version loaded now, with its deployment (what the metrics export reads). */
  loaded(): { deployment: string; served: ServedModel }[] {
    return [...this.runtimes].flatMap(([deployment, rt]) => rt.loaded().map((served) => ({ deployment, served })));
  }

  /** A deployment's config as stored now (cost model, log sampling), or undefined when it is not served here. */
  configOf(name: string): DeploymentConfig | undefined {
    return this.runtimes.get(name)?.record.config;
  }

  names(): string[] {
    return [...this.runtimes.keys()].sort();
  }

  /** The deployments that generate text and can answer here (in-process GGUF or upstream), for `/v1/models`. */
  llmModels(): { name: string; createdAt: number; kind: 'gguf' | 'upstream'; info?: LlmInfo }[] {
    const out: { name: string; createdAt: number; kind: 'gguf' | 'upstream'; info?: LlmInfo }[] = [];
    for (const [name, rt] of [...this.runtimes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const m = rt.served().find((x) => x.llm || x.upstream);
      if (m?.llm) out.push({ name, createdAt: rt.record.createdAt, kind: 'gguf', info: m.llm.info });
      else if (m) out.push({ name, createdAt: rt.record.createdAt, kind: 'upstream' });
    }
    return out;
  }

  /**
   * Stops taking new requests (readiness false, 503) and waits for the ones in flight, at most `graceMs`. Resolves
   * with how many were still running when the grace period ended (0 when all finished).
   */
  async drain(graceMs: number): Promise<number> {
    this.draining = true;
    if (this.inFlight === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((r) => this.idle.push(r)), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    return this.inFlight;
  }

  /**
   * Past the drain grace period: every queued or running request is answered 503 now, so that shutdown does not wait
   * for deadlines that may be far away.
   */
  abortInFlight(): void {
    const error = new AppError('TEMPORARILY_UNAVAILABLE', 'The server shut down before this request could be answered; retry on another replica');
    for (const rt of this.runtimes.values()) rt.abort(error);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.draining = true;
    clearInterval(this.poll);
    this.unsubscribe?.();
    await this.syncing?.catch(() => undefined);
    for (const [name, rt] of [...this.runtimes]) this.remove(name, rt);
    await Promise.all([...this.stopping]);
    await this.cache.close();
  }
}

/** Where a server keeps models downloaded from a remote artifact store. */
export const modelCacheDir = (dataDir: string) => path.join(dataDir, 'model-cache');
