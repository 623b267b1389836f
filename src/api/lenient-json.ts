import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as sent, when it is strict JSON: the prediction log stores it instead of serializing the parsed body again. */
    jsonText?: string;
  }
}

/**
 * JSON.parse, but also accepting the bare `NaN`, `Infinity` and `-Infinity` tokens that Python's `json.dumps` writes
 * for non-finite floats (a training script posting `{"value": float("nan")}` with `requests` sends them, and MLflow's
 * Flask server accepts them). They become the strings "NaN" / "Infinity" / "-Infinity", which is how protobuf JSON
 * spells them and what the metric validation reads. Strict JSON takes the fast path; only a failed parse rescans.
 */
export function parseLenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (strictError) {
    const rewritten = quoteNonFiniteTokens(text);
    if (rewritten === text) throw strictError;
    try {
      return JSON.parse(rewritten);
    } catch {
      throw strictError;
    }
  }
}

const TOKENS = ['-Infinity', 'Infinity', 'NaN'] as const;

/** Quotes bare non-finite tokens outside of strings; everything else is copied unchanged. */
export function quoteNonFiniteTokens(text: string): string {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c !== 'N' && c !== 'I' && c !== '-') continue;
    const token = TOKENS.find((t) => text.startsWith(t, i));
    if (!token) continue;
    const after = text[i + token.length];
    if (after !== undefined && /[\w$]/.test(after)) continue;
    out += `${text.slice(last, i)}"${token}"`;
    i += token.length - 1;
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * MLflow clients send JSON: parse any content type (or none) as JSON, an empty body as `{}`, with Python's bare
 * NaN / Infinity tokens; a malformed body is a 400 `MALFORMED_REQUEST`. Routes that stream raw bodies (the artifact
 * proxy) bypass this parser.
 */
export function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', '*'], { parseAs: 'string' }, (req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (value !== undefined) {
      req.jsonText = text;
      return done(null, value);
    }
    try {
      done(null, parseLenientJson(text));
    } catch (e) {
      const err = e as Error & { statusCode?: number; code?: string };
      err.statusCode = 400;
      err.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
      done(err, undefined);
    }
  });
}
