import { useId } from 'react';
import { describeTarget, type TargetStatus } from '../../../sdk/deployments-client.js';
import { splitSegments } from '../../deployment-format.js';
import { seriesColor } from '../../palette.js';

const BAR_Y = 4;
const BAR_H = 26;
const HEIGHT = 56;
/** Below this share of the width a percentage does not fit inside its segment; it moves to the label underneath. */
const INSIDE_MIN = 0.07;

const pct = (f: number) => `${f * 100}%`;

/**
 * The traffic split across a deployment's targets as one horizontal bar, a segment per target sized by weight, with
 * its share inside and the target underneath (clipped to the segment; the tooltip says it all). Drawn even for one
 * target, so a page always shows where requests go. Target colours match the target panels below it.
 */
export function TrafficSplit({ targets }: { targets: readonly TargetStatus[] }) {
  const uid = useId().replace(/:/g, '');
  const segments = splitSegments(targets.map((t) => t.weight));
  const total = targets.reduce((s, t) => s + (t.weight > 0 ? t.weight : 0), 0);
  if (targets.length === 0) return <p className="muted">No targets.</p>;
  return (
    <svg className="split" data-testid="traffic-split" width="100%" height={HEIGHT} role="img" aria-label={`Traffic split: ${targets.map((t, i) => `${describeTarget(t)} ${segments[i]!.label}`).join(', ')}`}>
      <defs>
        <clipPath id={`${uid}-bar`}>
          <rect x="0" y={BAR_Y} width="100%" height={BAR_H} rx={6} />
        </clipPath>
        {segments.map((s, i) => (
          <clipPath key={i} id={`${uid}-s${i}`}>
            <rect x={pct(s.start)} y={0} width={pct(s.width)} height={HEIGHT} />
          </clipPath>
        ))}
      </defs>
      <g clipPath={`url(#${uid}-bar)`}>
        {segments.map((s, i) => (
          <rect key={i} x={pct(s.start)} y={BAR_Y} width={pct(s.width)} height={BAR_H} fill={seriesColor(i)} />
        ))}
        {segments.slice(1).map((s, i) => (
          <line key={i} x1={pct(s.start)} x2={pct(s.start)} y1={BAR_Y} y2={BAR_Y + BAR_H} className="split-gap" />
        ))}
      </g>
      {targets.map((t, i) => {
        const s = segments[i]!;
        const inside = s.width >= INSIDE_MIN;
        const served = t.servedVersion !== undefined ? ` → v${t.servedVersion}` : '';
        const name = `${describeTarget(t)}${t.alias !== undefined ? served : ''}`;
        return (
          <g key={i} data-testid="split-segment" data-target={describeTarget(t)} data-share={s.label} clipPath={`url(#${uid}-s${i})`}>
            <title>{`${name}: weight ${t.weight} of ${total} (${s.label} of requests)`}</title>
            <rect x={pct(s.start)} y={BAR_Y} width={pct(s.width)} height={BAR_H} fill="transparent" />
            {inside && (
              <text className="split-share" x={pct(s.start + s.width / 2)} y={BAR_Y + BAR_H / 2 + 4.5} textAnchor="middle">
                {s.label}
              </text>
            )}
            <text className="split-label" x={pct(s.start)} dx={i === 0 ? 2 : 6} y={BAR_Y + BAR_H + 17}>
              {inside ? name : `${s.label} ${name}`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
