import type { ModelCard } from '../../sdk/registry-types.js';
import { formatValue } from '../format.js';
import { scoreScale } from '../model-format.js';

/** A version's model card: intended use, evaluation scores (with bars), known failure modes and limitations. */
export function ModelCardSection({ card }: { card: ModelCard | null }) {
  const empty = !card || (!card.intendedUse && !card.limitations && card.evaluationScores.length === 0 && card.knownFailureModes.length === 0);
  return (
    <section className="card" data-testid="model-card">
      <h2>Model card</h2>
      {empty || !card ? (
        <p className="muted">
          No card yet. Fill one in with <span className="mono">PATCH /api/v1/models/&lt;name&gt;/versions/&lt;v&gt;/card</span> (intended use,
          evaluation scores, known failure modes, limitations).
        </p>
      ) : (
        <>
          <h3 className="subhead">Intended use</h3>
          {card.intendedUse ? <p className="prose" data-testid="intended-use">{card.intendedUse}</p> : <p className="muted">Not stated.</p>}
          <h3 className="subhead">Evaluation scores</h3>
          <ScoreBars scores={card.evaluationScores} />
          <h3 className="subhead">Known failure modes</h3>
          {card.knownFailureModes.length === 0 ? (
            <p className="muted">None recorded.</p>
          ) : (
            <ul className="failure-modes" data-testid="failure-modes">
              {card.knownFailureModes.map((f, i) => (
                <li key={i}>{f}</li>
              ))}
            </ul>
          )}
          <h3 className="subhead">Limitations</h3>
          {card.limitations ? <p className="prose">{card.limitations}</p> : <p className="muted">Not stated.</p>}
        </>
      )}
    </section>
  );
}

/** Scores as a table with a bar per row: against 1 when all lie in [0, 1], else against the largest magnitude. */
function ScoreBars({ scores }: { scores: ModelCard['evaluationScores'] }) {
  if (scores.length === 0) return <p className="muted">None recorded.</p>;
  const scale = scoreScale(scores.map((s) => s.value));
  return (
    <table className="table score-table" data-testid="scores-table">
      <thead>
        <tr>
          <th>Metric</th>
          <th>Dataset</th>
          <th className="num">Value</th>
          <th className="score-bar-col" aria-hidden="true" />
        </tr>
      </thead>
      <tbody>
        {scores.map((s, i) => {
          const pct = Number.isFinite(s.value) ? Math.min(100, (Math.abs(s.value) / scale) * 100) : 0;
          return (
            <tr key={`${s.metric}:${s.dataset ?? ''}:${i}`} data-testid="score-row">
              <td className="mono">{s.metric}</td>
              <td>{s.dataset ?? <span className="muted">—</span>}</td>
              <td className="num">{formatValue(s.value)}</td>
              <td className="score-bar-col" aria-hidden="true">
                <span className={s.value < 0 ? 'score-bar negative' : 'score-bar'} style={{ width: `${pct}%` }} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
