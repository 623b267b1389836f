import { invalidParam, notFound } from '../core/errors/index.js';
import { newUuid } from '../core/index.js';
import { CsvError, parseCsvTable } from '../serving/protocols/csv-table.js';
import type { Feedback, Label, Prediction, PredictionQuery, RollupDelta, Store } from '../store/index.js';
import { scoreLabel } from './label-scoring.js';
import type { RollupWriter } from './rollups.js';
import { buildStats, parseStatsQuery } from './stats.js';
import type { PredictionLog } from './prediction-log.js';

type Req = Record<string, unknown>;

const MAX_RESULTS = 1000;
const MAX_COMMENT = 10_000;
const MAX_LABELS = 100_000;
/** Unmatched rows reported back at most per labels request. */
const MAX_UNMATCHED = 100;

/** An epoch-ms integer or an ISO 8601 time. */
function parseTime(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v))) {
    const n = Number(v);
    if (Number.isSafeInteger(n) && n >= 0) return n;
  } else if (typeof v === 'string') {
    const t = Date.parse(v);
    if (Number.isFinite(t)) return t;
  }
  throw invalidParam(`${field} must be epoch milliseconds or an ISO 8601 time, got ${JSON.stringify(v).slice(0, 100)}`, field);
}

/** `200`, `4xx`, `5xx`, `error` (4xx and 5xx) or `ok` (below 400). */
function parseStatus(v: unknown): PredictionQuery['status'] {
  if (v === undefined || v === null || v === '') return undefined;
  const s = String(v).toLowerCase();
  if (s === 'error') return { min: 400, max: 599 };
  if (s === 'ok') return { min: 100, max: 399 };
  if (/^[1-5]xx$/.test(s)) return { min: Number(s[0]) * 100, max: Number(s[0]) * 100 + 99 };
  if (/^[1-5]\d\d$/.test(s)) return { min: Number(s), max: Number(s) };
  throw invalidParam(`status must be a code (200), a class (4xx), error or ok, got ${JSON.stringify(v).slice(0, 50)}`, 'status');
}

function optString(v: unknown, field: string, max = 256): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || v.length > max) throw invalidParam(`${field} must be a string of at most ${max} characters`, field);
  return v;
}

const encodeCursor = (c: { time: number; id: string }) => Buffer.from(JSON.stringify([c.time, c.id]), 'utf8').toString('base64url');

function decodeCursor(v: unknown): { time: number; id: string } | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  try {
    const [time, id] = JSON.parse(Buffer.from(String(v), 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof time === 'number' && Number.isSafeInteger(time) && typeof id === 'string') return { time, id };
  } catch {
    // reported below
  }
  throw invalidParam('Invalid page_token: use the next_page_token of the previous page', 'page_token');
}

/** JSON text as a value; a truncated (cut) text stays a string. */
function jsonOrText(text: string | null, truncated: boolean): unknown {
  if (text === null) return null;
  if (truncated) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function predictionToWire(p: Prediction, extra: { feedback?: Feedback[]; label?: Label | undefined } = {}): Req {
  return {
    id: p.id,
    time: p.time,
    deployment: p.deployment,
    model: p.model,
    version: p.version,
    endpoint: p.endpoint,
    status: p.status,
    latency_ms: p.latencyMs,
    prompt_tokens: p.promptTokens,
    completion_tokens: p.completionTokens,
    cost_usd: p.costUsd,
    entity_key: p.entityKey,
    inputs: jsonOrText(p.inputs, p.truncated),
    outputs: jsonOrText(p.outputs, p.truncated),
    truncated: p.truncated,
    ...(extra.feedback ? { feedback: extra.feedback.map(feedbackToWire) } : {}),
    ...(extra.label ? { label: JSON.parse(extra.label.label) as unknown, labelled_at: extra.label.time } : {}),
  };
}

export const feedbackToWire = (f: Feedback): Req => ({ id: f.id, prediction_id: f.predictionId, time: f.time, thumbs: f.thumbs === 1 ? 'up' : f.thumbs === -1 ? 'down' : null, score: f.score, comment: f.comment });

/** One label as given: which prediction (by id, or the latest one about an entity), the value, and when. */
interface LabelInput {
  predictionId?: string | undefined;
  entityKey?: string | undefined;
  label: unknown;
  time?: number | undefined;
}

/**
 * The read side of the prediction log and what attaches to it: queries with filters and keyset paging, export, user
 * feedback, and ground-truth labels that arrive later (by prediction id, or joined by entity key).
 */
export class PredictionService {
  constructor(
    private readonly store: Store,
    private readonly log: PredictionLog,
    private readonly rollups: RollupWriter,
  ) {}

  /**
   * `GET /api/v1/deployments/{name}/stats`: per version and step, request rate, error rate, latency percentiles,
   * cost, tokens/s, feedback and labelled performance, from the minute roll-ups (this replica's latest counts
   * included). 404 for a deployment that does not exist.
   */
  async stats(name: string, query: Record<string, unknown>) {
    const d = await this.store.deployments.get(name);
    const w = parseStatsQuery(query);
    await this.rollups.flush();
    return { deployment: d.name, ...buildStats(await this.store.predictions.rollupSeries({ deployment: d.name, ...w }), w) };
  }

  /** Reads `GET /api/v1/predictions` parameters. */
  parseQuery(q: Req, maxDefault = 100): PredictionQuery {
    const raw = q.max_results ?? maxDefault;
    const maxResults = Number(raw);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) throw invalidParam(`max_results must be an integer 1-${MAX_RESULTS}`, 'max_results');
    const from = parseTime(q.from, 'from');
    const to = parseTime(q.to, 'to');
    if (from !== undefined && to !== undefined && from >= to) throw invalidParam('from must be before to', 'from');
    return {
      deployment: optString(q.deployment, 'deployment'),
      version: optString(q.version, 'version', 32),
      status: parseStatus(q.status),
      entityKey: optString(q.entity_key, 'entity_key'),
      from,
      to,
      maxResults,
      after: decodeCursor(q.page_token),
    };
  }

  async list(q: PredictionQuery): Promise<{ predictions: Req[]; next_page_token?: string }> {
    // What was served a moment ago is listed too: the write buffer goes out first.
    if (!q.after) await this.log.flush();
    const page = await this.store.predictions.list(q);
    const ids = page.items.map((p) => p.id);
    const [feedback, labels] = await Promise.all([this.store.predictions.feedbackFor(ids), this.store.predictions.labelsFor(ids)]);
    const fb = new Map<string, Feedback[]>();
    for (const f of feedback) fb.set(f.predictionId, [...(fb.get(f.predictionId) ?? []), f]);
    const lb = new Map(labels.map((l) => [l.predictionId, l]));
    return {
      predictions: page.items.map((p) => predictionToWire(p, { feedback: fb.get(p.id) ?? [], label: lb.get(p.id) })),
      ...(page.next ? { next_page_token: encodeCursor(page.next) } : {}),
    };
  }

  /** One prediction; one still in the write buffer is written first, so an id just returned to a client is found. */
  async get(id: string): Promise<Req> {
    const p = await this.find(id);
    const [feedback, labels] = await Promise.all([this.store.predictions.feedbackFor([id]), this.store.predictions.labelsFor([id])]);
    return predictionToWire(p, { feedback, label: labels[0] });
  }

  private async find(id: unknown): Promise<Prediction> {
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) throw invalidParam('prediction_id must be a prediction id (the x-pitwall-prediction-id header of an answer)', 'prediction_id');
    try {
      return await this.store.predictions.get(id);
    } catch {
      await this.log.flush();
      return this.store.predictions.get(id);
    }
  }

  /** Every prediction matching `q` (its paging ignored), newest first, a page at a time. */
  async *all(q: PredictionQuery): AsyncGenerator<{ p: Prediction; label: Label | undefined }> {
    let after: PredictionQuery['after'];
    await this.log.flush();
    for (;;) {
      const page = await this.store.predictions.list({ ...q, maxResults: 1000, after });
      const labels = new Map((await this.store.predictions.labelsFor(page.items.map((p) => p.id))).map((l) => [l.predictionId, l]));
      for (const p of page.items) yield { p, label: labels.get(p.id) };
      if (!page.next) return;
      after = page.next;
    }
  }

  /** `POST /api/v1/feedback`: thumbs (`up`/`down`), a score, a comment; at least one. */
  async addFeedback(body: unknown): Promise<Req> {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidParam('The body must be a JSON object {prediction_id, thumbs, score, comment}', 'body');
    const b = body as Req;
    const p = await this.find(b.prediction_id);
    let thumbs: 1 | -1 | null = null;
    if (b.thumbs !== undefined && b.thumbs !== null) {
      if (b.thumbs === 'up' || b.thumbs === 1 || b.thumbs === true) thumbs = 1;
      else if (b.thumbs === 'down' || b.thumbs === -1 || b.thumbs === false) thumbs = -1;
      else throw invalidParam('thumbs must be "up" or "down"', 'thumbs');
    }
    let score: number | null = null;
    if (b.score !== undefined && b.score !== null) {
      if (typeof b.score !== 'number' || !Number.isFinite(b.score)) throw invalidParam('score must be a finite number', 'score');
      score = b.score;
    }
    const comment = b.comment === undefined || b.comment === null ? null : optString(b.comment, 'comment', MAX_COMMENT) ?? null;
    if (thumbs === null && score === null && comment === null) throw invalidParam('Give at least one of thumbs, score and comment', 'thumbs');
    const f: Feedback = { id: newUuid(), predictionId: p.id, time: Date.now(), thumbs, score, comment };
    await this.store.predictions.addFeedback(f);
    // Counted in the minute of the prediction it is about, so feedback rates line up with the traffic they judge.
    await this.store.predictions.addRollups([
      {
        ...rollupKey(p),
        values: { feedback_up: thumbs === 1 ? 1 : 0, feedback_down: thumbs === -1 ? 1 : 0, feedback_scored: score === null ? 0 : 1, feedback_score_sum: score ?? 0 },
      },
    ]);
    return feedbackToWire(f);
  }

  /**
   * `POST /api/v1/labels`: one label `{prediction_id | entity_key, label, time?}`, a list `{labels: […]}`, or a CSV or
   * JSON-lines body with those columns. A label by entity key joins the latest prediction about that entity at or
   * before its `time` (default now). One unmatched label alone is a 404; in a bulk request unmatched rows are
   * reported and the rest stored.
   */
  async addLabels(body: unknown, contentType: string): Promise<{ accepted: number; unscored: number; unmatched: { index: number; reason: string }[] }> {
    const { inputs, single } = this.labelInputs(body, contentType);
    await this.log.flush();
    const now = Date.now();
    const byId = await this.store.predictions.existing(inputs.flatMap((l) => (l.predictionId ? [l.predictionId] : [])));
    const labels: Label[] = [];
    const unmatched: { index: number; reason: string }[] = [];
    for (const [index, l] of inputs.entries()) {
      let id: string | undefined;
      if (l.predictionId !== undefined) id = byId.has(l.predictionId) ? l.predictionId : undefined;
      else id = (await this.store.predictions.latestForEntity(l.entityKey!, l.time ?? now))?.id;
      if (id === undefined) {
        const reason = l.predictionId !== undefined ? `prediction ${l.predictionId} is not in the prediction log` : `no prediction about entity '${l.entityKey}' at or before that time`;
        if (single) throw notFound(reason, l.predictionId !== undefined ? 'prediction_id' : 'entity_key');
        if (unmatched.length < MAX_UNMATCHED) unmatched.push({ index, reason });
        continue;
      }
      labels.push({ predictionId: id, label: JSON.stringify(l.label), time: l.time ?? now });
    }
    // A label given again replaces the old one: its score comes out of the roll-ups before the new one goes in.
    const previous = await this.store.predictions.labelsFor(labels.map((l) => l.predictionId));
    await this.store.predictions.setLabels(labels);
    const { deltas, unscored } = await this.labelDeltas(labels, previous);
    await this.store.predictions.addRollups(deltas);
    return { accepted: labels.length, unscored, unmatched };
  }

  private labelInputs(body: unknown, contentType: string): { inputs: LabelInput[]; single: boolean } {
    let rows: unknown[];
    let lineNumbers: number[] | undefined;
    let single = false;
    let from = 'labels';
    if (contentType.includes('csv')) {
      let table;
      try {
        table = parseCsvTable(String((body as { text?: string })?.text ?? ''));
      } catch (e) {
        throw invalidParam(`The CSV body cannot be read: ${e instanceof CsvError ? e.message : String(e)}`, 'body');
      }
      rows = table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i] ?? undefined])));
      from = 'row';
    } else if (contentType.includes('ndjson') || contentType.includes('jsonl')) {
      const lines = String((body as { text?: string })?.text ?? '')
        .split('\n')
        .map((l, i) => ({ l, n: i + 1 }))
        .filter(({ l }) => l.trim() !== '');
      rows = lines.map(({ l, n }) => {
        try {
          return JSON.parse(l) as unknown;
        } catch {
          throw invalidParam(`Line ${n} is not JSON`, `line[${n}]`);
        }
      });
      // Errors name the line as an editor numbers it (1-based, blank lines counted).
      lineNumbers = lines.map(({ n }) => n);
      from = 'line';
    } else if (body && typeof body === 'object' && !Array.isArray(body) && Array.isArray((body as Req).labels)) {
      rows = (body as Req).labels as unknown[];
    } else {
      rows = [body];
      single = true;
    }
    if (rows.length === 0) throw invalidParam('No labels given', 'labels');
    if (rows.length > MAX_LABELS) throw invalidParam(`At most ${MAX_LABELS} labels per request`, 'labels');
    const inputs = rows.map((r, i): LabelInput => {
      const at = `${from}[${lineNumbers ? lineNumbers[i] : i}]`;
      const field = (f: string) => (single ? f : `${at}.${f}`);
      if (!r || typeof r !== 'object' || Array.isArray(r)) throw invalidParam(`${single ? 'The body' : at} must be an object {prediction_id | entity_key, label, time}`, single ? 'body' : at);
      const o = r as Req;
      const predictionId = optString(o.prediction_id, field('prediction_id'), 36);
      const entityKey = optString(o.entity_key, field('entity_key'));
      if ((predictionId === undefined) === (entityKey === undefined)) throw invalidParam('Give exactly one of prediction_id and entity_key', field('prediction_id'));
      if (o.label === undefined || o.label === null || o.label === '') throw invalidParam("Missing value for required parameter 'label'", field('label'));
      // CSV cells are text: a number-looking label is a number, as pandas reads it.
      const label = from === 'row' && typeof o.label === 'string' && o.label.trim() !== '' && Number.isFinite(Number(o.label)) ? Number(o.label) : o.label;
      return { predictionId, entityKey, label, time: parseTime(o.time, field('time')) };
    });
    return { inputs, single };
  }

  /** Roll-up changes for new labels: each label's score added, the score of the label it replaces taken away. */
  private async labelDeltas(labels: Label[], previous: Label[]): Promise<{ deltas: RollupDelta[]; unscored: number }> {
    const last = new Map(labels.map((l) => [l.predictionId, l]));
    const preds = new Map((await this.store.predictions.getMany([...last.keys()])).map((p) => [p.id, p]));
    const deltas: RollupDelta[] = [];
    let unscored = 0;
    const push = (p: Prediction, label: string, sign: 1 | -1) => {
      const s = scoreLabel(p, JSON.parse(label) as unknown);
      if (s) deltas.push({ ...rollupKey(p), values: Object.fromEntries(Object.entries(s).map(([k, n]) => [k, sign * (n ?? 0)])) });
      else if (sign === 1) unscored++;
    };
    for (const old of previous) {
      const p = preds.get(old.predictionId);
      if (p) push(p, old.label, -1);
    }
    for (const l of last.values()) {
      const p = preds.get(l.predictionId);
      if (p) push(p, l.label, 1);
    }
    return { deltas, unscored };
  }
}

/** The roll-up row a prediction's feedback and labels count in. */
const rollupKey = (p: Prediction) => ({ deployment: p.deployment, model: p.model, version: p.version, minute: Math.floor(p.time / 60_000) });
