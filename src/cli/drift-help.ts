/** Help text of `pitwall drift report` (merged into help.ts's HELP). */

export const DRIFT_HELP: Record<string, string> = {
  drift: `Usage: pitwall drift report --reference FILE --current FILE [options]

Commands:
  drift report           compare two files column by column for data drift (no server needed)`,

  'drift report': `Usage: pitwall drift report --reference FILE --current FILE [options]

Compares every column of the current data with the reference, as Evidently's data drift preset does, on this
machine (no server). Files are CSV with a header row, or JSON lines (.jsonl / .ndjson, or --format jsonl).

Columns are numerical, categorical (text with few distinct values, or integers with at most 10), text (more than
half the values distinct), or embeddings (JSON arrays of numbers); ISO dates and empty columns are skipped.
The test is chosen per column as Evidently does: with 1,000 reference values or fewer, K-S (numerical, more than
5 distinct values), chi-square or the z-test (categories); above 1,000, the Wasserstein distance normed by the
reference's standard deviation, or Jensen-Shannon. Text and embedding columns get a domain classifier (ROC AUC
above 0.55; below 1,000 reference rows a p-value against random classifiers). p-values drift below 0.05,
distances at or above 0.1. The dataset drifts when at least half the tested columns do.

Options:
  -r, --reference FILE        the data the model was trained or validated on
  -c, --current FILE          the data to compare with it
  --format csv|jsonl          file format (default: by file name; .jsonl/.ndjson are JSON lines, else CSV)
  --html FILE                 also write a self-contained HTML report (distributions drawn over each other)
  --json                      print the report as JSON instead of a table
  --columns A,B               test only these columns
  --exclude A,B               leave these columns out (ids, timestamps)
  --kind COLUMN=KIND          read a column as num, cat, text or embedding instead of the inferred kind
  --test NAME                 the test for every column: ks, chisquare, z, wasserstein, jensenshannon, psi,
                              kl_div, hellinger, energy_distance, mannw, anderson, cramer_von_mises, t_test,
                              fisher_exact, mmd, text_content_drift, embedding_classifier
  --num-test, --cat-test, --text-test, --embedding-test NAME
                              the test for every column of that kind
  --column-test COLUMN=NAME   the test for one column (repeatable)
  --threshold X               the threshold for every column (p-value tests drift below it, distances at
                              or above it); --num-threshold, --cat-threshold, --text-threshold and
                              --embedding-threshold for a kind; --column-threshold COLUMN=X for one column
                              Precedence: the column's own, then its kind's, then every column's, then the
                              automatic choice with the test's default threshold.
  --correction bonferroni|bh  correct the p-values across columns (Bonferroni, or Benjamini-Hochberg)
  --drift-share X             share of tested columns that must drift for the dataset to (default 0.5)
  --min-rows N                values each side needs for a column to be tested (default 10); fewer is
                              reported as insufficient data
  --seed N                    seed of the randomised parts (classifier splits, permutations; default 0)
  --fail-on-drift             exit with code 3 when the dataset drifted (for pipelines)

Examples:
  pitwall drift report --reference train.csv --current last-week.csv --html drift.html
  pitwall drift report -r ref.jsonl -c cur.jsonl --num-test psi --correction bh --fail-on-drift`,
};
