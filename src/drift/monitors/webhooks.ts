import type { Monitor, MonitorRun, MonitorWebhook } from '../../store/index.js';

/** What a webhook receives (`json` format) when a monitor's verdict changes. */
export interface DriftAlert {
  kind: 'drift' | 'recovery';
  monitor: string;
  deployment: string;
  runId: string;
  time: number;
  windowFrom: number;
  windowTo: number;
  drifted: number;
  tested: number;
  share: number | null;
  /** The drifted columns, most drifted first (by score against threshold), at most 10. */
  columns: { column: string; test: string; score: number; threshold: number }[];
  /** For an `llm_quality` monitor: the rates past their thresholds, with their intervals. */
  signals?: { name: string; rate: number; low: number; high: number; threshold: number }[];
  text: string;
  /** The check's page in the UI, when the server's public URL is known. */
  url?: string;
}

interface ReportColumn {
  column: string;
  drifted: boolean;
  test?: string;
  score?: number;
  threshold?: number;
  scoreKind?: 'p_value' | 'distance';
  derivedFrom?: string;
}

interface ReportSignal {
  name: string;
  rate: number | null;
  interval: { low: number; high: number } | null;
  threshold: number;
  direction: 'above' | 'below';
  degraded: boolean;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function alertOf(kind: 'drift' | 'recovery', m: Monitor, run: MonitorRun, baseUrl?: string): DriftAlert {
  const report = run.report as { columns?: ReportColumn[]; signals?: ReportSignal[] } | null;
  const columns = (report?.columns ?? [])
    .filter((c) => c.drifted && c.derivedFrom === undefined && c.score !== undefined && c.threshold !== undefined)
    // Furthest past its threshold first: a small p-value, a large distance.
    .sort((a, b) => severity(b) - severity(a))
    .slice(0, 10)
    .map((c) => ({ column: c.column, test: c.test!, score: c.score!, threshold: c.threshold! }));
  const share = run.share === null ? '' : ` (${Math.round(run.share * 100)}%)`;
  const signals = (report?.signals ?? [])
    .filter((s) => s.degraded && s.rate !== null && s.interval)
    .map((s) => ({ name: s.name, rate: s.rate!, low: s.interval!.low, high: s.interval!.high, threshold: s.threshold, direction: s.direction }));
  const perf = report as { metric?: string; reference?: { band?: { lower: number | null; upper: number | null } } } | null;
  const band = perf?.reference?.band;
  const where = m.current ? `the newest ${m.current.path} of experiment ${m.current.experimentId}` : `deployment ${m.deployment}`;
  const text =
    m.type === 'performance'
      ? kind === 'drift'
        ? `Performance alert on ${where} (monitor ${m.name}): ${run.drifted} of ${run.tested} chunks of ${perf?.metric ?? 'the metric'} outside the band ${band?.lower?.toFixed(3) ?? '−∞'}–${band?.upper?.toFixed(3) ?? '∞'}.`
        : `Recovered: monitor ${m.name} finds ${perf?.metric ?? 'the metric'} on ${where} back within its band.`
      : m.type === 'llm_quality'
      ? kind === 'drift'
        ? `Quality degraded on deployment ${m.deployment} (monitor ${m.name}): ${signals.map((s) => `${s.name.replaceAll('_', ' ')} ${pct(s.rate)} (interval ${pct(s.low)}–${pct(s.high)}) ${s.direction} ${pct(s.threshold)}`).join('; ')}.`
        : `Recovered: monitor ${m.name} finds the quality of deployment ${m.deployment} within its thresholds.`
      : kind === 'drift'
        ? `Drift detected by monitor ${m.name} on ${where}: ${run.drifted} of ${run.tested} columns drifted${share}${columns.length ? `: ${columns.map((c) => c.column).join(', ')}` : ''}.`
        : `Recovered: monitor ${m.name} on ${where} finds no dataset drift (${run.drifted} of ${run.tested} columns drifted${share}).`;
  const url = baseUrl ? `${baseUrl.replace(/\/$/, '')}/monitors/${encodeURIComponent(m.name)}/runs/${run.id}` : undefined;
  return {
    kind,
    monitor: m.name,
    deployment: m.deployment,
    runId: run.id,
    time: run.time,
    windowFrom: run.windowFrom,
    windowTo: run.windowTo,
    drifted: run.drifted,
    tested: run.tested,
    share: run.share,
    columns,
    ...(m.type === 'llm_quality' ? { signals: signals.map(({ direction: _d, ...rest }) => rest) } : {}),
    text,
    ...(url ? { url } : {}),
  };
}

function severity(c: ReportColumn): number {
  if (c.scoreKind === 'p_value') return -Math.log10(Math.max(c.score!, 1e-300) / c.threshold!);
  return c.score! / c.threshold!;
}

/** The body posted to a webhook: the alert itself, or a Slack incoming-webhook message. */
export function webhookBody(hook: MonitorWebhook, a: DriftAlert): unknown {
  if (hook.format === 'json') return a;
  const lines = a.columns.map((c) => `• *${c.column}*: ${c.test} ${formatScore(c.score)} (threshold ${c.threshold})`);
  return {
    text: a.text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${a.kind === 'drift' ? ':warning:' : ':white_check_mark:'} ${a.text}${a.url ? ` <${a.url}|Open the report>` : ''}` } },
      ...(lines.length ? [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }] : []),
    ],
  };
}

const formatScore = (x: number) => (Math.abs(x) >= 0.001 || x === 0 ? x.toFixed(3) : x.toExponential(2));

/**
 * Posts the alert to every webhook (10 s each, two attempts: a connect error or a 5xx is retried once). Answers the
 * failures, one line per hook, or null when all were delivered. A hook's URL is shown by its origin only: the path of
 * a Slack webhook is its secret.
 */
export async function sendAlert(hooks: MonitorWebhook[], a: DriftAlert, fetchImpl: typeof fetch = fetch): Promise<string | null> {
  const failures: string[] = [];
  for (const hook of hooks) {
    let last = '';
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const res = await fetchImpl(hook.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'pitwall-monitor' },
          body: JSON.stringify(webhookBody(hook, a)),
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          last = '';
          break;
        }
        last = `HTTP ${res.status}`;
        if (res.status < 500) break;
      } catch (e) {
        const message = (e as Error).name === 'TimeoutError' ? 'no answer in 10 s' : ((e as Error & { cause?: Error }).cause?.message ?? (e as Error).message);
        // An error may quote the URL, path and all: it is stored and shown, so the URL never stays in it.
        last = message.split(hook.url).join(new URL(hook.url).origin);
      }
    }
    if (last) failures.push(`${new URL(hook.url).origin}: ${last}`);
  }
  return failures.length ? failures.join('; ') : null;
}
