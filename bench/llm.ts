// LLM serving benchmark: node-llama-cpp's in-process ceiling (bench/llm-raw.ts) against the same GGUF model served by
// a real Pitwall server over `/v1/completions` (SSE streaming) at concurrency 1, 4 and 16, as ratios.
//
//   node --import tsx bench/llm.ts              # raw and served
//   node --import tsx bench/llm.ts --raw-only   # in-process only
import { readFileSync } from 'node:fs';
import { deploy, median, post, startBenchServer } from './harness.js';
import { percentile } from './http-load.js';
import { LLM_PROMPT, RANDOM_MODEL, STORIES_MODEL, benchLlmRaw, type RawLlm } from './llm-raw.js';

const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const TOKENS = 128;
const CONCURRENCY = [1, 4, 16];

/** Uploads one GGUF file to the artifact store and registers it as version 1 of `name`. */
async function registerGguf(url: string, name: string, file: string): Promise<void> {
  const put = await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts/bench-models/${name}/model.gguf`, { method: 'PUT', body: readFileSync(file), headers: { 'content-type': 'application/octet-stream' } });
  if (!put.ok) throw new Error(`upload ${name}: ${put.status} ${await put.text()}`);
  await post(`${url}/api/2.0/mlflow/registered-models/create`, { name });
  await post(`${url}/api/2.0/mlflow/model-versions/create`, { name, source: `mlflow-artifacts:/bench-models/${name}` });
}

/** One streamed completion: time to the first chunk carrying text, total time, and generated tokens. */
interface Completion {
  ttftMs: number;
  ms: number;
  tokens: number;
  /** False when the stream had no usage chunk and `tokens` counts text chunks instead (a lower bound). */
  fromUsage: boolean;
}

interface CompletionChunk {
  choices?: { text?: string }[];
  usage?: { completion_tokens?: number } | null;
  error?: unknown;
}

/** POSTs one streaming `/v1/completions` request and reads its SSE answer to `[DONE]`. */
async function complete(url: string, body: Record<string, unknown>): Promise<Completion> {
  const t0 = performance.now();
  const res = await fetch(`${url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok || !res.body) throw new Error(`/v1/completions → ${res.status} ${await res.text()}`);
  const decoder = new TextDecoder();
  let buf = '';
  let ttftMs = Number.NaN;
  let usageTokens: number | undefined;
  let textChunks = 0;
  let done = false;
  for await (const bytes of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = buf.search(/\r?\n\r?\n/)) >= 0) {
      const event = buf.slice(0, end);
      buf = buf.slice(end).replace(/^\r?\n\r?\n/, '');
      for (const line of event.split(/\r?\n/)) {
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (data === '[DONE]') {
          done = true;
          continue;
        }
        const chunk = JSON.parse(data) as CompletionChunk;
        if (chunk.error) throw new Error(`/v1/completions stream error: ${JSON.stringify(chunk.error)}`);
        if (chunk.choices?.some((c) => c.text)) {
          if (Number.isNaN(ttftMs)) ttftMs = performance.now() - t0;
          textChunks++;
        }
        if (typeof chunk.usage?.completion_tokens === 'number') usageTokens = chunk.usage.completion_tokens;
      }
    }
  }
  if (!done) throw new Error('/v1/completions: the stream ended without [DONE]');
  return { ttftMs, ms: performance.now() - t0, tokens: usageTokens ?? textChunks, fromUsage: usageTokens !== undefined };
}

interface ServedRow {
  concurrency: number;
  requests: number;
  /** Generated tokens per second, summed over the requests in flight. */
  tokensPerSec: number;
  ttftP50: number;
  ttftP95: number;
  requestP50: number;
  /** Requests whose token count came from counting text chunks (no usage chunk). */
  withoutUsage: number;
}

/** `concurrency` clients, each sending `perClient` completions back to back; aggregate tokens/s and TTFT. */
async function served(url: string, body: Record<string, unknown>, concurrency: number, perClient: number): Promise<ServedRow> {
  const results: Completion[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < perClient; i++) results.push(await complete(url, body));
    }),
  );
  const elapsed = performance.now() - t0;
  const tokens = results.reduce((a, r) => a + r.tokens, 0);
  const ttft = results.map((r) => r.ttftMs);
  return {
    concurrency,
    requests: results.length,
    tokensPerSec: tokens / (elapsed / 1000),
    ttftP50: median(ttft),
    ttftP95: percentile(ttft, 95),
    requestP50: median(results.map((r) => r.ms)),
    withoutUsage: results.filter((r) => !r.fromUsage).length,
  };
}

function printServed(rows: ServedRow[]): void {
  const head = ['concurrency', 'requests', 'tokens/s (sum)', 'TTFT p50 ms', 'TTFT p95 ms', 'request p50 ms'];
  const body = rows.map((r) => [String(r.concurrency), String(r.requests), fmt(r.tokensPerSec), r.ttftP50.toFixed(1), r.ttftP95.toFixed(1), fmt(r.requestP50)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const b of body) console.log(line(b));
  const approx = rows.reduce((a, r) => a + r.withoutUsage, 0);
  if (approx) console.log(`  (${approx} streams had no usage chunk: their tokens were counted as text chunks, a lower bound)`);
}

/**
 * A GGUF model deployed on a real Pitwall server (16 slots of 512 tokens, 1 thread), streamed completions of 128
 * tokens ignoring EOS at temperature 0, at each concurrency after a warm-up; printed against `raw`. For the random
 * model (compute-bound) also prefix reuse.
 */
export async function benchLlmServed(raw: RawLlm, model: { name: string; file: string; title: string }): Promise<ServedRow[]> {
  console.log(`\nllm (served): ${model.title} over /v1/completions (SSE), ${TOKENS} tokens per request, EOS ignored, temperature 0; deployment parallel 16, context 512, 1 thread`);
  const server = await startBenchServer();
  try {
    const url = server.url;
    await registerGguf(url, model.name, model.file);
    await deploy(url, model.name, `models:/${model.name}/1`, { parallel: 16, context_size: 512, threads: 1, max_queue: 256, timeout_ms: 600_000 });
    const body = { model: model.name, prompt: LLM_PROMPT, max_tokens: TOKENS, temperature: 0, ignore_eos: true, stream: true, stream_options: { include_usage: true } };
    // Warm-up: every slot once, briefly, then one full request.
    await Promise.all(Array.from({ length: 16 }, () => complete(url, { ...body, max_tokens: 16 })));
    await complete(url, body);
    const rows: ServedRow[] = [];
    for (const c of CONCURRENCY) rows.push(await served(url, body, c, c === 1 ? 4 : 2));
    printServed(rows);

    const single = rows.find((r) => r.concurrency === 1)!;
    const top = rows.find((r) => r.concurrency === 16)!;
    const rawMulti = raw.multi.find((m) => m.sequences === 16) ?? raw.multi.at(-1);
    console.log(`  served c1 / raw 1 sequence:         ${(single.tokensPerSec / raw.single.tokensPerSec).toFixed(2)}× (goal ≥ 0.9)`);
    if (rawMulti) console.log(`  served c16 / raw ${rawMulti.sequences} sequences:      ${(top.tokensPerSec / rawMulti.tokensPerSec).toFixed(2)}× (goal ≥ 0.8)`);
    console.log(`  TTFT p95 at c16 / one raw ${TOKENS}-token generation: ${top.ttftP95.toFixed(0)} ms / ${raw.single.runMs.toFixed(0)} ms = ${(top.ttftP95 / raw.single.runMs).toFixed(2)}× (goal < 1)`);
    if (model.name === 'random-llama') await prefixReuse(url);
    return rows;
  } finally {
    await server.stop();
  }
}

/** One non-streamed completion of a single token: its time (≈ time to first token) and the prompt tokens reused. */
async function oneToken(url: string, prompt: string): Promise<{ ms: number; cached: number; prompt: number }> {
  const t0 = performance.now();
  const r = (await post(`${url}/v1/completions`, { model: 'random-llama', prompt, max_tokens: 1, temperature: 0 })) as { usage: { prompt_tokens: number; prompt_tokens_details?: { cached_tokens?: number } } };
  return { ms: performance.now() - t0, cached: r.usage.prompt_tokens_details?.cached_tokens ?? 0, prompt: r.usage.prompt_tokens };
}

/**
 * Prefix reuse: a long prompt (~400 tokens) answered from a cold cache (each prompt starts differently) against the
 * same prompt again (its tokens already in a slot's KV cache), one request at a time; the time is to one token.
 */
async function prefixReuse(url: string): Promise<void> {
  const body = 'Once upon a time, there was a little girl named Lily. She loved to play outside in the park. '.repeat(13);
  const cold: number[] = [];
  const warm: number[] = [];
  let shape = { prompt: 0, cached: 0 };
  for (let i = 0; i < 7; i++) {
    cold.push((await oneToken(url, `Story ${i * 7919}: ${body}`)).ms);
    const again = await oneToken(url, `Story ${i * 7919}: ${body}`);
    warm.push(again.ms);
    shape = again;
  }
  console.log(`\nllm (served): prefix reuse, a ${shape.prompt}-token prompt to its first token, one request at a time`);
  console.log(`  cold cache: ${median(cold).toFixed(1)} ms · same prompt again (${shape.cached} tokens reused): ${median(warm).toFixed(1)} ms · ${(median(cold) / median(warm)).toFixed(1)}× faster`);
}

/** The raw ceilings of both GGUF models, then (unless `rawOnly`) the random model served. */
export async function benchLlm(opts: { rawOnly?: boolean } = {}): Promise<void> {
  const { stories, random } = await benchLlmRaw();
  if (opts.rawOnly) return;
  // stories260K is as light as a model gets: the serving stack's own cost per token shows (llama-server's peer figure).
  await benchLlmServed(stories, { name: 'stories', file: STORIES_MODEL, title: 'stories260K' });
  if (!random) {
    console.log('\nllm (served): random model skipped, it could not be made (see above)');
    return;
  }
  await benchLlmServed(random, { name: 'random-llama', file: RANDOM_MODEL, title: 'random Llama' });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`Pitwall LLM bench — node ${process.version}, ${new Date().toISOString()}`);
  await benchLlm({ rawOnly: process.argv.includes('--raw-only') });
}
