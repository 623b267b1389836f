/** Tokens and token groups: the subset of sqlparse's lexer and grouping that MLflow's filter parsing relies on. */
// ---------------------------------------------------------------------------------------------------------------
// Tokenizer (the subset of sqlparse's lexer that matters here)
// ---------------------------------------------------------------------------------------------------------------

export type TokenKind =
  | 'ws'
  | 'word'
  | 'bquote'
  | 'dquote'
  | 'squote'
  | 'number'
  | 'dot'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'semicolon'
  | 'op'
  | 'error';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

export const RE_WS = /\s+/y;
// Integers, decimals (`1.`, `.5`), exponents; not glued to a following letter (then it is a word, like `1e`).
export const RE_NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?![\p{L}\p{N}_$#])/uy;
export const RE_WORD = /[\p{L}\p{N}_][\p{L}\p{N}\p{M}_$#]*/uy;
// After a dot, sqlparse takes any name (even one starting with a digit) as part of the identifier.
export const RE_SEGMENT_WORD = /[\p{L}\p{N}\p{M}_$#]+/uy;
export const RE_OP = /[<>=~!]+/y;

export const SEGMENT_KINDS: ReadonlySet<TokenKind> = new Set(['word', 'bquote', 'dquote']);

export function matchAt(re: RegExp, src: string, pos: number): string | null {
  re.lastIndex = pos;
  const m = re.exec(src);
  return m === null ? null : m[0];
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, text: string): void => {
    out.push({ kind, text, start: i, end: i + text.length });
    i += text.length;
  };
  while (i < src.length) {
    const prev = out[out.length - 1];
    const adjacent = prev !== undefined && prev.end === i;
    const afterSegment = adjacent && SEGMENT_KINDS.has(prev.kind);
    const afterDot = adjacent && prev.kind === 'dot';
    const ch = src[i] as string;
    let m: string | null;
    if ((m = matchAt(RE_WS, src, i)) !== null) push('ws', m);
    else if (afterDot && (m = matchAt(RE_SEGMENT_WORD, src, i)) !== null) push('word', m);
    else if (ch === "'") push(...quoted('squote', src, i));
    else if (ch === '"') push(...quoted('dquote', src, i));
    else if (ch === '`') push(...quoted('bquote', src, i));
    else if (ch === '.' && afterSegment) push('dot', ch);
    else if ((m = matchAt(RE_NUMBER, src, i)) !== null) push('number', m);
    else if ((m = matchAt(RE_WORD, src, i)) !== null) push('word', m);
    else if (ch === '.') push('dot', ch);
    else if (ch === '(') push('lparen', ch);
    else if (ch === ')') push('rparen', ch);
    else if (ch === ',') push('comma', ch);
    else if (ch === ';') push('semicolon', ch);
    else if ((m = matchAt(RE_OP, src, i)) !== null) push('op', m);
    else push('error', String.fromCodePoint(src.codePointAt(i) as number));
  }
  return out;
}

export const QUOTE_OF: Partial<Record<TokenKind, string>> = { squote: "'", dquote: '"', bquote: '`' };

export function quoted(kind: TokenKind, src: string, pos: number): [TokenKind, string] {
  const end = scanQuoted(src, pos, QUOTE_OF[kind] as string);
  // An unterminated quote is a lone error character, as in sqlparse.
  return end < 0 ? ['error', src[pos] as string] : [kind, src.slice(pos, end)];
}

/**
 * Where the quoted string opening at `pos` ends (exclusive), or -1. Linear-time equivalent of sqlparse's
 * backtracking regexes `'(''|\\'|[^'])*'`, `"(""|\\"|[^"])*"` and `` `(``|[^`])*` ``: a doubled quote (and, except
 * for backticks, a backslash-escaped quote) does not close the string, unless nothing later closes it, in which
 * case the regex backtracks to the last such quote.
 */
export function scanQuoted(src: string, pos: number, q: string): number {
  const backslash = q !== '`';
  let fallback = -1;
  let i = pos + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === q) {
      if (src[i + 1] !== q) return i + 1;
      fallback = i + 1;
      i += 2;
    } else if (backslash && c === '\\' && src[i + 1] === q) {
      fallback = i + 2;
      i += 2;
    } else {
      i += 1;
    }
  }
  return fallback;
}

export const isFullyQuoted = (value: string, q: string): boolean =>
  value.startsWith(q) && scanQuoted(value, 0, q) === value.length;

/** Body of a fully quoted string with each doubled quote turned into one; backslash escapes are kept verbatim. */
export function unquoteBody(value: string, q: string): string {
  let out = '';
  const last = value.length - 1; // the closing quote
  for (let i = 1; i < last; i += 1) {
    const c = value[i] as string;
    const next = i + 1 < last ? value[i + 1] : undefined;
    if (c === q && next === q) {
      out += q;
      i += 1;
    } else if (c === '\\' && q !== '`' && next === q) {
      out += c + q;
      i += 1;
    } else {
      out += c;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Grouping into statement-level items (identifiers, parenthesis groups, single tokens)
// ---------------------------------------------------------------------------------------------------------------

export interface IdentItem {
  kind: 'ident';
  raw: string;
  segments: Token[];
  /** A dot not followed by a name, e.g. `metrics.` */
  malformed: boolean;
}
export interface ParenItem {
  kind: 'paren';
  raw: string;
  inner: Token[];
}
export interface TokenItem {
  kind: 'token';
  raw: string;
  tok: Token;
}
export type Item = IdentItem | ParenItem | TokenItem;

export function groupItems(src: string, tokens: Token[]): Item[] {
  // Matching parenthesis of every '(' (or -1), in one pass.
  const closing = new Array<number>(tokens.length).fill(-1);
  const open: number[] = [];
  tokens.forEach((t, idx) => {
    if (t.kind === 'lparen') open.push(idx);
    else if (t.kind === 'rparen') {
      const o = open.pop();
      if (o !== undefined) closing[o] = idx;
    }
  });
  const items: Item[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i] as Token;
    if (t.kind === 'ws') {
      i += 1;
      continue;
    }
    if (SEGMENT_KINDS.has(t.kind)) {
      const segments: Token[] = [t];
      let end = t.end;
      let malformed = false;
      let j = i + 1;
      for (;;) {
        const dot = tokens[j];
        if (dot === undefined || dot.kind !== 'dot' || dot.start !== end) break;
        const seg = tokens[j + 1];
        if (seg === undefined || !SEGMENT_KINDS.has(seg.kind) || seg.start !== dot.end) {
          malformed = true;
          end = dot.end;
          j += 1;
          break;
        }
        segments.push(seg);
        end = seg.end;
        j += 2;
      }
      items.push({ kind: 'ident', raw: src.slice(t.start, end), segments, malformed });
      i = j;
      continue;
    }
    const j = closing[i] ?? -1;
    if (t.kind === 'lparen' && j > i) {
      const close = tokens[j] as Token;
      items.push({ kind: 'paren', raw: src.slice(t.start, close.end), inner: tokens.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    items.push({ kind: 'token', raw: t.text, tok: t });
    i += 1;
  }
  return items;
}

/** Bare words that sqlparse treats as syntax (keywords / comparison operators) rather than as names. */
export const RESERVED = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'ILIKE', 'RLIKE', 'REGEXP']);
export const LIKE_WORDS = new Set(['LIKE', 'ILIKE', 'RLIKE', 'REGEXP']);

export function keywordOf(item: Item | undefined): string | null {
  if (item === undefined || item.kind !== 'ident' || item.malformed || item.segments.length !== 1) return null;
  const seg = item.segments[0] as Token;
  if (seg.kind !== 'word') return null;
  const upper = seg.text.toUpperCase();
  return RESERVED.has(upper) ? upper : null;
}

export function isName(item: Item | undefined): item is IdentItem {
  return item !== undefined && item.kind === 'ident' && !item.malformed && keywordOf(item) === null;
}

export function isValueItem(item: Item | undefined): item is Item {
  if (item === undefined) return false;
  if (item.kind === 'paren') return true;
  if (item.kind === 'token') return item.tok.kind === 'squote' || item.tok.kind === 'number';
  if (item.malformed) return false;
  const kw = keywordOf(item);
  return kw === null || kw === 'NULL';
}

