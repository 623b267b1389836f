/**
 * SQL `LIKE` pattern → anchored RegExp: `%` matches any run of characters (newlines included), `_` exactly one
 * character, everything else (backslash included: SQLite has no default LIKE escape) matches itself literally.
 * `caseInsensitive` gives `ILIKE`. Runs of `%` are collapsed to keep backtracking in check.
 */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '^';
  let lastWasPercent = false;
  for (const ch of pattern) {
    if (ch === '%') {
      if (!lastWasPercent) source += '[\\s\\S]*';
      lastWasPercent = true;
      continue;
    }
    lastWasPercent = false;
    source += ch === '_' ? '[\\s\\S]' : ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  return new RegExp(`${source}$`, caseInsensitive ? 'iu' : 'u');
}
