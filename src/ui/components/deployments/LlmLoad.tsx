import type { LlmTargetStats } from '../../../sdk/deployments-client.js';
import { formatContext, formatCounter, formatSeconds } from '../../deployment-format.js';
import { Facts } from './Facts.js';
import { QueueBar } from './QueueBar.js';
import { SlotsBar } from './SlotsBar.js';

/**
 * What an LLM target is doing: its slots (sequences generated at once) and the requests waiting for one, token and
 * request counters, latencies over the requests so far, and the facts of the loaded model (those an upstream server
 * does not report are left out).
 */
export function LlmLoad({ llm: l, upstream }: { llm: LlmTargetStats; upstream: boolean }) {
  const f = l.finished;
  const model: [string, string, string][] = [];
  if (l.architecture !== undefined) model.push(['Architecture', l.architecture, 'llm-architecture']);
  if (l.contextSize !== undefined) model.push(['Context per sequence', formatContext(l), 'llm-context']);
  if (l.chatTemplate !== undefined) model.push(['Chat template', l.chatTemplate, 'llm-chat-template']);
  if (l.threads !== undefined) model.push(['Threads', formatCounter(l.threads), 'llm-threads']);
  return (
    <div data-testid="llm-load">
      <h4 className="subhead">{upstream ? 'Concurrency' : 'Slots'}</h4>
      <div className="llm-bars">
        <SlotsBar llm={l} />
        <QueueBar queue={{ queued: l.queued, capacity: l.queueCapacity }} />
      </div>
      <Facts
        testId="llm-counters"
        items={[
          ['Requests', formatCounter(l.requests), 'counter-requests'],
          ['Rejected (429)', formatCounter(l.rejected), 'counter-rejected'],
          ['Prompt tokens', formatCounter(l.promptTokens), 'counter-prompt-tokens'],
          ['Generated tokens', formatCounter(l.generationTokens), 'counter-generation-tokens'],
          ['Cached prompt tokens', formatCounter(l.cachedPromptTokens), 'counter-cached-tokens'],
          [
            'Finished',
            <span className="finished-reasons" title="Ended at a stop (end of text or a stop string), at max_tokens (length), cancelled by the client (abort), or failed (error)">
              {`${formatCounter(f.stop)} stop · ${formatCounter(f.length)} length · ${formatCounter(f.abort)} abort · ${formatCounter(f.error)} error`}
            </span>,
            'counter-finished',
          ],
        ]}
      />
      <h4 className="subhead">Latency</h4>
      <Facts
        testId="llm-latency"
        items={[
          ['Time to first token p50', formatSeconds(l.timeToFirstTokenSeconds.p50), 'latency-ttft-p50'],
          ['Time to first token p95', formatSeconds(l.timeToFirstTokenSeconds.p95), 'latency-ttft-p95'],
          ['Time per output token p50', formatSeconds(l.timePerOutputTokenSeconds.p50), 'latency-tpot-p50'],
          ['Queue time p50', formatSeconds(l.queueTimeSeconds.p50), 'latency-queue-p50'],
          ['End to end p50', formatSeconds(l.e2eLatencySeconds.p50), 'latency-e2e-p50'],
        ]}
      />
      {model.length > 0 && (
        <>
          <h4 className="subhead">Model</h4>
          <Facts testId="llm-facts" items={model} />
        </>
      )}
    </div>
  );
}
