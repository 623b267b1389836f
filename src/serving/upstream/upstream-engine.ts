/**
 * A deployment target that is an upstream OpenAI-compatible server. Requests pass through (the `model` field replaced
 * by the upstream's), answers are relayed byte for byte, and the same `LlmMeter` as in-process engines counts them.
 *
 * Connections, after llama.cpp's server (REFERENCE.md §4, "Connection behaviour"): it closes the connection after
 * each streamed response while announcing keep-alive, so a pooled client hits resets on reuse. Streams therefore run
 * on a fresh connection each; other requests reuse a keep-alive pool bounded by `max_concurrency`. A request is
 * retried once only where that is safe: the connection was never made, or a reused keep-alive socket was reset
 * before any response byte arrived (Node's `req.reusedSocket && err.code === 'ECONNRESET'`): almost always a socket the
 * server had closed as idle, so the request was never read (a reset mid-read would run it twice; Node's own agents
 * retry the same case).
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { AppError } from '../../core/errors/index.js';
import { type FinishedRequest, LlmMeter } from '../llm/llm-meter.js';
import type { UpstreamConfig } from './upstream-config.js';

/** The paths an upstream is sent requests on; any other is refused. */
export const UPSTREAM_PATHS: readonly string[] = ['/v1/completions', '/v1/chat/completions', '/v1/embeddings'];

export interface ForwardRequest {
  /** One of `UPSTREAM_PATHS`. */
  path: string;
  /** Where this request is counted (its deployment's meter, from `newMeter`) besides the upstream's own. */
  meter?: LlmMeter | undefined;
  /** The client's body; its `model` (the Pitwall deployment) is replaced by the upstream's model name. */
  body: Record<string, unknown>;
  /** Relay the answer as Server-Sent Events as it arrives. */
  stream: boolean;
  /** Deadline from arrival (ms); else 300 s. The upstream's `timeout_ms` caps it. */
  timeoutMs?: number | undefined;
  /** Aborted when the client goes away: the upstream request is aborted too. */
  signal: AbortSignal;
  /** Where the answer goes: status, headers and body (or the event stream). */
  reply: http.ServerResponse;
}

/** What a relayed answer held, as far as it was read: tokens (from `usage`, else content chunks) and the first choice's text. */
export interface ForwardResult {
  promptTokens: number;
  completionTokens: number;
  text: string;
  finishReason?: string;
  /** The status of an error that cut the answer after its headers went out (a 504 deadline mid-stream); not for a client that left. */
  failedStatus?: number;
}

export interface UpstreamEngineOptions {
  /** Health transitions and retried requests, worded without the key. */
  log?: (level: 'info' | 'warn', message: string) => void;
}

export interface UpstreamInfo {
  url: string;
  model: string;
  maxConcurrency: number;
  maxQueue: number;
}

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 300_000;
/** Answers up to this size are parsed for `usage` (all of them are relayed). */
const MAX_PARSED_BYTES = 16 << 20;
/** Load-time requests (health, model list) wait this long at most. */
const LOAD_TIMEOUT_MS = 10_000;
/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), and ones Pitwall sets itself. */
const DROPPED = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'server', 'date', 'set-cookie']);

type Outcome = FinishedRequest['outcome'];
interface Waiter {
  grant: () => void;
}

/** An HTTP error with its errno code (`ECONNREFUSED`), and whether sending it again is safe. */
type SendError = Error & { code?: string; retryable?: boolean };

/**
 * One attempt: resolves with the response once its headers arrived. A failure is `retryable` when the connection was
 * never established, or when a reused keep-alive socket was reset before any response byte.
 */
function send(url: URL, options: http.RequestOptions, body: Buffer | undefined, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(url, { ...options, signal }, resolve);
    let connected = false;
    req.once('socket', (s) => {
      if (s.connecting) s.once('connect', () => (connected = true));
      else connected = true;
    });
    // `on`, not `once`: a socket error after the response may still be emitted here.
    req.on('error', (err: SendError) => {
      err.retryable = !connected || (req.reusedSocket && err.code === 'ECONNRESET');
      reject(err);
    });
    req.end(body);
  });
}

/** A whole small answer (health, model list); `agent: false` for a fresh connection. */
async function fetchSmall(url: URL, headers: http.OutgoingHttpHeaders, agent: http.Agent | false, timeoutMs: number): Promise<{ status: number; body: string }> {
  const res = await send(url, { method: 'GET', headers, agent }, undefined, AbortSignal.timeout(timeoutMs));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res as AsyncIterable<Buffer>) {
    size += c.length;
    if (size <= 1 << 20) chunks.push(c);
  }
  return { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') };
}

function codeOf(e: unknown): string {
  const err = e as SendError;
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return 'timeout';
  return typeof err?.code === 'string' ? err.code : 'connection failed';
}

function tokens(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0;
}

/** Most characters of an answer's text kept for the prediction log. */
const MAX_TEXT = 1 << 20;

/**
 * What an answer says about itself, for the meter: usage from the JSON answer or the stream's `usage` chunk (the last
 * one wins), else one token per content-bearing chunk; the time of the first content chunk; the finish reason.
 */
class AnswerTally {
  promptTokens = 0;
  completionTokens = 0;
  cachedTokens = 0;
  private chunks = 0;
  private hasUsage = false;
  firstContentAt: number | undefined;
  finishReason: string | undefined;
  failed = false;
  /** Whether the bytes relayed so far end between two events (another event may be written after them). */
  atBoundary = true;
  private pending = '';
  private data: string[] = [];
  private parsed = 0;
  private readonly decoder = new TextDecoder();
  private readonly body: Buffer[] = [];
  /** The answer's text (first choice), kept up to `MAX_TEXT` characters for the prediction log. */
  text = '';

  /** One chunk of an event stream as relayed. */
  feedEvents(chunk: Buffer): void {
    this.pending += this.decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl).replace(/\r$/u, '');
      this.pending = this.pending.slice(nl + 1);
      if (line === '') {
        if (this.data.length > 0) this.event(this.data.join('\n'));
        this.data = [];
      } else if (line.startsWith('data:')) {
        this.data.push(line.slice(line[5] === ' ' ? 6 : 5));
      }
    }
    // A runaway line (no newline for 1 MiB) is relayed, not parsed.
    if (this.pending.length > 1 << 20) this.pending = '';
    this.atBoundary = this.pending === '' && this.data.length === 0;
  }

  /** One chunk of a JSON answer (parsed at `end`, when it is small enough). */
  feedBody(chunk: Buffer): void {
    this.parsed += chunk.length;
    if (this.parsed <= MAX_PARSED_BYTES) this.body.push(chunk);
  }

  endBody(): void {
    if (this.parsed > MAX_PARSED_BYTES) return;
    try {
      this.take(JSON.parse(Buffer.concat(this.body).toString('utf8')));
    } catch {
      // Not JSON (an HTML error page from a proxy, say): relayed as is, no tokens counted.
    }
  }

  private event(data: string): void {
    if (data === '[DONE]') return;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return;
    }
    const content = this.take(chunk);
    if (content > 0) {
      this.chunks += content;
      this.firstContentAt ??= performance.now();
    }
    if (!this.hasUsage) this.completionTokens = this.chunks;
  }

  /** Reads `usage`, `choices[].finish_reason` and `error`; returns how many choices carried content. */
  private take(v: unknown): number {
    if (!v || typeof v !== 'object') return 0;
    const o = v as { usage?: Record<string, unknown>; choices?: unknown; error?: unknown };
    if (o.error !== undefined) this.failed = true;
    if (o.usage && typeof o.usage === 'object') {
      this.hasUsage = true;
      this.promptTokens = tokens(o.usage.prompt_tokens);
      this.completionTokens = tokens(o.usage.completion_tokens);
      const details = o.usage.prompt_tokens_details as Record<string, unknown> | undefined;
      this.cachedTokens = tokens(details?.cached_tokens);
    }
    let content = 0;
    if (Array.isArray(o.choices)) {
      for (const c of o.choices as Record<string, unknown>[]) {
        if (!c || typeof c !== 'object') continue;
        if (typeof c.finish_reason === 'string') this.finishReason = c.finish_reason;
        const d = (c.delta ?? {}) as Record<string, unknown>;
        const msg = (c.message ?? {}) as Record<string, unknown>;
        const piece = [c.text, d.content, msg.content].find((x): x is string => typeof x === 'string');
        if (piece && (c.index === undefined || c.index === 0) && this.text.length < MAX_TEXT) this.text += piece.slice(0, MAX_TEXT - this.text.length);
        const has = (x: unknown) => (typeof x === 'string' && x !== '') || (Array.isArray(x) && x.length > 0);
        if (has(c.text) || has(d.content) || has(d.reasoning_content) || has(d.tool_calls)) content++;
      }
    }
    return content;
  }

  outcome(): Outcome {
    if (this.failed) return 'error';
    return this.finishReason === 'length' ? 'length' : 'stop';
  }
}

/**
 * An upstream server as a deployment target: bounded concurrency with a bounded wait queue, per-request deadlines,
 * safe retries, health checks that set `available`, and metering.
 */
export class UpstreamEngine {
  readonly kind = 'upstream';
  readonly memoryBytes = 0;
  readonly meter: LlmMeter;
  private healthy = true;
  private failed: Error | undefined;
  private modelName = '';
  private inFlight = 0;
  private readonly waiting: Waiter[] = [];
  /** Aborts of the requests queued or running, for `unload`. */
  private readonly running = new Set<(e: AppError) => void>();
  private readonly agent: http.Agent;
  private readonly base: URL;
  private healthTimer: NodeJS.Timeout | undefined;
  private probing = false;

  private constructor(
    readonly name: string,
    private readonly cfg: UpstreamConfig,
    private readonly opts: UpstreamEngineOptions,
  ) {
    this.base = new URL(cfg.url);
    // LIFO reuses the socket used last (the least likely to have idled out); free sockets close after 4 s, before the
    // 5 s keep-alive timeout llama.cpp and uvicorn (vLLM) announce.
    const agentOptions = { keepAlive: true, maxSockets: cfg.maxConcurrency, maxFreeSockets: cfg.maxConcurrency, scheduling: 'lifo' as const, timeout: 4000 };
    this.agent = this.base.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.meter = this.newMeter();
  }

  /**
   * Checks the upstream's health, learns its model name (config `model`, else the first id of `GET /v1/models`) and
   * starts the health checks. Rejects with a 503 when it cannot be reached or is not healthy.
   */
  static async connect(name: string, cfg: UpstreamConfig, opts: UpstreamEngineOptions = {}): Promise<UpstreamEngine> {
    const engine = new UpstreamEngine(name, cfg, opts);
    try {
      const problem = await engine.probe();
      if (problem !== undefined) throw new AppError('TEMPORARILY_UNAVAILABLE', `Upstream ${name} is ${problem}`);
      engine.modelName = cfg.model ?? (await engine.discoverModel());
    } catch (e) {
      await engine.unload();
      throw e;
    }
    engine.scheduleHealth(cfg.healthIntervalMs);
    return engine;
  }

  /** Set once unloaded: the engine must be connected again. */
  get failure(): Error | undefined {
    return this.failed;
  }

  /** Whether the last health check passed; a router takes the upstream out of rotation while false. */
  get available(): boolean {
    return this.healthy;
  }

  /** The model name requests are forwarded with. */
  get model(): string {
    return this.modelName;
  }

  /** For status: where it points (never the key) and its bounds. */
  get info(): UpstreamInfo {
    return { url: this.cfg.url, model: this.modelName, maxConcurrency: this.cfg.maxConcurrency, maxQueue: this.cfg.maxQueue };
  }

  /** Whether a new request would be refused: `max_concurrency` in flight and `max_queue` waiting. */
  get full(): boolean {
    return this.inFlight >= this.cfg.maxConcurrency && this.waiting.length >= this.cfg.maxQueue;
  }

  /** The 429 for a request arriving while `full` (counted as a rejection). */
  /** A meter for one deployment's requests (concurrency and queue are the upstream's, shared by the deployments naming it). */
  newMeter(): LlmMeter {
    return new LlmMeter(() => ({ slots: this.cfg.maxConcurrency, inUse: this.inFlight, queued: this.waiting.length }));
  }

  refusal(meter?: LlmMeter): AppError {
    this.meter.refused();
    if (meter && meter !== this.meter) meter.refused();
    return new AppError('REQUEST_LIMIT_EXCEEDED', `Upstream ${this.name} is at its limit (${this.cfg.maxConcurrency} requests in flight, ${this.cfg.maxQueue} waiting); retry shortly`);
  }

  /**
   * Sends one request and writes the whole answer to `reply`: the upstream's status, its headers less hop-by-hop
   * ones, and its body, or its event stream relayed byte for byte as it arrives. An upstream error status is relayed
   * as is. Rejects, having written nothing, with a 429 (full), 503 (unreachable after the safe retry, or unloaded),
   * 504 (deadline) or 400 (cancelled); once bytes were written it resolves instead, having ended the stream (with an
   * `error` event when it stopped between two events) or cut the connection.
   */
  async forward(f: ForwardRequest): Promise<ForwardResult> {
    if (!UPSTREAM_PATHS.includes(f.path)) throw new AppError('INVALID_PARAMETER_VALUE', `Upstreams serve ${UPSTREAM_PATHS.join(', ')}, not ${String(f.path).slice(0, 100)}`, { field: 'path' });
    if (this.failed) throw new AppError('TEMPORARILY_UNAVAILABLE', `Upstream ${this.name} is not loaded`);
    if (this.full) throw this.refusal(f.meter);
    const arrived = performance.now();
    const meters = f.meter && f.meter !== this.meter ? [this.meter, f.meter] : [this.meter];
    for (const m of meters) m.started();
    // The request's deadline (its own or its deployment's), capped by the upstream's `timeout_ms` when the admin set one.
    const timeout = Math.min(f.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS, this.cfg.timeoutMs ?? Number.POSITIVE_INFINITY);
    const ac = new AbortController();
    const stop = (e: AppError) => ac.abort(e);
    const cancelled = new AppError('BAD_REQUEST', 'The request was cancelled');
    const onClientAbort = () => stop(cancelled);
    const onReplyClose = () => {
      if (!f.reply.writableFinished) stop(cancelled);
    };
    const timer = setTimeout(() => stop(new AppError('DEADLINE_EXCEEDED', `The request took longer than its ${timeout} ms deadline`)), timeout);
    f.signal.addEventListener('abort', onClientAbort, { once: true });
    f.reply.once('close', onReplyClose);
    this.running.add(stop);
    if (f.signal.aborted) stop(cancelled);
    const tally = new AnswerTally();
    let granted = false;
    let queueSeconds = 0;
    let outcome: Outcome = 'error';
    let failedStatus: number | undefined;
    try {
      await this.acquire(ac.signal);
      granted = true;
      queueSeconds = (performance.now() - arrived) / 1000;
      const res = await this.open(f, ac.signal);
      if (res.statusCode === 401 || res.statusCode === 403) {
        // About Pitwall's configured key, not the client's, and an OpenAI-style answer may echo part of the key.
        res.resume();
        this.opts.log?.('warn', `Upstream ${this.name} refused Pitwall's credentials (${res.statusCode}); check serving.upstreams.${this.name}.api_key`);
        throw new AppError('TEMPORARILY_UNAVAILABLE', `Upstream ${this.name} refused the gateway's credentials (HTTP ${res.statusCode}); the server's log has details`);
      }
      await this.relay(res, f, tally);
      outcome = res.statusCode !== undefined && res.statusCode >= 400 ? 'error' : tally.outcome();
    } catch (e) {
      const reason = ac.signal.aborted ? (ac.signal.reason as AppError) : e;
      outcome = reason === cancelled ? 'abort' : 'error';
      if (!f.reply.headersSent) throw reason instanceof AppError ? reason : new AppError('INTERNAL_ERROR', 'Internal server error', { cause: reason });
      if (reason !== cancelled) failedStatus = reason instanceof AppError ? reason.httpStatus : 503;
      this.endBroken(f.reply, tally, reason);
    } finally {
      clearTimeout(timer);
      f.signal.removeEventListener('abort', onClientAbort);
      f.reply.off('close', onReplyClose);
      this.running.delete(stop);
      if (granted) this.release();
      const e2e = (performance.now() - arrived) / 1000;
      const done = {
        promptTokens: tally.promptTokens,
        completionTokens: tally.completionTokens,
        cachedTokens: tally.cachedTokens,
        // A request that never got a slot (deadline, abort) waited all along.
        queueSeconds: granted ? queueSeconds : e2e,
        ttftSeconds: tally.firstContentAt === undefined ? undefined : (tally.firstContentAt - arrived) / 1000,
        e2eSeconds: e2e,
        outcome,
      };
      for (const m of meters) m.finish(done);
    }
    return {
      promptTokens: tally.promptTokens,
      completionTokens: tally.completionTokens,
      text: tally.text,
      ...(tally.finishReason !== undefined ? { finishReason: tally.finishReason } : {}),
      ...(failedStatus !== undefined ? { failedStatus } : {}),
    };
  }

  /** Ends everything queued or running with `error` now (shutdown past its grace period). */
  abort(error: AppError): void {
    for (const stop of [...this.running]) stop(error);
  }

  /** Stops the health checks, answers queued and running requests with a 503 and closes the pooled connections. */

  async unload(): Promise<void> {
    this.failed ??= new Error(`Upstream ${this.name} was unloaded`);
    clearTimeout(this.healthTimer);
    const gone = new AppError('TEMPORARILY_UNAVAILABLE', `Upstream ${this.name} was unloaded`);
    for (const stop of [...this.running]) stop(gone);
    this.agent.destroy();
  }

  /** Waits for a slot (FIFO) until `signal` aborts. */
  private acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.inFlight < this.cfg.maxConcurrency && this.waiting.length === 0) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(w);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(w);
    });
  }

  /** Hands the slot to the next waiter, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next.grant();
    else this.inFlight--;
  }

  private headers(accept: string, extra: http.OutgoingHttpHeaders = {}): http.OutgoingHttpHeaders {
    const h: http.OutgoingHttpHeaders = { accept, 'accept-encoding': 'identity', 'user-agent': 'pitwall', ...extra };
    if (this.cfg.apiKey) h.authorization = `Bearer ${this.cfg.apiKey.reveal()}`;
    return h;
  }

  private url(path: string): URL {
    return new URL(`${this.base.pathname.replace(/\/$/u, '')}${path}`, this.base.origin);
  }

  /** Sends the request, retrying once where safe; a failure becomes a 503 naming the errno code. */
  private async open(f: ForwardRequest, signal: AbortSignal): Promise<http.IncomingMessage> {
    const out: Record<string, unknown> = { ...f.body, model: this.modelName };
    if (f.stream || 'stream' in f.body) out.stream = f.stream;
    const body = Buffer.from(JSON.stringify(out));
    const options: http.RequestOptions = {
      method: 'POST',
      headers: this.headers(f.stream ? 'text/event-stream' : 'application/json', { 'content-type': 'application/json', 'content-length': body.length }),
      // Streams on a connection of their own: servers such as llama.cpp's close it after the stream anyway.
      agent: f.stream ? false : this.agent,
    };
    for (let attempt = 1; ; attempt++) {
      try {
        return await send(this.url(f.path), options, body, signal);
      } catch (e) {
        if (signal.aborted) throw signal.reason;
        const err = e as SendError;
        if (attempt === 1 && err.retryable) {
          this.opts.log?.('info', `Upstream ${this.name}: retrying ${f.path} after ${codeOf(err)} before any answer`);
          continue;
        }
        this.checkSoon();
        throw new AppError('TEMPORARILY_UNAVAILABLE', `Upstream ${this.name} is unreachable: ${codeOf(err)}`, { cause: err });
      }
    }
  }

  /** Writes the status and headers, then relays the body; resolves once the upstream's answer ended and was written. */
  private relay(res: http.IncomingMessage, f: ForwardRequest, tally: AnswerTally): Promise<void> {
    const status = res.statusCode ?? 502;
    const isStream = f.stream && status < 300 && /^text\/event-stream/iu.test(res.headers['content-type'] ?? '');
    const connectionHeaders = new Set(String(res.headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim()));
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined || DROPPED.has(k) || connectionHeaders.has(k) || k.startsWith('access-control-')) continue;
      if (isStream && k === 'content-length') continue;
      f.reply.setHeader(k, v);
    }
    if (isStream) {
      f.reply.setHeader('cache-control', 'no-cache');
      f.reply.setHeader('x-accel-buffering', 'no');
    }
    f.reply.writeHead(status);
    if (isStream) f.reply.flushHeaders();
    return new Promise((resolve, reject) => {
      res.on('data', (chunk: Buffer) => {
        if (isStream) tally.feedEvents(chunk);
        else tally.feedBody(chunk);
        if (f.reply.destroyed) return;
        if (!f.reply.write(chunk)) {
          res.pause();
          f.reply.once('drain', () => res.resume());
        }
      });
      res.once('end', () => {
        if (!isStream) tally.endBody();
        if (!f.reply.destroyed) f.reply.end();
        resolve();
      });
      res.on('error', reject);
      res.once('close', () => {
        if (!res.complete) reject(Object.assign(new Error('The upstream closed the connection mid-answer'), { code: 'ECONNRESET' }));
      });
    });
  }

  /** Ends a reply that already holds part of the answer: an `error` event when the stream stopped between events. */
  private endBroken(reply: http.ServerResponse, tally: AnswerTally, reason: unknown): void {
    if (reply.destroyed || reply.writableEnded) return;
    const isStream = /^text\/event-stream/iu.test(String(reply.getHeader('content-type') ?? ''));
    if (!isStream) {
      reply.destroy();
      return;
    }
    if (tally.atBoundary) {
      const e = reason instanceof AppError ? reason : new AppError('TEMPORARILY_UNAVAILABLE', `Upstream ${this.name} closed the stream: ${codeOf(reason)}`);
      reply.write(`data: ${JSON.stringify({ error: { message: e.message, type: 'server_error', code: e.httpStatus } })}\n\n`);
    }
    reply.end();
  }

  /** Learns the upstream's model name from `GET /v1/models`. */
  private async discoverModel(): Promise<string> {
    const hint = `set serving.upstreams.${this.name}.model`;
    let answer: { status: number; body: string };
    try {
      answer = await fetchSmall(this.url('/v1/models'), this.headers('application/json'), false, LOAD_TIMEOUT_MS);
    } catch (e) {
      throw new AppError('TEMPORARILY_UNAVAILABLE', `Upstream ${this.name} is unreachable: ${codeOf(e)}`, { cause: e });
    }
    if (answer.status < 200 || answer.status >= 300) throw new AppError('TEMPORARILY_UNAVAILABLE', `Upstream ${this.name} answered ${answer.status} to GET /v1/models; ${hint}`);
    let id: unknown;
    try {
      id = (JSON.parse(answer.body) as { data?: { id?: unknown }[] }).data?.[0]?.id;
    } catch {
      // Reported below.
    }
    if (typeof id !== 'string' || id === '') throw new AppError('TEMPORARILY_UNAVAILABLE', `Upstream ${this.name} lists no model at GET /v1/models; ${hint}`);
    return id;
  }

  /** One health check on a fresh connection: undefined when healthy, else what is wrong. */
  private async probe(): Promise<string | undefined> {
    const timeout = Math.min(Math.max(this.cfg.healthIntervalMs, 1000), LOAD_TIMEOUT_MS);
    try {
      const { status } = await fetchSmall(this.url(this.cfg.healthPath), this.headers('application/json'), false, timeout);
      return status >= 200 && status < 300 ? undefined : `not healthy: GET ${this.cfg.healthPath} answered ${status}`;
    } catch (e) {
      return `unreachable: ${codeOf(e)}`;
    }
  }

  private scheduleHealth(ms: number): void {
    if (this.failed) return;
    clearTimeout(this.healthTimer);
    this.healthTimer = setTimeout(() => void this.check(), ms);
    this.healthTimer.unref();
  }

  /** A transport failure brings the next health check forward. */
  private checkSoon(): void {
    if (!this.probing && this.healthTimer !== undefined) this.scheduleHealth(0);
  }

  private async check(): Promise<void> {
    if (this.probing || this.failed) return;
    this.probing = true;
    try {
      const problem = await this.probe();
      if (this.failed) return;
      const ok = problem === undefined;
      if (ok !== this.healthy) this.opts.log?.(ok ? 'info' : 'warn', ok ? `Upstream ${this.name} is available again` : `Upstream ${this.name} is ${problem}; out of rotation`);
      this.healthy = ok;
    } finally {
      this.probing = false;
      this.scheduleHealth(this.cfg.healthIntervalMs);
    }
  }
}
