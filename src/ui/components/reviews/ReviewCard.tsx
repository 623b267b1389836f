import { useEffect, useRef, useState } from 'react';
import { formatTime } from '../../format.js';
import { monitorPath } from '../../monitor-format.js';
import { GRADES, gradeOfKey } from '../../review-format.js';
import type { Grade, Review } from '../../reviews-client.js';
import { Link } from '../Link.js';
import { Spinner } from '../Spinner.js';

interface Props {
  readonly review: Review;
  readonly reviewer: string;
  readonly onReviewer: (name: string) => void;
  readonly busy: boolean;
  readonly onGrade: (g: Grade) => void;
}

/** Keys 1–5 grade the answer shown, unless the person is typing. */
function useGradeKeys(enabled: boolean, grade: (score: number) => void) {
  const latest = useRef(grade);
  latest.current = grade;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey || (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable))) return;
      const score = gradeOfKey(e.key);
      if (score !== undefined) {
        e.preventDefault();
        latest.current(score);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/**
 * One answer waiting for a person: the prompt and the answer (preformatted, long ones scroll), grade buttons 1 (bad) to
 * 5 (excellent), an optional comment, the reviewer's name (remembered), and Skip. Keyed by review, so the comment
 * starts empty for each answer.
 */
export function ReviewCard({ review: r, reviewer, onReviewer, busy, onGrade }: Props) {
  const [comment, setComment] = useState('');
  const grade = (score: number) => !busy && onGrade({ score, comment, reviewer });
  useGradeKeys(!busy, grade);
  return (
    <section className="card review-card" data-testid="review-card" data-id={r.id} data-prediction={r.predictionId}>
      <div className="card-head">
        <h2>Grade this answer</h2>
        <span className="muted small">
          <Link to={monitorPath(r.monitor)}>{r.monitor}</Link> · {r.deployment} · queued {formatTime(r.createdAt)}
        </span>
      </div>
      <h3 className="subhead">Prompt</h3>
      <pre className="code-block exchange" data-testid="review-prompt">
        {r.prompt ?? '(no prompt logged)'}
      </pre>
      <h3 className="subhead">Answer</h3>
      <pre className="code-block exchange" data-testid="review-answer">
        {r.answer ?? '(no answer logged)'}
      </pre>
      <div className="grade-row" role="group" aria-label="Grade">
        {GRADES.map((g) => (
          <button key={g.score} type="button" className="button grade-button" data-testid={`grade-${g.score}`} data-grade={g.score} disabled={busy} title={`${g.score}: ${g.label} (key ${g.score})`} onClick={() => grade(g.score)}>
            <strong>{g.score}</strong> <span className="grade-label">{g.label}</span>
          </button>
        ))}
        <button type="button" className="button button-quiet" data-testid="review-skip" disabled={busy} onClick={() => onGrade({ skip: true, comment, reviewer })}>
          Skip
        </button>
        {busy && <Spinner inline label="Saving…" />}
      </div>
      <div className="review-inputs">
        <label>
          <span className="muted small">Comment (optional)</span>
          <textarea className="filter-input" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} data-testid="review-comment" />
        </label>
        <label>
          <span className="muted small">Your name (remembered)</span>
          <input className="filter-input" value={reviewer} onChange={(e) => onReviewer(e.target.value)} placeholder="reviewer" data-testid="reviewer-name" />
        </label>
      </div>
    </section>
  );
}
