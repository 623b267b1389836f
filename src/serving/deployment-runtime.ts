import { AppError } from '../core/errors/index.js';
import { type Deployment, type DeploymentConfig, type DeploymentTarget, MONITORING_CONFIG_KEYS, type ModelVersion } from '../store/index.js';
import { servableFlavor } from './deployment-service.js';
import type { ServedModel } from './served-model.js';

/** How a runtime finds and loads models; `Serving` provides it. */
export interface ModelLoader {
  /** The version a target names now (an alias is looked up each time). */
  resolve(target: DeploymentTarget): Promise<ModelVersion>;
  /** Loads (or borrows from the cache), builds its batcher, and runs a warm-up inference. */
  load(version: ModelVersion, config: DeploymentConfig): Promise<ServedModel>;
  /** Connects to (or borrows) the configured upstream `name`, health-checked. */
  connect(upstream: string, config: DeploymentConfig): Promise<ServedModel>;
}

export type TargetState = 'loading' | 'ready' | 'failed';

interface Slot {
  target: DeploymentTarget;
  current?: ServedModel | undefined;
  state: TargetState;
  /** Why the last load or lookup failed; cleared by the next success. */
  error?: string | undefined;
  /** When the target last failed, so retries back off. */
  failedAt?: number | undefined;
}

const sameTarget = (a: DeploymentTarget, b: DeploymentTarget) => a.model === b.model && a.version === b.version && a.alias === b.alias && a.upstream === b.upstream;
/** Whether a loaded version can keep serving under config `b`: the fields that only change monitoring do not count. */
const sameConfig = (a: DeploymentConfig, b: DeploymentConfig) =>
  (Object.keys(a) as (keyof DeploymentConfig)[]).every((k) => a[k] === b[k] || MONITORING_CONFIG_KEYS.includes(k));
const RETRY_FAILED_MS = 5_000;

/**
 * One deployment in this process: per target, the version being served. `sync` brings it in line with the record
 * and the registry: a target whose alias moved (or whose config changed) gets the new version loaded and warmed up
 * beside the old one, then swapped in; the old one finishes the requests it has and is then released. A version that
 * fails to load or resolve leaves the old one serving (the failure shows in `status`). Syncs run one at a time.
 */
export class DeploymentRuntime {
  private slots: Slot[] = [];
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  /** The revision of the record the last finished sync applied (0 before the first). */
  private applied = 0;

  constructor(
    public record: Deployment,
    private readonly loader: ModelLoader,
  ) {
    this.slots = record.targets.map((target) => ({ target, state: 'loading' }));
  }

  get name(): string {
    return this.record.name;
  }

  /** Ready when every target serves a loaded, warmed-up version. */
  get ready(): boolean {
    return !this.stopped && this.slots.length > 0 && this.slots.every((s) => s.current?.healthy);
  }

  /** Whether a sync could change something without a new record: an alias may move, a failed load may succeed. */
  get needsPolling(): boolean {
    return this.slots.some((s) => s.target.alias !== undefined || !s.current?.healthy);
  }

  /** Queues a sync against `record` (or the current one, to re-read aliases); resolves when it has run. */
  sync(record: Deployment = this.record): Promise<void> {
    if (record.revision >= this.record.revision) this.record = record;
    const run = this.chain.then(() => this.reconcile());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    const record = this.record;
    const next: Slot[] = record.targets.map((target) => {
      const old = this.slots.find((s) => sameTarget(s.target, target));
      return old ? { ...old, target } : { target, state: 'loading' };
    });
    const dropped = this.slots.filter((s) => !next.some((n) => sameTarget(n.target, s.target)));
    this.slots = next;
    for (const s of dropped) void s.current?.retire();
    const edited = record.revision !== this.applied;
    for (const slot of next) {
      if (this.stopped) return;
      // A failed target is retried at most every few seconds by polls, but at once when the deployment was edited.
      if (!edited && !slot.current && slot.failedAt && Date.now() - slot.failedAt < RETRY_FAILED_MS) continue;
      await this.syncSlot(slot, record.config);
    }
    this.applied = record.revision;
  }

  private async syncSlot(slot: Slot, config: DeploymentConfig): Promise<void> {
    let loaded: ServedModel | undefined;
    try {
      const cur = slot.current;
      const upstream = slot.target.upstream;
      if (upstream !== undefined) {
        if (cur && !cur.failed && sameConfig(cur.info.config, config)) return;
        if (!cur) slot.state = 'loading';
        loaded = await this.loader.connect(upstream, config);
      } else {
        const version = await this.loader.resolve(slot.target);
        servableFlavor(version, 'model');
        if (cur && !cur.failed && cur.info.model === version.name && cur.info.version === version.version && sameConfig(cur.info.config, config)) {
          slot.error = undefined;
          return;
        }
        if (!cur) slot.state = 'loading';
        loaded = await this.loader.load(version, config);
      }
    } catch (e) {
      slot.error = e instanceof Error ? e.message : String(e);
      slot.failedAt = Date.now();
      if (!slot.current) slot.state = 'failed';
      return;
    }
    if (this.stopped || !this.slots.includes(slot)) {
      await loaded.retire();
      return;
    }
    const old = slot.current;
    slot.current = loaded;
    slot.state = 'ready';
    slot.error = undefined;
    slot.failedAt = undefined;
    void old?.retire();
  }

  /**
   * The model a request goes to: the target serving `version` when one is asked for, else a ready target drawn by
   * weight. 503 while nothing is loaded yet; 404 for a version this deployment does not serve.
   */
  pick(version?: string): ServedModel {
    const live = this.slots.filter((s): s is Slot & { current: ServedModel } => !!s.current?.healthy);
    if (version !== undefined) {
      const hit = live.find((s) => s.current.info.version === version);
      if (hit) return hit.current;
      // A target still loading may be about to serve it: not ready yet, rather than not found.
      if (live.length < this.slots.length) throw new AppError('TEMPORARILY_UNAVAILABLE', `Deployment '${this.name}' is not ready: a target is loading`);
      const serving = live.map((s) => s.current.info.version).join(', ');
      throw new AppError('RESOURCE_DOES_NOT_EXIST', `Deployment '${this.name}' does not serve version ${version} (serving: ${serving})`, { field: 'version' });
    }
    if (live.length === 0) {
      const failed = this.slots.find((s) => s.error);
      const down = this.slots.find((s) => s.current?.upstream && !s.current.healthy);
      const why = failed ? `loading failed: ${failed.error}` : down ? `upstream ${down.target.upstream} is failing its health checks` : 'its model is loading';
      throw new AppError('TEMPORARILY_UNAVAILABLE', `Deployment '${this.name}' is not ready: ${why}`);
    }
    if (live.length === 1) return live[0]!.current;
    let r = Math.random() * live.reduce((n, s) => n + s.target.weight, 0);
    for (const s of live) {
      r -= s.target.weight;
      if (r < 0) return s.current;
    }
    return live[live.length - 1]!.current;
  }

  /** The versions loaded now, healthy or not. */
  loaded(): ServedModel[] {
    return this.slots.flatMap((s) => (s.current ? [s.current] : []));
  }

  /** The versions loaded and able to serve now. */
  served(): ServedModel[] {
    return this.slots.flatMap((s) => (s.current?.healthy ? [s.current] : []));
  }

  /** The 429 for a request arriving while every target's queue is full; undefined when one has room. */
  refusalIfSaturated(): Error | undefined {
    const live = this.slots.filter((s) => s.current);
    if (live.length === 0 || live.some((s) => !s.current!.full)) return undefined;
    return live[0]!.current!.refusalIfFull();
  }

  status(): DeploymentStatus {
    return {
      name: this.name,
      ready: this.ready,
      // What the targets below reflect: a newer record may be waiting for its sync (its version loading) meanwhile.
      revision: this.applied,
      targets: this.slots.map((s) => {
        const m = s.current;
        return {
          ...(s.target.upstream !== undefined
            ? { upstream: s.target.upstream }
            : { model: s.target.model, ...(s.target.alias !== undefined ? { alias: s.target.alias } : { version: s.target.version! }) }),
          weight: s.target.weight,
          state: s.state,
          ...(s.error ? { error: s.error } : {}),
          ...(m
            ? {
                ...(m.upstream ? { available: m.upstream.available } : { served_version: m.info.version }),
                loaded_at: m.loadedAt,
                memory_bytes: m.memoryBytes,
                in_flight: m.inFlight,
                ...targetLoad(m),
              }
            : {}),
        };
      }),
    };
  }

  /** Answers every queued or running request with `error` now (shutdown past its grace period). */
  abort(error: AppError): void {
    for (const s of this.slots) s.current?.abort(error);
  }

  /** Stops taking part: every loaded version is retired once its requests finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.chain;
    const all = this.slots.map((s) => s.current?.retire());
    this.slots = [];
    await Promise.all(all);
  }
}

/** How a target's load is reported: its batch queue (tensor models), or slots, tokens and latencies (LLMs). */
function targetLoad(m: ServedModel): Record<string, unknown> {
  const llm = m.llm;
  const up = m.upstream;
  if (!llm && !up) return { batching: m.engine.capabilities.batching, queue: { ...m.stats(), capacity: m.info.config.maxQueue } };
  const s = m.meter!.snapshot();
  const times = (t: { p50?: number; p95?: number; mean?: number }) => ({ ...(t.p50 !== undefined ? { p50: t.p50, p95: t.p95, mean: t.mean } : {}) });
  const facts = llm
    ? { architecture: llm.info.architecture, context_size: llm.info.contextSize, train_context_size: llm.info.trainContextSize, chat_template: llm.info.chatTemplate, threads: llm.info.threads }
    : { upstream_model: up!.info.model };
  return {
    batching: llm ? 'continuous' : 'upstream',
    llm: {
      ...facts,
      slots: s.slots,
      slots_in_use: s.slotsInUse,
      queued: s.queued,
      queue_capacity: llm ? m.info.config.maxQueue : up!.info.maxQueue,
      requests: s.requests,
      rejected: s.rejected,
      finished: s.finished,
      prompt_tokens: s.promptTokens,
      generation_tokens: s.generationTokens,
      cached_prompt_tokens: s.cachedPromptTokens,
      time_to_first_token_seconds: times(s.ttftSeconds),
      time_per_output_token_seconds: times(s.tpotSeconds),
      queue_time_seconds: times(s.queueSeconds),
      e2e_latency_seconds: times(s.e2eSeconds),
    },
  };
}

export interface DeploymentStatus {
  name: string;
  ready: boolean;
  revision: number;
  targets: Record<string, unknown>[];
}
