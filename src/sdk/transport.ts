import { PitwallApiError, PitwallNetworkError } from './errors.js';

/** GET parameters by proto field name; arrays are repeated fields. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

/** GET query string: proto field names, repeated fields repeat the key, absent fields are left out. */
export function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) qs.append(k, String(item));
    else qs.append(k, String(v));
  }
  const s = qs.toString();
  return s === '' ? '' : `?${s}`;
}

export function describeCause(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return e instanceof Error ? e.message : String(e);
}

/** The error a non-2xx answer stands for: MLflow's `{error_code, message, field?}`, other JSON shapes, or HTML/text. */
export function toApiError(status: number, statusText: string, json: unknown, text: string, method: string, url: string, path: string): PitwallApiError {
  const b = json && typeof json === 'object' ? (json as Record<string, unknown>) : undefined;
  if (b && typeof b.error_code === 'string') {
    const init = { status, errorCode: b.error_code, message: typeof b.message === 'string' ? b.message : b.error_code, method, url };
    return new PitwallApiError(typeof b.field === 'string' ? { ...init, field: b.field } : init);
  }
  const nested = b?.error;
  if (nested && typeof nested === 'object') {
    const n = nested as Record<string, unknown>;
    const code = typeof n.code === 'string' ? n.code : typeof n.type === 'string' ? n.type : `HTTP_${status}`;
    const message = typeof n.message === 'string' ? n.message : code;
    return new PitwallApiError({ status, errorCode: code, message, method, url });
  }
  if (typeof nested === 'string') return new PitwallApiError({ status, errorCode: `HTTP_${status}`, message: nested, method, url });
  const snippet = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  const message = `${method} ${path} answered ${status}${statusText ? ` ${statusText}` : ''}${snippet ? `: ${snippet}` : ''}`;
  return new PitwallApiError({ status, errorCode: `HTTP_${status}`, message, method, url });
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface TransportConfig {
  /** Server root without a trailing slash. */
  baseUrl: string;
  fetchImpl: typeof fetch;
  /** Deadline of a JSON request; for raw (streamed) requests, the deadline for the answer's headers. */
  timeoutMs: number;
  headers: Record<string, string>;
}

export interface RawRequest {
  query?: Query | undefined;
  /** Sent as is; a `ReadableStream` is sent with `duplex: 'half'` (streamed, no Content-Length). */
  body?: BodyInit | undefined;
  headers?: Record<string, string> | undefined;
  /** Aborts the request and the answer's body. */
  signal?: AbortSignal | undefined;
  /**
   * Deadline in ms for the answer's headers (default: the client's `timeoutMs`); `0` waits as long as it takes
   * (uploads: the answer only comes once the whole body is sent). Reading the body is never timed.
   */
  timeoutMs?: number | undefined;
}

/**
 * The one place that talks HTTP: JSON requests (`json`) and streamed ones (`raw`). Browser-safe. Non-2xx answers
 * become `PitwallApiError`, unreachable servers and deadlines `PitwallNetworkError`.
 */
export class Transport {
  constructor(readonly cfg: TransportConfig) {}

  /** A request with an optional JSON body; resolves with the answer's text and parsed JSON (`{}` for an empty body). */
  async send(method: HttpMethod, path: string, query: Query | undefined, body: Record<string, unknown> | undefined): Promise<{ text: string; json: unknown }> {
    const url = this.cfg.baseUrl + path + encodeQuery(query);
    const headers: Record<string, string> = { accept: 'application/json', ...this.cfg.headers };
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.cfg.timeoutMs);
    init.signal = controller.signal;
    let status: number;
    let statusText: string;
    let text: string;
    try {
      const res = await this.cfg.fetchImpl(url, init);
      status = res.status;
      statusText = res.statusText;
      text = await res.text();
    } catch (e) {
      throw this.networkError(e, controller.signal.aborted, method, path, url, this.cfg.timeoutMs);
    } finally {
      clearTimeout(timer);
    }
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (status < 200 || status > 299) throw toApiError(status, statusText, json, text, method, url, path);
    if (json === undefined && path !== '/health') {
      throw new PitwallApiError({ status, errorCode: 'MALFORMED_RESPONSE', message: `${method} ${path} answered non-JSON`, method, url });
    }
    return { text, json };
  }

  async json<T>(method: HttpMethod, path: string, query?: Query, body?: Record<string, unknown>): Promise<T> {
    return (await this.send(method, path, query, body)).json as T;
  }

  /**
   * A request whose body and answer are streams. Resolves with the 2xx `Response` once its headers arrive (the caller
   * reads the body); an error answer is read and thrown as `PitwallApiError`.
   */
  async raw(method: HttpMethod, path: string, req: RawRequest = {}): Promise<Response> {
    const url = this.cfg.baseUrl + path + encodeQuery(req.query);
    const headers: Record<string, string> = { ...this.cfg.headers, ...(req.headers ?? {}) };
    const controller = new AbortController();
    const onAbort = () => controller.abort(req.signal?.reason);
    if (req.signal?.aborted) onAbort();
    else req.signal?.addEventListener('abort', onAbort, { once: true });
    const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: controller.signal };
    if (req.body !== undefined) {
      init.body = req.body;
      if (typeof ReadableStream !== 'undefined' && req.body instanceof ReadableStream) init.duplex = 'half';
    }
    const timeoutMs = req.timeoutMs ?? this.cfg.timeoutMs;
    let timedOut = false;
    const timer = timeoutMs > 0 ? setTimeout(() => ((timedOut = true), controller.abort()), timeoutMs) : undefined;
    let res: Response;
    try {
      res = await this.cfg.fetchImpl(url, init);
    } catch (e) {
      req.signal?.removeEventListener('abort', onAbort);
      if (req.signal?.aborted && !timedOut) throw e;
      throw this.networkError(e, timedOut, method, path, url, timeoutMs);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    if (res.status < 200 || res.status > 299) {
      req.signal?.removeEventListener('abort', onAbort);
      const text = await res.text().catch(() => '');
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      throw toApiError(res.status, res.statusText, json, text, method, url, path);
    }
    return res;
  }

  private networkError(e: unknown, timedOut: boolean, method: string, path: string, url: string, timeoutMs: number): PitwallNetworkError {
    const base = this.cfg.baseUrl;
    if (timedOut) {
      return new PitwallNetworkError(`Pitwall at ${base} did not answer ${method} ${path} within ${timeoutMs} ms`, { url, timedOut: true, cause: e });
    }
    return new PitwallNetworkError(`cannot reach Pitwall at ${base} — is \`pitwall server\` running? (${describeCause(e)})`, { url, cause: e });
  }
}
