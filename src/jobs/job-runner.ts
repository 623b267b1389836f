import type { JobContext, JobEvent, JobHandler } from './job-queue.js';

/** One attempt a worker has taken: what the storage needs to renew, complete, fail or release it. */
export interface Claim {
  id: string;
  name: string;
  data: unknown;
  /** Attempts started before this one (pg-boss's `retry_count`); with the id it names this attempt. */
  retryCount: number;
  retryLimit: number;
  expireInSeconds: number;
}

/** What the runner needs from a queue's storage (the dialect seam of the two implementations). */
export interface AttemptStore {
  claim(name: string, limit: number): Promise<Claim[]>;
  /** Renews the leases of these attempts; answers the ids still held (others were cancelled, or their lease lost). */
  renew(claims: Claim[]): Promise<Set<string>>;
  /** Records the output if the attempt is still held; false when it no longer was. */
  complete(claim: Claim, outputJson: string): Promise<boolean>;
  /** Records a failed attempt (→ retry or failed) if still held. */
  fail(claim: Claim, error: string): Promise<{ recorded: boolean; willRetry: boolean }>;
  /** Puts the job back without counting the attempt, if still held. */
  release(claim: Claim): Promise<void>;
  /** True when the job is cancelled (to tell a cancel from a lost lease). */
  isCancelled(id: string): Promise<boolean>;
}

type AbortReason = 'cancelled' | 'expired' | 'lost' | 'stopping';

interface Attempt {
  claim: Claim;
  loop: WorkerLoop;
  controller: AbortController;
  startedAt: number;
  /** Set once the outcome is recorded or the attempt given up: a late handler result is then ignored. */
  finished: boolean;
  /** Set once its concurrency slot is given back. */
  freed: boolean;
  settled: Promise<void>;
}

const MAX_ERROR_CHARS = 4000;

export function errorMessage(e: unknown): string {
  const msg = e instanceof Error ? (e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message) : String(e);
  return msg.length > MAX_ERROR_CHARS ? `${msg.slice(0, MAX_ERROR_CHARS)}…` : msg;
}

/** The handler's result as stored output: JSON, undefined as null. */
function outputJson(result: unknown): string {
  const json = JSON.stringify({ result: result === undefined ? null : result });
  if (json === undefined) throw new Error('the handler returned something that is not JSON');
  if (json.includes('\\u0000')) throw new Error('the handler output contains the NUL character');
  return json;
}

/** Polls one job name and runs its handler with bounded concurrency. */
export class WorkerLoop {
  running = 0;
  private wakeUp: (() => void) | undefined;
  private done: Promise<void> | undefined;
  private stopped = false;

  constructor(
    readonly name: string,
    readonly handler: JobHandler,
    readonly concurrency: number,
    private readonly runner: JobRunner,
  ) {}

  start(): void {
    this.done ??= this.run();
  }

  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.done;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const free = this.concurrency - this.running;
      let took = 0;
      if (free > 0) {
        try {
          const claims = await this.runner.store.claim(this.name, free);
          failures = 0;
          took = claims.length;
          for (const c of claims) this.runner.begin(this, c);
        } catch (e) {
          failures++;
          this.runner.emit({ type: 'error', message: `taking ${this.name} jobs failed: ${errorMessage(e)}` });
        }
        if (this.stopped) break;
        if (took > 0 && took === free) continue;
      }
      // Back off while the storage fails (up to 10 s); otherwise poll, or wake early on a local enqueue or a free slot.
      const wait = failures > 0 ? Math.min(10_000, this.runner.pollMs * 2 ** failures) : this.runner.pollMs;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        this.wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }
}

/**
 * Runs attempts: the handler with its AbortSignal, the per-attempt time limit, lease renewal (one batched statement
 * per heartbeat for all of this process's attempts), and recording the outcome through the storage.
 */
export class JobRunner {
  readonly active = new Map<string, Attempt>();
  private heartbeat: NodeJS.Timeout | undefined;
  private beating = false;

  constructor(
    readonly store: AttemptStore,
    readonly pollMs: number,
    private readonly heartbeatMs: number,
    readonly emit: (e: JobEvent) => void,
  ) {}

  startHeartbeat(): void {
    this.heartbeat ??= setInterval(() => void this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  begin(loop: WorkerLoop, claim: Claim): void {
    const controller = new AbortController();
    const attempt: Attempt = { claim, loop, controller, startedAt: Date.now(), finished: false, freed: false, settled: Promise.resolve() };
    this.active.set(claim.id, attempt);
    loop.running++;
    attempt.settled = this.execute(attempt);
  }

  private async execute(a: Attempt): Promise<void> {
    const { claim } = a;
    const attempt = claim.retryCount + 1;
    this.emit({ type: 'started', id: claim.id, name: claim.name, attempt });
    const limit = setTimeout(() => void this.expire(a), claim.expireInSeconds * 1000);
    limit.unref();
    const ctx: JobContext = { id: claim.id, name: claim.name, data: claim.data, attempt, retryLimit: claim.retryLimit, signal: a.controller.signal };
    let outcome: { ok: true; json: string } | { ok: false; error: string };
    try {
      const result = await a.loop.handler(ctx);
      outcome = { ok: true, json: outputJson(result) };
    } catch (e) {
      outcome = { ok: false, error: errorMessage(e) };
    } finally {
      clearTimeout(limit);
    }
    if (!a.finished) {
      a.finished = true;
      try {
        if (outcome.ok) {
          if (await this.store.complete(claim, outcome.json)) this.emit({ type: 'completed', id: claim.id, name: claim.name, attempt, ms: Date.now() - a.startedAt });
        } else {
          const r = await this.store.fail(claim, outcome.error);
          if (r.recorded) this.emit({ type: 'failed', id: claim.id, name: claim.name, attempt, error: outcome.error, willRetry: r.willRetry });
        }
      } catch (e) {
        // The lease runs out and the job is retried: at least once, never lost.
        this.emit({ type: 'error', message: `recording the outcome of job ${claim.id} failed: ${errorMessage(e)}` });
      }
    }
    this.free(a);
  }

  /** Frees the attempt's slot (once) and lets its loop take another job. */
  private free(a: Attempt): void {
    if (a.freed) return;
    a.freed = true;
    if (this.active.get(a.claim.id) === a) this.active.delete(a.claim.id);
    a.loop.running--;
    a.loop.wake();
  }

  /** The attempt ran past `expireInSeconds`: it fails (pg-boss's rule), its signal aborts, its slot is freed. */
  private async expire(a: Attempt): Promise<void> {
    if (a.finished) return;
    a.finished = true;
    const error = `the attempt ran longer than expireInSeconds (${a.claim.expireInSeconds} s)`;
    this.abort(a, 'expired');
    try {
      const r = await this.store.fail(a.claim, error);
      if (r.recorded) this.emit({ type: 'failed', id: a.claim.id, name: a.claim.name, attempt: a.claim.retryCount + 1, error, willRetry: r.willRetry });
    } catch (e) {
      this.emit({ type: 'error', message: `recording the expiry of job ${a.claim.id} failed: ${errorMessage(e)}` });
    }
    this.free(a);
  }

  private abort(a: Attempt, reason: AbortReason): void {
    if (a.controller.signal.aborted) return;
    const why: Record<AbortReason, string> = {
      cancelled: 'the job was cancelled',
      expired: `the attempt ran longer than expireInSeconds (${a.claim.expireInSeconds} s)`,
      lost: 'the worker lost its lease on the job (another worker may run it)',
      stopping: 'the worker is stopping; the job was released for another worker',
    };
    const err = new Error(why[reason]);
    err.name = 'AbortError';
    a.controller.abort(err);
    this.emit({ type: 'aborted', id: a.claim.id, name: a.claim.name, attempt: a.claim.retryCount + 1, reason: why[reason] });
  }

  /** A job this process runs was cancelled: abort its handler now; its outcome is ignored. */
  cancelled(id: string): void {
    const a = this.active.get(id);
    if (!a || a.finished) return;
    a.finished = true;
    this.abort(a, 'cancelled');
  }

  private async beat(): Promise<void> {
    if (this.beating) return;
    const attempts = [...this.active.values()].filter((a) => !a.finished);
    if (attempts.length === 0) return;
    this.beating = true;
    try {
      const held = await this.store.renew(attempts.map((a) => a.claim));
      for (const a of attempts) {
        if (held.has(a.claim.id) || a.finished) continue;
        const cancelled = await this.store.isCancelled(a.claim.id).catch(() => false);
        if (a.finished) continue;
        a.finished = true;
        this.abort(a, cancelled ? 'cancelled' : 'lost');
      }
    } catch (e) {
      this.emit({ type: 'error', message: `renewing job leases failed: ${errorMessage(e)}` });
    } finally {
      this.beating = false;
    }
  }

  /** Renews leases now (right after a claim, so a crash soon after is noticed within one lease). */
  async renewNow(): Promise<void> {
    await this.beat();
  }

  /**
   * Waits for running attempts (up to `timeoutMs` when graceful), then aborts and releases the rest. Attempts whose
   * handlers have not returned are given up: their results are ignored.
   */
  async drain(graceful: boolean, timeoutMs: number): Promise<void> {
    if (graceful && this.active.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
      await Promise.race([Promise.all([...this.active.values()].map((a) => a.settled)), timeout]);
      clearTimeout(timer);
    }
    const left = [...this.active.values()];
    await Promise.all(
      left.map(async (a) => {
        if (!a.finished) {
          a.finished = true;
          this.abort(a, 'stopping');
          try {
            await this.store.release(a.claim);
            this.emit({ type: 'released', id: a.claim.id, name: a.claim.name, attempt: a.claim.retryCount + 1 });
          } catch (e) {
            this.emit({ type: 'error', message: `releasing job ${a.claim.id} failed (its lease will run out): ${errorMessage(e)}` });
          }
        }
        this.free(a);
      }),
    );
  }

  /**
   * Test hook: behave as if the process died — stop renewing and forget every attempt without telling the storage.
   * Handlers keep running; their results are ignored.
   */
  abandon(): void {
    this.stopHeartbeat();
    for (const a of this.active.values()) {
      a.finished = true;
      this.free(a);
    }
  }
}
