import { AppError } from '../core/errors/index.js';
import type { Engine } from './engine.js';

export interface ModelCacheOptions {
  /** Bytes all loaded models may hold together. */
  budgetBytes: number;
  /** Loads running at once (each reads a file and builds a runtime session). */
  maxParallelLoads: number;
}

interface Entry {
  key: string;
  loading?: Promise<Engine> | undefined;
  engine?: Engine | undefined;
  users: number;
  lastUsed: number;
}

/** A loaded model lent out by the cache; `release` when done with it (the model stays cached). */
export interface Lease {
  engine: Engine;
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
  async acquire(key: string, load: () => Promise<Engine>): Promise<Lease> {
    let entry = this.entries.get(key);
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

  private async loadInto(entry: Entry, load: () => Promise<Engine>): Promise<Engine> {
    await this.turn();
    try {
      const engine = await load();
      try {
        await this.makeRoom(engine.memoryBytes, entry);
      } catch (e) {
        await engine.unload();
        throw e;
      }
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

  /** Unloads idle models, least recently used first, until `bytes` more fit; refuses when they cannot. */
  private async makeRoom(bytes: number, self: Entry): Promise<void> {
    if (bytes > this.opts.budgetBytes) {
      throw new AppError('TEMPORARILY_UNAVAILABLE', `The model needs ${bytes} bytes, more than the whole model memory budget (${this.opts.budgetBytes})`);
    }
    const idle = [...this.entries.values()].filter((e) => e !== self && e.engine && e.users === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    while (this.usedBytes + bytes > this.opts.budgetBytes) {
      const victim = idle.shift();
      if (!victim) {
        throw new AppError('TEMPORARILY_UNAVAILABLE', `No room to load the model: ${this.usedBytes} of ${this.opts.budgetBytes} bytes are held by models in use`);
      }
      const engine = victim.engine!;
      this.entries.delete(victim.key);
      await engine.unload();
    }
  }

  async close(): Promise<void> {
    const engines = [...this.entries.values()].map((e) => e.engine).filter((e): e is Engine => !!e);
    this.entries.clear();
    await Promise.all(engines.map((e) => e.unload()));
  }
}
