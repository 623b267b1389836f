import type { LlmTargetStats } from '../../../sdk/deployments-client.js';
import { formatCounter, slotsFill } from '../../deployment-format.js';

const WIDTH = 120;
const HEIGHT = 10;

/**
 * An LLM's slots (sequences generated at once) in use, as a small bar with one tick per slot when they fit: orange
 * when every slot is busy and new requests wait in the queue.
 */
export function SlotsBar({ llm }: { llm: Pick<LlmTargetStats, 'slotsInUse' | 'slots'> }) {
  const { fraction, level } = slotsFill(llm);
  const text = `${formatCounter(llm.slotsInUse)} / ${formatCounter(llm.slots)} slots in use`;
  const ticks = llm.slots > 1 && llm.slots <= 32 ? Array.from({ length: llm.slots - 1 }, (_, i) => ((i + 1) * WIDTH) / llm.slots) : [];
  return (
    <span className="queue" data-testid="slots" data-level={level} data-in-use={llm.slotsInUse} data-slots={llm.slots}>
      <svg className="queue-bar" width={WIDTH} height={HEIGHT} role="img" aria-label={text}>
        <title>{`${text}${level === 'busy' ? ' — all busy: new requests wait in the queue' : ''}`}</title>
        <rect className="queue-track" x={0} y={0} width={WIDTH} height={HEIGHT} rx={3} />
        {fraction > 0 && <rect className={`queue-fill queue-${level}`} data-testid="slots-fill" x={0} y={0} width={Math.max(2, fraction * WIDTH)} height={HEIGHT} rx={3} />}
        {ticks.map((x) => (
          <line key={x} className="slots-tick" x1={x} x2={x} y1={0} y2={HEIGHT} />
        ))}
      </svg>
      <span className="queue-text" data-testid="slots-text">
        {text}
      </span>
    </span>
  );
}
