import type { TargetQueueStats } from '../../../sdk/deployments-client.js';
import { formatCounter, queueFill } from '../../deployment-format.js';

const WIDTH = 120;
const HEIGHT = 10;

/**
 * Requests waiting against the queue's capacity, as a small bar: orange from 75 %, red when the next one gets a 429.
 * Tensor models' batch queue, and the queue of requests waiting for an LLM's slot.
 */
export function QueueBar({ queue }: { queue: Pick<TargetQueueStats, 'queued' | 'capacity'> & { batchRunning?: boolean } }) {
  const { fraction, level } = queueFill(queue);
  const text = `${formatCounter(queue.queued)} / ${formatCounter(queue.capacity)} queued`;
  return (
    <span className="queue" data-testid="queue" data-level={level}>
      <svg className="queue-bar" width={WIDTH} height={HEIGHT} role="img" aria-label={text}>
        <title>{`${text}${level === 'full' ? ' — full: new requests get 429' : ''}`}</title>
        <rect className="queue-track" x={0} y={0} width={WIDTH} height={HEIGHT} rx={3} />
        {fraction > 0 && <rect className={`queue-fill queue-${level}`} x={0} y={0} width={Math.max(2, fraction * WIDTH)} height={HEIGHT} rx={3} />}
      </svg>
      <span className="queue-text" data-testid="queue-text">
        {text}
      </span>
      {queue.batchRunning && <span className="muted small">· a batch is running</span>}
    </span>
  );
}
