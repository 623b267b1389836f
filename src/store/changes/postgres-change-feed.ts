import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
import type { Database } from '../sql/schema.js';
import { type Change, type ChangeEvent, type ChangeFeed, type ChangeListener, Listeners, PROCESS_ORIGIN } from './change-feed.js';

export const CHANGES_CHANNEL = 'pitwall_changes';
/** NOTIFY payloads must stay under 8000 bytes; changes are names and ids, far below that. */
const MAX_PAYLOAD = 7900;
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;

/**
 * PostgreSQL LISTEN/NOTIFY. `publish` sends `pg_notify` through the store's pool; one dedicated connection per
 * process LISTENs, opened with the first subscriber, and reconnects with back-off when it drops — announcing
 * `resync` once it is back, since notifications sent meanwhile are lost. PostgreSQL delivers a process's own
 * notifications to it too, so local subscribers hear every change through the same path.
 */
export class PostgresChangeFeed implements ChangeFeed {
  private readonly listeners = new Listeners();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** A connection was lost or an attempt failed since the last good one: the next good one announces `resync`. */
  private missed = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly newClient: () => pg.Client,
  ) {}

  async publish(change: Change): Promise<void> {
    const payload = JSON.stringify({ ...change, at: Date.now(), origin: PROCESS_ORIGIN } satisfies ChangeEvent);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD) throw new Error(`change notification too large (${payload.length} bytes)`);
    await sql`select pg_notify(${CHANGES_CHANNEL}, ${payload})`.execute(this.db);
  }

  subscribe(fn: ChangeListener): () => void {
    const off = this.listeners.add(fn);
    void this.ready().catch(() => undefined);
    return off;
  }

  /** Resolves once this process is LISTENing; rejects if the first connection attempt fails (it keeps retrying). */
  ready(): Promise<void> {
    if (this.client) return Promise.resolve();
    return (this.connecting ??= this.connect().finally(() => (this.connecting = undefined)));
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = this.newClient();
    client.on('notification', (msg) => {
      if (msg.channel !== CHANGES_CHANNEL || !msg.payload) return;
      let event: ChangeEvent;
      try {
        event = JSON.parse(msg.payload) as ChangeEvent;
      } catch {
        return;
      }
      this.listeners.emit(event);
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (e) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      this.missed = true;
      this.scheduleRetry();
      throw e;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = RETRY_MIN_MS;
    if (this.missed) this.listeners.emit({ entity: 'resync', action: 'reconnected', at: Date.now(), origin: PROCESS_ORIGIN });
    this.missed = false;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.missed = true;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer || this.listeners.size === 0) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.ready().catch(() => undefined);
    }, wait);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners('end');
      await c.end().catch(() => undefined);
    }
  }
}
