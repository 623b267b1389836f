import { PitwallApiError } from './errors.js';

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
