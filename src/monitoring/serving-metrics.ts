import type { Histogram } from '../serving/histogram.js';
import type { ServedModel } from '../serving/served-model.js';
import type { Serving } from '../serving/serving.js';
import type { Exposition, Labels } from './exposition.js';

/**
 * The state of what this process serves, read at scrape time: per deployment and loaded version, queue depth,
 * requests in flight, model memory and load time, the batch-size histogram (tensor models), and for LLMs (in-process
 * or upstream) tokens, slots and the latency histograms with vLLM's bucket bounds.
 */
export function writeServingMetrics(x: Exposition, serving: Serving): void {
  const loaded = serving.loaded().map(({ deployment, served }) => ({ labels: { deployment, ...served.labels } as Labels, m: served }));
  // What belongs to an engine (memory, slots) carries its id too: deployments sharing it show the same value.
  const withEngine = (labels: Labels, m: ServedModel): Labels => ({ ...labels, engine: m.engineId });
  const llm = loaded.flatMap(({ labels, m }) => (m.meter ? [{ labels, m, meter: m.meter, snap: m.meter.snapshot() }] : []));
  x.gauge('pitwall_queue_depth', 'Requests waiting for a batch or an LLM slot', loaded.map(({ labels, m }): [Labels, number] => [labels, m.queued]));
  x.gauge('pitwall_requests_in_flight', 'Requests using a loaded version now (queued or running)', loaded.map(({ labels, m }): [Labels, number] => [labels, m.inFlight]));
  x.gauge(
    'pitwall_model_memory_bytes',
    'Memory the loaded model holds (file and KV cache for LLMs); deployments sharing an engine report it each: max by (engine)',
    loaded.filter(({ m }) => !m.upstream).map(({ labels, m }): [Labels, number] => [withEngine(labels, m), m.memoryBytes]),
  );
  x.gauge('pitwall_model_load_seconds', 'How long the loaded version took to load and warm up', loaded.filter(({ m }) => !m.upstream).map(({ labels, m }): [Labels, number] => [labels, m.loadSeconds]));
  x.histogram(
    'pitwall_batch_size',
    'Rows per batch run by the dynamic batcher',
    loaded.flatMap(({ labels, m }): [Labels, Histogram][] => (m.batchSizes ? [[labels, m.batchSizes]] : [])),
  );
  x.counter('pitwall_prompt_tokens_total', 'Prompt tokens processed (LLMs)', llm.map(({ labels, snap }): [Labels, number] => [labels, snap.promptTokens]));
  x.counter('pitwall_generation_tokens_total', 'Tokens generated (LLMs)', llm.map(({ labels, snap }): [Labels, number] => [labels, snap.generationTokens]));
  x.counter('pitwall_prompt_tokens_cached_total', 'Prompt tokens reused from a cached prefix (LLMs)', llm.map(({ labels, snap }): [Labels, number] => [labels, snap.cachedPromptTokens]));
  x.counter(
    'pitwall_llm_requests_finished_total',
    'LLM requests finished, by finish reason: stop, length, abort (client gone), error',
    llm.flatMap(({ labels, snap }) => Object.entries(snap.finished).map(([reason, n]): [Labels, number] => [{ ...labels, finished_reason: reason }, n])),
  );
  x.gauge('pitwall_llm_slots', 'Sequences an LLM engine generates at once (per engine, shown for each deployment using it)', llm.map(({ labels, m, snap }): [Labels, number] => [withEngine(labels, m), snap.slots]));
  x.gauge('pitwall_llm_slots_in_use', 'Sequences the engine is generating now, for any deployment', llm.map(({ labels, m, snap }): [Labels, number] => [withEngine(labels, m), snap.slotsInUse]));
  x.histogram('pitwall_time_to_first_token_seconds', 'Time from arrival to the first generated token', llm.map(({ labels, meter }): [Labels, Histogram] => [labels, meter.ttft]));
  x.histogram('pitwall_time_per_output_token_seconds', 'Time per generated token after the first', llm.map(({ labels, meter }): [Labels, Histogram] => [labels, meter.tpot]));
  x.histogram('pitwall_e2e_request_latency_seconds', 'LLM request latency from arrival to the last token', llm.map(({ labels, meter }): [Labels, Histogram] => [labels, meter.e2e]));
  x.histogram('pitwall_request_queue_time_seconds', 'Time an LLM request waited for a slot', llm.map(({ labels, meter }): [Labels, Histogram] => [labels, meter.queueTime]));
}

/** The process itself, under the names Prometheus client libraries use. */
export function writeProcessMetrics(x: Exposition, startedAt: number): void {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  x.counter('process_cpu_seconds_total', 'User and system CPU time spent (seconds)', [[{}, (cpu.user + cpu.system) / 1e6]]);
  x.gauge('process_resident_memory_bytes', 'Resident memory size (bytes)', [[{}, mem.rss]]);
  x.gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch (seconds)', [[{}, Math.floor(startedAt / 1000)]]);
  x.gauge('nodejs_heap_size_used_bytes', 'V8 heap in use (bytes)', [[{}, mem.heapUsed]]);
  x.gauge('nodejs_external_memory_bytes', 'Memory of C++ objects bound to JavaScript objects, array buffers included (bytes)', [[{}, mem.external]]);
}
