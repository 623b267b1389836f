import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

/** Every module `client.ts` reaches through relative imports (what the web UI bundles). */
function importGraph(entry: URL): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (url: URL) => {
    if (seen.has(url.href)) return;
    const code = readFileSync(url, 'utf8');
    seen.set(url.href, code);
    for (const m of code.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm)) {
      if (/^\s*(?:import|export)\s+type\s/.test(m[0])) continue; // erased at build time
      visit(new URL(m[1]!.replace(/\.js$/, '.ts'), url));
    }
  };
  visit(entry);
  return seen;
}

describe('browser-safe SDK', () => {
  it('client.ts and everything it imports use no node: module and no process global', () => {
    const graph = importGraph(new URL('./client.ts', import.meta.url));
    const names = [...graph.keys()].map((k) => k.slice(k.lastIndexOf('/') + 1)).sort();
    for (const must of ['artifact-client.ts', 'registry-client.ts', 'registry-wire.ts', 'transport.ts']) assert.ok(names.includes(must), `${must} in ${names.join(', ')}`);
    assert.ok(!names.includes('artifact-files.ts'), 'the Node file helpers stay out of the browser path');
    for (const [file, code] of graph) {
      const bare = code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      assert.doesNotMatch(bare, /from\s+'node:|require\(|\bprocess\.|\bBuffer\b/, file);
    }
  });
});
