/**
 * Drift monitors (`src/drift/monitors/`): a deployment's prediction log compared with a reference on a schedule.
 * The store keeps the monitor's spec as given (validated by the service) and the result of every check.
 */

/** What the current traffic is compared with. */
export type MonitorReference =
  /** A CSV or JSON lines file uploaded to the monitor, kept in the artifact store at `path`. */
  | { type: 'upload'; path: string; format: 'csv' | 'jsonl'; rows: number; uploadedAt: number }
  /** A dataset file logged as an artifact of a tracking run. */
  | { type: 'run_artifact'; runId: string; path: string }
  /** A past window of a deployment's prediction log (epoch ms, `to` exclusive). */
  | { type: 'window'; deployment: string; from: number; to: number };

export interface MonitorWebhook {
  url: string;
  /** `json` (Pitwall's alert object) or `slack` (an incoming-webhook message: `{text, blocks}`). */
  format: 'json' | 'slack';
}

/** What an `llm_quality` monitor watches, and when it calls the quality degraded. */
export interface QualitySpec {
  /** An LLM judge: a chat deployment grading `sampleSize` new answers per check (1–5) against `rubric`. */
  judge: { deployment: string; rubric: string; sampleSize: number } | null;
  /** New answers per check sampled into the human review queue. */
  reviewSampleSize: number;
  /** A grade at or above this passes (default 4). */
  passScore: number;
  /** Degraded when the thumbs-down rate is above this with confidence (the interval's low end above it). Default 0.2. */
  maxThumbsDownRate: number;
  /** Degraded when the pass rate (judge or people) is below this with confidence (the interval's high end below it). Default 0.7. */
  minPassRate: number;
  /** Of the intervals (default 0.95). */
  confidence: number;
  /** Fewest votes or grades a rate needs to be judged (default 10). */
  minCount: number;
}

/**
 * What a `performance` monitor measures: a metric per chunk of `chunkSize` rows against the reference's band, on
 * labels where they have come and (`estimate`, binary classifiers with probabilities) CBPE's estimate where not.
 */
export interface PerformanceSpec {
  metric: 'accuracy' | 'precision' | 'recall' | 'f1' | 'roc_auc' | 'mae' | 'rmse';
  /** Rows per chunk; also the chunking of a reference file without times when `chunkMinutes` is set. */
  chunkSize: number;
  /** Chunks by time instead: the rows of each period of this many minutes (UTC-aligned; 60 hourly, 1440 daily). */
  chunkMinutes?: number | null;
  /** The positive class (precision, recall, F1, ROC AUC, CBPE), default 1. */
  positiveLabel: number | string;
  /** Its column in a probabilities output of two or more columns, default 1. */
  positiveIndex: number;
  estimate: boolean;
}

/** What a monitor is told to do; the service validates it. `options` are drift report options (`DriftOptions`, snake-cased on the wire). */
export interface MonitorSpec {
  name: string;
  description: string;
  /** `data`: the drift report of the traffic against a reference; `llm_quality`: feedback, judge and human grades. */
  type: 'data' | 'llm_quality' | 'performance';
  deployment: string;
  reference: MonitorReference | null;
  /** Cron, five or six fields. */
  schedule: string;
  timezone: string;
  /** Length of the window of recent traffic each check reads, in minutes. */
  windowMinutes: number;
  /** Most predictions a check reads from its window (the newest). */
  maxRows: number;
  options: Record<string, unknown>;
  webhooks: MonitorWebhook[];
  enabled: boolean;
  /** Set for `llm_quality` monitors. */
  quality: QualitySpec | null;
  /** Set for `performance` monitors. */
  performance?: PerformanceSpec | null;
  /**
   * A `data` monitor of a dataset rather than a deployment's traffic: each check compares the file `path` logged by
   * the newest run of the experiment that has it (a batch pipeline's output, say) with the reference.
   */
  current?: { type: 'latest_run_artifact'; experimentId: string; path: string } | null;
}

/** `unknown` until the first tested check; then whether the last tested check found dataset drift. Alerts fire on changes. */
export type MonitorState = 'unknown' | 'ok' | 'drifted';

export interface Monitor extends MonitorSpec {
  state: MonitorState;
  createdAt: number;
  updatedAt: number;
}

export type MonitorRunStatus = 'ok' | 'drifted' | 'insufficient_data' | 'error';

export interface MonitorRun {
  /** A UUIDv7: sorts by time. */
  id: string;
  monitor: string;
  /** When the check ran, epoch ms. */
  time: number;
  /** The window of the prediction log read, epoch ms (`windowTo` exclusive). */
  windowFrom: number;
  windowTo: number;
  status: MonitorRunStatus;
  referenceRows: number;
  currentRows: number;
  tested: number;
  drifted: number;
  /** drifted / tested; null when nothing could be tested. */
  share: number | null;
  /** The drift report (a `DriftReport`), null when the check failed before one was made. */
  report: unknown;
  error: string | null;
  /** The alert this check sent: `drift` on a change to drifted, `recovery` back to ok. */
  alert: 'drift' | 'recovery' | null;
  /** Why the webhooks failed, when one did (the check itself stands). */
  alertError: string | null;
}
