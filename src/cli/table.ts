/** Plain-text tables for a terminal: widths measured in terminal cells (wide CJK and emoji count 2). */

export interface TableOptions {
  /** Header cells; printed first. */
  header?: string[];
  /** Longest a body cell may be, in cells; one number for all columns or one per column (default 40). */
  maxWidth?: number | number[];
  /** Alignment per column (default left). */
  align?: Array<'left' | 'right'>;
  /** Prefix of every line (default none). */
  indent?: string;
  /** Spaces between columns (default 2). */
  gap?: number;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;

function isWideCodePoint(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function graphemeWidth(g: string): number {
  if (ZERO_WIDTH.test(g)) return 0;
  const cp = g.codePointAt(0) ?? 0;
  if (isWideCodePoint(cp)) return 2;
  // Emoji presentation: pictographs joined or followed by VS16 take two cells.
  if (PICTOGRAPHIC.test(g) && (g.includes('\u{fe0f}') || g.includes('\u{200d}') || cp >= 0x1f000)) return 2;
  return 1;
}

/** Replaces control characters (newlines, tabs, terminal escapes from stored data) so a cell stays on one line. */
export function sanitizeCell(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\t\n\r]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\u{fffd}');
}

/** Width of `s` in terminal cells. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const { segment } of segmenter.segment(s)) w += graphemeWidth(segment);
  return w;
}

/** Cuts `s` to at most `max` cells, ending in "…" when anything was cut; never splits a grapheme. */
export function truncate(s: string, max: number): string {
  if (displayWidth(s) <= max) return s;
  if (max <= 0) return '';
  let out = '';
  let w = 0;
  for (const { segment } of segmenter.segment(s)) {
    const gw = graphemeWidth(segment);
    if (w + gw > max - 1) break;
    out += segment;
    w += gw;
  }
  return `${out}…`;
}

function pad(s: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** Formats rows as aligned columns; trailing spaces are trimmed. Returns the lines without a final newline. */
export function formatTable(rows: string[][], opts: TableOptions = {}): string {
  const all = opts.header ? [opts.header, ...rows] : rows;
  const ncols = Math.max(0, ...all.map((r) => r.length));
  const maxOf = (i: number): number => (Array.isArray(opts.maxWidth) ? (opts.maxWidth[i] ?? 40) : (opts.maxWidth ?? 40));
  // Header cells may be wider than the body's limit (up to 32 cells): a column's name matters more than its width.
  const cells = all.map((r, ri) =>
    Array.from({ length: ncols }, (_, i) => truncate(sanitizeCell(r[i] ?? ''), opts.header && ri === 0 ? Math.max(maxOf(i), 32) : maxOf(i))),
  );
  const widths = Array.from({ length: ncols }, (_, i) => Math.max(0, ...cells.map((r) => displayWidth(r[i] ?? ''))));
  const gap = ' '.repeat(opts.gap ?? 2);
  const indent = opts.indent ?? '';
  return cells
    .map((r) => indent + r.map((c, i) => pad(c, widths[i] ?? 0, opts.align?.[i] ?? 'left')).join(gap).trimEnd())
    .join('\n');
}
