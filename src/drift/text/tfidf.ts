import type { CsrRows } from './logistic.js';
import { contentWords, ENGLISH_STOP_WORDS } from './tokenize.js';

/**
 * TF-IDF as scikit-learn's `TfidfVectorizer(sublinear_tf=True, max_df=0.5, stop_words="english")` computes it, the
 * vectoriser of Evidently's text drift:
 *
 * - words from `contentWords` (lowercased `\w\w+` runs less scikit-learn's English stop words);
 * - the vocabulary: every word of the fitted documents in at most `maxDf · n` of them (`max_df=0.5`: a word in more
 *   than half the documents tells nothing); then, if more than `maxFeatures` remain, the `maxFeatures` with the most
 *   occurrences over the corpus (scikit-learn's `max_features` rule; its ties fall in no defined order, ours
 *   alphabetically). Evidently sets no cap; ours (20,000 by default) keeps a large column's model small and changes
 *   nothing on columns with fewer distinct words;
 * - weight of word t in document d: tf · idf with tf = 1 + ln(count) (sublinear), idf = ln((1 + n) / (1 + df(t))) + 1
 *   (smooth idf, n documents fitted), then each row scaled to unit Euclidean length (a row without known words stays
 *   all zeros).
 */
export interface TfidfOptions {
  /** Largest share of the fitted documents a word may appear in; default 0.5. */
  maxDf?: number;
  /** Most words kept; default 20,000. */
  maxFeatures?: number;
  /** Default scikit-learn's English list. */
  stopWords?: ReadonlySet<string>;
  /** `1 + ln(tf)` instead of the raw count; default true. */
  sublinearTf?: boolean;
}

export const DEFAULT_MAX_FEATURES = 20_000;

export class Tfidf {
  private constructor(
    /** The words, in column order (alphabetical, as scikit-learn's `get_feature_names_out`). */
    readonly vocabulary: readonly string[],
    private readonly column: ReadonlyMap<string, number>,
    /** Inverse document frequency of each column. */
    readonly idf: Float64Array,
    private readonly sublinear: boolean,
    private readonly stopWords: ReadonlySet<string>,
  ) {}

  /** Learns the vocabulary and idf from `docs` and returns their TF-IDF rows, tokenizing each document once. */
  static fitTransform(docs: readonly string[], opts: TfidfOptions = {}): { model: Tfidf; rows: CsrRows } {
    const stopWords = opts.stopWords ?? ENGLISH_STOP_WORDS;
    const words = docs.map((d) => contentWords(d, stopWords));
    const df = new Map<string, number>();
    const total = new Map<string, number>();
    for (const ws of words) {
      for (const w of ws) total.set(w, (total.get(w) ?? 0) + 1);
      for (const w of new Set(ws)) df.set(w, (df.get(w) ?? 0) + 1);
    }
    const maxDocs = (opts.maxDf ?? 0.5) * docs.length;
    let kept = [...df.keys()].filter((w) => df.get(w)! <= maxDocs);
    const maxFeatures = opts.maxFeatures ?? DEFAULT_MAX_FEATURES;
    if (kept.length > maxFeatures) {
      kept.sort((a, b) => total.get(b)! - total.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
      kept = kept.slice(0, maxFeatures);
    }
    kept.sort();
    const column = new Map(kept.map((w, j) => [w, j]));
    const idf = new Float64Array(kept.length);
    for (let j = 0; j < kept.length; j++) idf[j] = Math.log((1 + docs.length) / (1 + df.get(kept[j]!)!)) + 1;
    const model = new Tfidf(kept, column, idf, opts.sublinearTf ?? true, stopWords);
    return { model, rows: model.rowsOf(words) };
  }

  /** TF-IDF rows of `docs` in this model's columns (words it has not seen are left out). */
  transform(docs: readonly string[]): CsrRows {
    return this.rowsOf(docs.map((d) => contentWords(d, this.stopWords)));
  }

  private rowsOf(words: readonly string[][]): CsrRows {
    const indptr = new Int32Array(words.length + 1);
    const indices: number[] = [];
    const values: number[] = [];
    const counts = new Map<number, number>();
    for (let i = 0; i < words.length; i++) {
      counts.clear();
      for (const w of words[i]!) {
        const j = this.column.get(w);
        if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
      }
      const cols = [...counts.keys()].sort((a, b) => a - b);
      let norm = 0;
      const start = values.length;
      for (const j of cols) {
        const c = counts.get(j)!;
        const v = (this.sublinear ? 1 + Math.log(c) : c) * this.idf[j]!;
        indices.push(j);
        values.push(v);
        norm += v * v;
      }
      if (norm > 0) {
        const s = 1 / Math.sqrt(norm);
        for (let k = start; k < values.length; k++) values[k]! *= s;
      }
      indptr[i + 1] = values.length;
    }
    return { kind: 'csr', rows: words.length, cols: this.vocabulary.length, indptr, indices: Int32Array.from(indices), values: Float64Array.from(values) };
  }
}
