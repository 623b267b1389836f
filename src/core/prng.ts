/**
 * mulberry32: a small seeded 32-bit generator of uniforms in [0, 1). The same seed gives the same sequence on every
 * run and in the Python fixture scripts (`scripts/stats/make_distance_fixtures.py` transcribes it), so sampling,
 * shuffles and permutation tests are reproducible.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** At most `k` of `items`, drawn without replacement by a seeded partial Fisher–Yates shuffle (all of them when there are no more than `k`). */
export function sampleOf<T>(items: readonly T[], k: number, seed: number): T[] {
  if (items.length <= k) return [...items];
  const a = [...items];
  const rand = mulberry32(seed);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (a.length - i));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}
