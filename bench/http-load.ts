import net from 'node:net';

/** One finished request: HTTP status (0 = connection error), latency in ms, and the `retry-after` header. */
export interface Sample {
  status: number;
  ms: number;
  retryAfter?: string;
}

export interface LoadResult {
  samples: Sample[];
  elapsedMs: number;
}

/**
 * A keep-alive HTTP/1.1 connection that sends one pre-built request at a time and reads the answer with minimal
 * parsing (status line, `content-length`, `retry-after`). Far cheaper than `http.request`, so that on a small
 * machine the load generator leaves the CPU to the server it measures, as `wrk` would.
 */
class Conn {
  private socket: net.Socket | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private waiting: ((s: Sample) => void) | undefined;
  private t0 = 0;

  constructor(private readonly url: URL) {}

  /** Opens the connection now (before any request), resolving once it is established. */
  connect(): Promise<void> {
    this.socket ??= this.open();
    const socket = this.socket;
    return socket.connecting ? new Promise((r) => socket.once('connect', () => r())) : Promise.resolve();
  }

  private open(): net.Socket {
    const socket = net.connect(Number(this.url.port || 80), this.url.hostname);
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    const fail = () => {
      if (this.socket === socket) this.socket = undefined;
      this.buf = Buffer.alloc(0);
      this.finish({ status: 0, ms: performance.now() - this.t0 });
    };
    socket.on('error', fail);
    socket.on('close', fail);
    return socket;
  }

  send(request: Buffer): Promise<Sample> {
    this.socket ??= this.open();
    this.t0 = performance.now();
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket!.write(request);
    });
  }

  private finish(s: Sample): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.(s);
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buf.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buf.length < end + 4 + length) return;
    this.buf = this.buf.subarray(end + 4 + length);
    const s: Sample = { status: Number(head.slice(9, 12)), ms: performance.now() - this.t0 };
    const ra = /\r\nretry-after:\s*([^\r]+)/i.exec(head)?.[1];
    if (ra !== undefined) s.retryAfter = ra;
    if (/\r\nconnection:\s*close/i.test(head)) {
      const old = this.socket;
      this.socket = undefined;
      old?.removeAllListeners('close');
      old?.destroy();
    }
    this.finish(s);
  }

  close(): void {
    this.socket?.destroy();
  }
}

function requestBytes(url: URL, body: unknown, headers: Record<string, string>): Buffer {
  const payload = Buffer.from(JSON.stringify(body));
  const lines = [`POST ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, 'content-type: application/json', `content-length: ${payload.length}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), payload]);
}

/** `concurrency` clients, each sending its next request as soon as the last one is answered, for `durationMs`. */
export async function closedLoop(o: { url: string; body: unknown; concurrency: number; durationMs: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const url = new URL(o.url);
  const request = requestBytes(url, o.body, o.headers ?? {});
  const samples: Sample[] = [];
  const conns = Array.from({ length: o.concurrency }, () => new Conn(url));
  const t0 = performance.now();
  const end = t0 + o.durationMs;
  await Promise.all(
    conns.map(async (c) => {
      do samples.push(await c.send(request));
      while (performance.now() < end);
    }),
  );
  for (const c of conns) c.close();
  return { samples, elapsedMs: performance.now() - t0 };
}

/**
 * Requests at a fixed offered rate (an open loop: arrivals do not wait for answers, as real traffic does not), for
 * `durationMs`; at most `maxOpen` requests are open at once (each has its own connection).
 */
export async function openLoop(o: {
  url: string;
  body: unknown;
  ratePerSec: number;
  durationMs: number;
  maxOpen: number;
  /** Connections established before the clock starts, as a load balancer's pool would hold them (default 0). */
  preconnect?: number;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  const url = new URL(o.url);
  const request = requestBytes(url, o.body, o.headers ?? {});
  const samples: Sample[] = [];
  const all: Conn[] = Array.from({ length: o.preconnect ?? 0 }, () => new Conn(url));
  for (let i = 0; i < all.length; i += 64) await Promise.all(all.slice(i, i + 64).map((c) => c.connect()));
  const idle: Conn[] = [...all];
  const pending = new Set<Promise<void>>();
  const t0 = performance.now();
  let sent = 0;
  while (performance.now() - t0 < o.durationMs) {
    const due = Math.floor(((performance.now() - t0) / 1000) * o.ratePerSec);
    while (sent < due && pending.size < o.maxOpen) {
      sent++;
      let c = idle.pop();
      if (!c) all.push((c = new Conn(url)));
      const conn = c;
      const p: Promise<void> = conn.send(request).then((s) => {
        samples.push(s);
        pending.delete(p);
        idle.push(conn);
      });
      pending.add(p);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  for (const c of all) c.close();
  return { samples, elapsedMs: performance.now() - t0 };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Resident set size of a process now and at its peak (Linux `/proc/<pid>/status`: VmRSS, VmHWM), in bytes. */
export async function rssOf(pid: number): Promise<{ rss: number; peak: number }> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}
