/**
 * Change notifications between processes that share a store: a replica that caches something (a deployment's
 * loaded model, an alias target) learns within a second that another replica changed it, without polling.
 *
 * A change names what changed, not its new state: subscribers re-read the store. Delivery is at-most-once per
 * listening connection; when a listener reconnects it emits `{ entity: 'resync' }`, after which subscribers must
 * re-read everything they cache (changes made while it was disconnected are not replayed).
 */
export type Change =
  | { entity: 'registered_model'; action: 'created' | 'updated' | 'renamed' | 'deleted'; name: string; newName?: string }
  | { entity: 'model_version'; action: 'created' | 'updated' | 'deleted'; name: string; version: string }
  | { entity: 'alias'; action: 'set' | 'deleted'; name: string; alias: string; version?: string }
  | { entity: 'approval'; action: 'created'; name: string; version: string }
  | { entity: 'deployment'; action: 'created' | 'updated' | 'deleted'; name: string }
  | { entity: 'resync'; action: 'reconnected' };

/** A change as delivered: with the time it was published and the process that published it. */
export type ChangeEvent = Change & { at: number; origin: string };

export type ChangeListener = (event: ChangeEvent) => void;

export interface ChangeFeed {
  /** Tells every process on this store (this one included) about a change that has been committed. */
  publish(change: Change): Promise<void>;
  /** Calls `fn` for every change until the returned function is called. A throwing listener does not affect others. */
  subscribe(fn: ChangeListener): () => void;
  /** Resolves once changes from other processes are being received (immediately where there are none). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Identifies this process in events, so a subscriber can tell its own changes from a replica's. */
export const PROCESS_ORIGIN = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/** Fans events out to listeners; a listener that throws is isolated from the others. */
export class Listeners {
  private readonly set = new Set<ChangeListener>();

  get size(): number {
    return this.set.size;
  }

  add(fn: ChangeListener): () => void {
    this.set.add(fn);
    return () => this.set.delete(fn);
  }

  emit(event: ChangeEvent): void {
    for (const fn of [...this.set]) {
      try {
        fn(event);
      } catch {
        // One broken subscriber must not stop the others from hearing about the change.
      }
    }
  }
}
