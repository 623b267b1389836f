import type { MouseEvent } from 'react';
import type { PredictionRecord } from '../../../sdk/monitoring-client.js';
import { formatTime } from '../../format.js';
import { versionPath } from '../../model-format.js';
import { feedbackSummary, formatLatencyMs, formatUsd, payloadFull, payloadPreview, statusClass, tokensText } from '../../monitoring-format.js';
import { CopyButton } from '../CopyButton.js';
import { Link } from '../Link.js';
import { type Fact, Facts } from './Facts.js';

/** Columns of the prediction table (the expanded detail spans them all). */
const COLUMNS = 12;

/** Whether the server cut this payload: the cut one is logged as text (when neither is, either may be). */
function wasCut(p: PredictionRecord, v: unknown): boolean {
  if (!p.truncated) return false;
  return typeof v === 'string' || (typeof p.inputs !== 'string' && typeof p.outputs !== 'string');
}

/** A payload on one line (JSON, cut to ~120 characters), marked when the server cut it at its payload limit. */
function Preview({ v, cut, testId }: { v: unknown; cut: boolean; testId: string }) {
  const preview = payloadPreview(v);
  return (
    <span className="payload-preview mono" data-testid={testId}>
      {preview.text}
      {cut && (
        <span className="tag-truncated" title="Cut at the server's payload limit (monitoring.maxPayloadBytes)" data-testid="truncated">
          truncated
        </span>
      )}
    </span>
  );
}

/** Thumbs given so far, as buttons that add one more. */
function Thumbs({ up, down, disabled, onThumbs }: { up: number; down: number; disabled: boolean; onThumbs: (t: 'up' | 'down') => void }) {
  return (
    <span className="reactions">
      <button type="button" className="reaction" data-testid="thumbs-up" data-count={up} disabled={disabled} aria-label={`Thumbs up (${up} so far)`} title={`Thumbs up (${up} so far): click to add one`} onClick={() => onThumbs('up')}>
        👍 {up}
      </button>
      <button type="button" className="reaction" data-testid="thumbs-down" data-count={down} disabled={disabled} aria-label={`Thumbs down (${down} so far)`} title={`Thumbs down (${down} so far): click to add one`} onClick={() => onThumbs('down')}>
        👎 {down}
      </button>
    </span>
  );
}

/** The expanded row: every fact of the prediction, its full inputs and outputs, and each piece of feedback. */
function Detail({ p }: { p: PredictionRecord }) {
  const facts: Fact[] = [
    ['Prediction id', <span className="nowrap">{p.id} <CopyButton text={p.id} /></span>, 'detail-id'],
    ['Endpoint', p.endpoint || '—'],
    ['Entity key', p.entityKey ?? '—'],
    ['Label', p.label === undefined ? 'not labelled yet' : `${payloadPreview(p.label, 200).text} (${formatTime(p.labelledAt)})`, 'detail-label'],
  ];
  if (p.truncated) facts.push(['Payload', <span className="warn">cut at the server's payload limit</span>]);
  return (
    <tr className="prediction-detail" data-testid="prediction-detail">
      <td colSpan={COLUMNS}>
        <Facts testId="prediction-facts" items={facts} />
        <div className="payloads">
          <div>
            <h4 className="subhead">Inputs</h4>
            <pre className="code-block" data-testid="detail-inputs">{payloadFull(p.inputs)}</pre>
          </div>
          <div>
            <h4 className="subhead">Outputs</h4>
            <pre className="code-block" data-testid="detail-outputs">{payloadFull(p.outputs)}</pre>
          </div>
        </div>
        <h4 className="subhead">Feedback</h4>
        {p.feedback.length === 0 ? (
          <p className="muted small">None yet.</p>
        ) : (
          <ul className="feedback-list" data-testid="detail-feedback">
            {p.feedback.map((f) => (
              <li key={f.id}>
                <span className="muted">{formatTime(f.time)}</span> {f.thumbs === 'up' ? '👍 thumbs up' : f.thumbs === 'down' ? '👎 thumbs down' : ''}
                {f.score !== null && <span className="mono"> score {f.score}</span>}
                {f.comment && <span className="feedback-comment"> “{f.comment}”</span>}
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}

/**
 * One logged prediction: time, version (linked), status coloured by class, latency, tokens, cost, entity key, one-line
 * inputs and outputs, label and feedback with 👍 / 👎 buttons. Clicking the row (not a link or button) expands it.
 */
export function PredictionRow({ p, open, onToggle, sending, onThumbs }: { p: PredictionRecord; open: boolean; onToggle: () => void; sending: boolean; onThumbs: (t: 'up' | 'down') => void }) {
  const fb = feedbackSummary(p.feedback);
  const onClick = (e: MouseEvent<HTMLTableRowElement>) => {
    if (!(e.target instanceof Element) || !e.target.closest('a, button')) onToggle();
  };
  return (
    <>
      <tr className={open ? 'prediction-row open' : 'prediction-row'} data-testid="prediction-row" data-id={p.id} data-status={p.status} onClick={onClick}>
        <td>
          <button type="button" className="link-button expander" aria-expanded={open} aria-label={open ? 'Hide details' : 'Show details'} data-testid="prediction-expand" onClick={onToggle}>
            {open ? '▾' : '▸'}
          </button>
        </td>
        <td className="nowrap">{formatTime(p.time)}</td>
        <td className="nowrap" data-testid="prediction-version">
          {p.model && p.version ? <Link to={versionPath(p.model, p.version)}>{`${p.model} v${p.version}`}</Link> : <span className="muted">{p.model || '—'}</span>}
        </td>
        <td>
          <span className={`status status-${statusClass(p.status)}`} data-testid="prediction-status">
            {p.status}
          </span>
        </td>
        <td className="num nowrap">{formatLatencyMs(p.latencyMs)}</td>
        <td className="num nowrap">{tokensText(p.promptTokens, p.completionTokens)}</td>
        <td className="num nowrap">{formatUsd(p.costUsd)}</td>
        <td className="mono entity-cell" data-testid="prediction-entity" title={p.entityKey ?? undefined}>
          {p.entityKey ?? <span className="muted">—</span>}
        </td>
        <td>
          <Preview v={p.inputs} cut={wasCut(p, p.inputs)} testId="prediction-inputs" />
        </td>
        <td>
          <Preview v={p.outputs} cut={wasCut(p, p.outputs)} testId="prediction-outputs" />
        </td>
        <td className="mono" data-testid="prediction-label">
          {p.label === undefined ? <span className="muted">—</span> : payloadPreview(p.label, 40).text}
        </td>
        <td className="nowrap" data-testid="prediction-feedback">
          <Thumbs up={fb.up} down={fb.down} disabled={sending} onThumbs={onThumbs} />
          {fb.comments.length > 0 && (
            <span className="muted small" title={fb.comments.join('\n')}>
              {' '}
              {fb.comments.length} comment{fb.comments.length === 1 ? '' : 's'}
            </span>
          )}
          {fb.scores.length > 0 && (
            <span className="muted small" title={`Scores: ${fb.scores.join(', ')}`}>
              {' '}
              score {Number((fb.scores.reduce((a, b) => a + b, 0) / fb.scores.length).toPrecision(3))}
            </span>
          )}
        </td>
      </tr>
      {open && <Detail p={p} />}
    </>
  );
}
