import { invalidParam } from '../../core/errors/index.js';

/**
 * Page tokens in MLflow's format (`SearchUtils.create_page_token` / `parse_start_offset_from_page_token`):
 * base64 of the JSON `{"offset": n}`. The format is opaque to clients.
 */
export function encodePageToken(offset: number): string {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`page offset must be a non-negative integer, got ${offset}`);
  return Buffer.from(`{"offset": ${offset}}`, 'utf8').toString('base64');
}

const FIELD = 'page_token';

/** Decodes a page token to a start offset; an absent or empty token is offset 0. Bad tokens are a 400. */
export function decodePageToken(token: string | undefined | null): number {
  if (token === undefined || token === null || token === '') return 0;
  if (typeof token !== 'string') throw invalidParam('Invalid page token, could not base64-decode', FIELD);

  // Python's non-validating b64decode discards characters outside the alphabet, then insists on correct padding.
  const cleaned = token.replace(/[^A-Za-z0-9+/=]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(cleaned) || cleaned.length % 4 !== 0) {
    throw invalidParam('Invalid page token, could not base64-decode', FIELD);
  }
  const bytes = Buffer.from(cleaned, 'base64');

  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw invalidParam(`Invalid page token, decoded value=${pyBytesRepr(bytes)}`, FIELD);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidParam(`Invalid page token, parsed value=${pyRepr(parsed)}`, FIELD);
  }

  const raw: unknown = (parsed as Record<string, unknown>)['offset'];
  // MLflow: `if not offset_str` (so a zero offset is rejected too; tokens are never minted for offset 0).
  if (raw === undefined || raw === null || raw === 0 || raw === '' || raw === false) {
    throw invalidParam(`Invalid page token, parsed value=${pyRepr(parsed)}`, FIELD);
  }
  let offset: number;
  if (typeof raw === 'number' && Number.isFinite(raw)) {
    offset = Math.trunc(raw); // Python int(12.7) == 12
  } else if (typeof raw === 'string' && /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(raw)) {
    offset = Number(raw.replace(/_/g, '').trim());
  } else {
    throw invalidParam(`Invalid page token, not stringable ${pyRepr(raw)}`, FIELD);
  }
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw invalidParam(`Invalid page token, parsed value=${pyRepr(parsed)}`, FIELD);
  }
  return offset === 0 ? 0 : offset;
}

function pyStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return quote + out + quote;
}

function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return pyStr(v);
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyStr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
  return String(v);
}

function pyBytesRepr(bytes: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const b of bytes) {
    if (b === 0x27) hasSingle = true;
    if (b === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = '';
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (String.fromCharCode(b) === quote) out += `\\${quote}`;
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `b${quote}${out}${quote}`;
}
