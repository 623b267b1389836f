import { AppError } from '../core/errors/index.js';
import type { CachedEngine } from './engine.js';

export interface ModelCacheOptions {
  /** Bytes all loaded models may hold together. */
  budgetBytes: number;
  /** Loads running at once (each reads a file and builds a runtime session). */
  maxParallelLoads: number;
}

interface Entry {
  key: string;
  loading?: Promise<CachedEngine> | undefined;
  engine?: CachedEngine | undefined;
  users: number;
  lastUsed: number;
}

/** A loaded model lent out by the cache; `release` when done with it (the model stays cached). */
export interface Lease {
  engine: CachedEngine;
  release(): void;
}

/**
 * The models of this process, under one memory budget: a model is loaded once however many deployments and requests
 * ask for it at the same time; when a load would pass the budget, the least recently used models that nobody is
 * using are unloaded first; if that is not enough, the load is refused (503) rather than risk the process. At most
 * `maxParallelLoads` loads run at once; the others wait their turn.
 */
export class ModelCache {
  private readonly entries = new Map<string, Entry>();
  private loadsRunning = 0;
  private readonly waiting: (() => void)[] = [];
  /** Bytes promised to loads that made room but have not stored their engine yet. */
  private reserved = 0;
  private closed = false;

  constructor(private readonly opts: ModelCacheOptions) {}

  /** Bytes held by loaded models. */
  get usedBytes(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.engine?.memoryBytes ?? 0;
    return n;
  }

  loadedKeys(): string[] {
    return [...this.entries.values()].filter((e) => e.engine).map((e) => e.key);
  }

  /** Borrows the model cached under `key`, loading it with `load` if needed. */
  async acquire(key: string, load: () => Promise<CachedEngine>): Promise<Lease> {
    if (this.closed) throw new AppError('TEMPORARILY_UNAVAILABLE', 'The server is shutting down');
    let entry = this.entries.get(key);
    if (entry?.engine?.failure) {
      // Its runtime died (a crashed worker thread): forget it, and load the model afresh.
      this.entries.delete(key);
      entry = undefined;
    }
    if (!entry) {
      entry = { key, users: 0, lastUsed: Date.now() };
      this.entries.set(key, entry);
    }
    entry.users++;
    try {
      if (!entry.engine) {
        entry.loading ??= this.loadInto(entry, load);
        await entry.loading;
      }
    } catch (e) {
      entry.users--;
      throw e;
    }
    entry.lastUsed = Date.now();
    let released = false;
    const e = entry;
    return {
      engine: entry.engine!,
      release: () => {
        if (released) return;
        released = true;
        e.users--;
        e.lastUsed = Date.now();
      },
    };
  }

  private async loadInto(entry: Entry, load: () => Promise<CachedEngine>): Promise<CachedEngine> {
    await this.turn();
    try {
      const engine = await load();
      try {
        if (this.closed) throw new AppError('TEMPORARILY_UNAVAILABLE', 'The server is shutting down');
        await this.makeRoom(engine.memoryBytes, entry);
      } catch (e) {
        await engine.unload();
        throw e;
      }
      // Synchronously with the reservation's release, so that no other load sees the bytes twice or not at all.
      this.reserved -= engine.memoryBytes;
      entry.engine = engine;
      return engine;
    } catch (e) {
      this.entries.delete(entry.key);
      throw e;
    } finally {
      entry.loading = undefined;
      this.loadsRunning--;
      this.waiting.shift()?.();
    }
  }

  private async turn(): Promise<void> {
    if (this.loadsRunning < this.opts.maxParallelLoads) {
      this.loadsRunning++;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
    this.loadsRunning++;
  }

  /**
   * Unloads idle models, least recently used first, until `bytes` more fit, then reserves them (the caller stores its
   * engine next, releasing the reservation). The victim is picked afresh on every pass, right before it is removed,
   * so a model borrowed while an earlier one unloads is never taken. Refuses when the models in use fill the budget.
   */
  private async makeRoom(bytes: number, self: Entry): Promise<void> {
    if (bytes > this.opts.budgetBytes) {
      throw new AppError('TEMPORARILY_UNAVAILABLE', `The model needs ${bytes} bytes, more than the whole model memory budget (${this.opts.budgetBytes})`);
    }
    for (;;) {
      if (this.usedBytes + this.reserved + bytes <= this.opts.budgetBytes) {
        this.reserved += bytes;
        return;
      }
      const victim = [...this.entries.values()].filter((e) => e !== self && e.engine && e.users === 0).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (!victim) {
        throw new AppError('TEMPORARILY_UNAVAILABLE', `No room to load the model: ${this.usedBytes + this.reserved} of ${this.opts.budgetBytes} bytes are held by models in use or loading`);
      }
      const engine = victim.engine!;
      this.entries.delete(victim.key);
      await engine.unload();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const engines = [...this.entries.values()].map((e) => e.engine).filter((e): e is CachedEngine => !!e);
    this.entries.clear();
    await Promise.all(engines.map((e) => e.unload()));
  }
}
