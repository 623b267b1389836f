// LLM serving, raw side: tokens/s that node-llama-cpp gives in-process with no Pitwall code, for one sequence and for
// N sequences decoded together in one context. The served LLM bench (bench/llm.ts) prints its figures as ratios of
// these. Generation ignores EOS (`yieldEogToken` and keep going), as the served side's `ignore_eos` does.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The trained 260K-parameter Llama: so cheap per token that it measures the stack around generation. */
export const STORIES_MODEL = path.resolve(here, '../../shared/models/stories260K/stories260K.gguf');
/** The random-weight 25.8M-parameter Llama made by scripts/models/make_random_llama_gguf.py: compute dominates. */
export const RANDOM_MODEL = path.resolve(here, '.cache/random-llama-25m.gguf');
const MAKE_RANDOM = path.resolve(here, '../scripts/models/make_random_llama_gguf.py');

export const LLM_PROMPT = 'Once upon a time';

export interface RawLlmOptions {
  modelPath: string;
  /** Tokens generated per sequence; default 128. */
  tokens?: number;
  /** Sequence counts decoded together in one context (besides the single-sequence baseline); default [4, 16]. */
  sequences?: number[];
  /** Tokens each sequence may hold (prompt plus generation); default 512, as the served deployment's `context_size`. */
  contextSize?: number;
  /** Timed runs per configuration at least, of which the median counts; default 3. */
  repeats?: number;
  /** Timed seconds per configuration at least (more runs of short configurations); default 2. */
  minSeconds?: number;
  prompt?: string;
  /** Prints the table under this title; nothing is printed without it. */
  title?: string;
}

/** One configuration's median run. */
export interface RawLlmRow {
  sequences: number;
  /** Generated tokens per second, summed over the sequences. */
  tokensPerSec: number;
  /** Wall time of one run: every sequence's prompt and all its tokens. */
  runMs: number;
  /** Time to the first generated token (the slowest sequence's, when several). */
  firstTokenMs: number;
}

export interface RawLlm {
  model: string;
  tokens: number;
  single: RawLlmRow;
  /** One row per sequence count that fitted; a count whose context could not be created is left out (see `skipped`). */
  multi: RawLlmRow[];
  skipped: { sequences: number; reason: string }[];
}

let runtime: Promise<Llama> | undefined;

async function llama(): Promise<Llama> {
  runtime ??= import('node-llama-cpp').then(({ getLlama, LlamaLogLevel }) =>
    // The prebuilt CPU binaries; errors only (stories260K's harmless "bad special token" warning is not one).
    getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error }),
  );
  return runtime;
}

/** Generates `n` tokens after `prompt` on a cleared sequence, at temperature 0, past any end-of-generation token. */
async function generate(seq: LlamaContextSequence, prompt: Token[], n: number, t0: number): Promise<{ firstMs: number; count: number }> {
  let firstMs = Number.NaN;
  let count = 0;
  for await (const _token of seq.evaluate(prompt, { temperature: 0, yieldEogToken: true })) {
    if (count === 0) firstMs = performance.now() - t0;
    if (++count >= n) break;
  }
  return { firstMs, count };
}

/** One run: every sequence cleared, then all generating at once; the wall time and the slowest first token. */
async function run(seqs: LlamaContextSequence[], prompt: Token[], n: number): Promise<RawLlmRow> {
  for (const s of seqs) await s.clearHistory();
  const t0 = performance.now();
  const results = await Promise.all(seqs.map((s) => generate(s, prompt, n, t0)));
  const runMs = performance.now() - t0;
  const generated = results.reduce((a, r) => a + r.count, 0);
  if (generated !== n * seqs.length) throw new Error(`llm-raw: generated ${generated} tokens, expected ${n * seqs.length}`);
  return { sequences: seqs.length, tokensPerSec: generated / (runMs / 1000), runMs, firstTokenMs: Math.max(...results.map((r) => r.firstMs)) };
}

const medianBy = (rows: RawLlmRow[]): RawLlmRow => [...rows].sort((a, b) => a.tokensPerSec - b.tokensPerSec)[rows.length >> 1]!;

interface Setup {
  sequences: number;
  ctx: LlamaContext;
  seqs: LlamaContextSequence[];
}

/** A context of `sequences` sequences of `contextSize` tokens each, on 1 thread. */
async function setUp(model: LlamaModel, sequences: number, contextSize: number): Promise<Setup> {
  // `contextSize` is per sequence in node-llama-cpp 3: the context holds sequences × contextSize cells.
  const ctx = await model.createContext({ contextSize, sequences, threads: 1 });
  return { sequences, ctx, seqs: Array.from({ length: sequences }, () => ctx.getSequence()) };
}

const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

function printTable(title: string, r: RawLlm): void {
  const head = ['sequences', 'tokens/s (sum)', 'run ms', 'first token ms', 'vs 1 sequence'];
  const rows = [r.single, ...r.multi];
  const body = rows.map((x) => [String(x.sequences), fmt(x.tokensPerSec), fmt(x.runMs), x.firstTokenMs.toFixed(1), `${(x.tokensPerSec / r.single.tokensPerSec).toFixed(2)}×`]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(head));
  for (const b of body) console.log(line(b));
  for (const s of r.skipped) console.log(`${s.sequences} sequences skipped: ${s.reason}`);
}

/**
 * In-process ceiling of one GGUF model through node-llama-cpp (1 thread, temperature 0, EOS ignored): one sequence
 * generating `tokens` tokens, and for each count in `sequences` that many sequences in one context generating
 * `tokens` each at once (node-llama-cpp batches their steps into shared decode calls). Every context is made first and
 * warmed up with a short run; each figure is then the median of at least `repeats` runs and
 * `minSeconds` of runs, the configurations interleaved.
 */
export async function rawLlmThroughput(opts: RawLlmOptions): Promise<RawLlm> {
  const tokens = opts.tokens ?? 128;
  const contextSize = opts.contextSize ?? 512;
  const repeats = opts.repeats ?? 3;
  const minSeconds = opts.minSeconds ?? 2;
  const model = await (await llama()).loadModel({ modelPath: opts.modelPath });
  const setups: Setup[] = [];
  try {
    const bos = model.tokens.bos;
    const prompt = [...(bos !== null ? [bos] : []), ...model.tokenize(opts.prompt ?? LLM_PROMPT)];
    if (prompt.length + tokens > contextSize) throw new Error(`llm-raw: prompt ${prompt.length} + ${tokens} tokens exceed the sequence's ${contextSize}`);
    const skipped: RawLlm['skipped'] = [];
    setups.push(await setUp(model, 1, contextSize));
    for (const n of opts.sequences ?? [4, 16]) {
      try {
        setups.push(await setUp(model, n, contextSize));
      } catch (e) {
        skipped.push({ sequences: n, reason: (e as Error).message });
      }
    }
    for (const s of setups) await run(s.seqs, prompt, Math.min(16, tokens));
    // Interleaved (1, 4, 16, 1, 4, 16, …): the host is shared, and a burst of load elsewhere then hits every row alike.
    // Each configuration runs at least `repeats` times and for at least `minSeconds` in all (short runs are noisy).
    const runs = setups.map((): RawLlmRow[] => []);
    const needsMore = (rows: RawLlmRow[]) => rows.length < repeats || rows.reduce((a, x) => a + x.runMs, 0) < minSeconds * 1000;
    while (runs.some(needsMore)) for (const [i, s] of setups.entries()) if (needsMore(runs[i]!)) runs[i]!.push(await run(s.seqs, prompt, tokens));
    const [single, ...multi] = runs.map(medianBy);
    const result: RawLlm = { model: path.basename(opts.modelPath), tokens, single: single!, multi, skipped };
    if (opts.title) printTable(opts.title, result);
    return result;
  } finally {
    for (const s of setups) await s.ctx.dispose();
    await model.dispose();
  }
}

/**
 * Makes the random model when its file is missing, by running the committed Python script. False (with a message
 * saying why and what to do) when it cannot: no python3, or no `gguf` package.
 */
export function ensureRandomModel(file = RANDOM_MODEL): boolean {
  if (existsSync(file)) return true;
  const cmd = `python3 ${path.relative(process.cwd(), MAKE_RANDOM)} ${path.relative(process.cwd(), file)}`;
  console.log(`  ${path.basename(file)} is missing; making it: ${cmd}`);
  const r = spawnSync('python3', [MAKE_RANDOM, file], { encoding: 'utf8' });
  if (r.error) {
    console.log(`  cannot run python3 (${r.error.message}); skipping the benches that need ${path.basename(file)}`);
    return false;
  }
  if (r.status !== 0) {
    const missing = /No module named '(\w+)'/.exec(r.stderr)?.[1];
    console.log(
      missing
        ? `  the \`${missing}\` Python package is not installed: run \`pip install gguf numpy\`, then the bench again; skipping the benches that need ${path.basename(file)}`
        : `  ${path.basename(MAKE_RANDOM)} failed (exit ${r.status}): ${r.stderr.trim()}; skipping the benches that need ${path.basename(file)}`,
    );
    return false;
  }
  process.stdout.write(`  ${r.stdout.trim()}\n`);
  return existsSync(file);
}

/** Both GGUF models' in-process ceilings, printed; the random model's is undefined when it could not be made. */
export async function benchLlmRaw(): Promise<{ stories: RawLlm; random: RawLlm | undefined }> {
  const stories = await rawLlmThroughput({ modelPath: STORIES_MODEL, title: 'llm (raw): stories260K (292,800 params, F32), node-llama-cpp in-process, 1 thread, 128 tokens per sequence' });
  const random = ensureRandomModel()
    ? await rawLlmThroughput({ modelPath: RANDOM_MODEL, title: 'llm (raw): random Llama (25.8M params, F16), node-llama-cpp in-process, 1 thread, 128 tokens per sequence' })
    : undefined;
  return { stories, random };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`Pitwall LLM raw bench — node ${process.version}, ${new Date().toISOString()}`);
  const file = process.argv[2];
  if (file) await rawLlmThroughput({ modelPath: path.resolve(file), title: `llm (raw): ${path.basename(file)}` });
  else await benchLlmRaw();
}
