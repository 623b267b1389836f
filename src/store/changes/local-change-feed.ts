import { type Change, type ChangeFeed, type ChangeListener, Listeners, PROCESS_ORIGIN } from './change-feed.js';

/**
 * The embedded store's feed: in-process only. SQLite serves one server process, so there is nobody else to tell;
 * the CLI and a second process on the same file read the database directly.
 */
export class LocalChangeFeed implements ChangeFeed {
  private readonly listeners = new Listeners();

  async publish(change: Change): Promise<void> {
    this.listeners.emit({ ...change, at: Date.now(), origin: PROCESS_ORIGIN });
  }

  subscribe(fn: ChangeListener): () => void {
    return this.listeners.add(fn);
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {}
}
