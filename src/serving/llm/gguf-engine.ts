import { type LlamaContext, type LlamaContextSequence, type LlamaEmbeddingContext, type LlamaModel, type Token, TokenBias } from 'node-llama-cpp';
import { AppError, invalidParam } from '../../core/errors/index.js';
import { type ChatTemplate, renderChat, resolveChatTemplate } from './chat-prompt.js';
import { defaultThreads, llamaRuntime } from './llama-runtime.js';
import { DEFAULT_SAMPLING, type EmbeddingResult, type FinishReason, type GenerationRequest, type GenerationResult, type GenerationUsage, type LlmEngine, type LlmInfo, type Prompt, type SamplingParams } from './llm-engine.js';
import { LlmMeter } from './llm-meter.js';
import { StopMatcher } from './stop-matcher.js';

export interface GgufEngineOptions {
  /** Sequences generated at once (llama.cpp server's `-np`). */
  parallel: number;
  /** Tokens per sequence; 0: the model's training context, at most 4096. */
  contextSize: number;
  /** llama.cpp threads; 0: half the cores. */
  threads: number;
  /** Most memory the KV cache of all sequences may take (MiB); the load is refused above it. */
  kvCacheMb: number;
  /** Requests waiting for a slot at most, when a request brings no bound of its own; one more gets a 429. */
  maxQueue: number;
  /** Deadline of a request that brings none (ms). */
  timeoutMs: number;
}

interface Slot {
  seq: LlamaContextSequence;
  index: number;
}

interface Waiter {
  tokens: number[];
  resolve(slot: Slot): void;
  reject(e: unknown): void;
}

const MiB = 1024 * 1024;
/** Repeat penalties look back this many generated tokens (llama.cpp's `repeat_last_n` default). */
const PENALTY_WINDOW = 64;

function commonPrefix(a: readonly Token[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** How far a generation got: what the meter reports when it fails, and the request's `spent` as it goes. */
interface Progress {
  completionTokens: number;
  cachedTokens: number;
  firstTokenAt: number | undefined;
  spent?: GenerationUsage | undefined;
}

/** Why `signal` aborted, as an AppError: the deadline's 504, a shutdown's 503, or the client gone (400, never seen). */
function abortError(signal: AbortSignal): AppError {
  return signal.reason instanceof AppError ? signal.reason : new AppError('BAD_REQUEST', 'The request was cancelled: the client went away');
}

/**
 * A GGUF model served in-process by llama.cpp (node-llama-cpp), with continuous batching: one context holds
 * `parallel` sequences (slots); every request generating at a given moment has its next token computed in the same
 * batch, and a new request joins at the next step rather than waiting for the others to finish (node-llama-cpp
 * gathers the tokens all sequences queue within one event-loop turn into one `llama_decode`). A request takes the
 * free slot whose cached tokens share the longest prefix with its prompt, and only the rest of the prompt is
 * evaluated (prefix reuse, as llama.cpp's server does with `cache_prompt`). Requests beyond the slots wait in a
 * bounded queue (429 when full); a finished, failed or cancelled request frees its slot at once.
 *
 * Sequences are driven directly (`sequence.evaluate`), not through `LlamaChatSession`, which is JS-bound at a few
 * hundred tokens/s; chat templates are applied here (`chat-prompt.ts`).
 */
export class GgufEngine implements LlmEngine {
  readonly kind = 'gguf' as const;
  readonly meter: LlmMeter;
  private readonly free: Slot[];
  private readonly waiting: Waiter[] = [];
  private embedding: Promise<LlamaEmbeddingContext> | undefined;
  private embedChain: Promise<unknown> = Promise.resolve();
  private closed: Error | undefined;
  private readonly template: ChatTemplate;
  /** Erases of a slot's KV cache under way, and what settles when none is left (see `erase`). */
  private kvEdits = 0;
  private erasing: Promise<void> | undefined;
  private erased: (() => void) | undefined;
  /** The deadline controllers of requests queued or running: `abort` ends them all. */
  private readonly active = new Set<AbortController>();
  private eogBias: TokenBias | undefined;
  /** Embedding requests queued or running (they share one embedding context, one at a time). */
  private embedPending = 0;

  private constructor(
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    readonly info: LlmInfo,
    readonly memoryBytes: number,
    private readonly opts: GgufEngineOptions,
  ) {
    this.free = Array.from({ length: info.slots }, (_, index) => ({ seq: context.getSequence(), index }));
    this.template = resolveChatTemplate(model);
    this.info.chatTemplate = this.template.name;
    this.meter = this.newMeter();
  }

  /** Loads `file` and builds its context; refuses (400) a configuration whose KV cache would pass `kvCacheMb`. */
  static async load(file: string, opts: GgufEngineOptions): Promise<GgufEngine> {
    const llama = await llamaRuntime();
    const model = await llama.loadModel({ modelPath: file, gpuLayers: 0 });
    try {
      const train = model.trainContextSize;
      const perSeq = opts.contextSize > 0 ? opts.contextSize : Math.min(train, 4096);
      if (perSeq > train) throw invalidParam(`config.context_size ${perSeq} is more than the model's training context (${train})`, 'config.context_size');
      const threads = opts.threads > 0 ? opts.threads : defaultThreads();
      // node-llama-cpp's `contextSize` is per sequence: the native context holds `contextSize × sequences` cells.
      const batchSize = Math.min(perSeq * opts.parallel, 512);
      const need = await model.fileInsights.estimateContextResourceRequirementsV2({ contextSize: perSeq, sequences: opts.parallel, modelGpuLayers: 0, batchSize });
      if (need.cpuRam > opts.kvCacheMb * MiB) {
        throw invalidParam(
          `The KV cache of ${opts.parallel} sequences × ${perSeq} tokens needs ${Math.ceil(need.cpuRam / MiB)} MiB, more than config.kv_cache_mb (${opts.kvCacheMb}); lower parallel or context_size, or raise kv_cache_mb`,
          'config.kv_cache_mb',
        );
      }
      const context = await model.createContext({
        contextSize: perSeq,
        sequences: opts.parallel,
        threads,
        batchSize,
        batching: { dispatchSchedule: 'nextCycle', itemPrioritizationStrategy: 'maximumParallelism' },
      });
      const info: LlmInfo = {
        architecture: String(model.fileInfo.metadata.general.architecture),
        contextSize: perSeq,
        trainContextSize: train,
        slots: opts.parallel,
        threads,
        chatTemplate: '',
        vocabularySize: vocabSize(model),
      };
      const engine = new GgufEngine(model, context, info, model.size + need.cpuRam, opts);
      await engine.warmUp();
      return engine;
    } catch (e) {
      await model.dispose();
      throw e;
    }
  }

  get failure(): Error | undefined {
    return this.closed;
  }

  isFull(maxQueue = this.opts.maxQueue): boolean {
    return this.free.length === 0 && this.waiting.length >= maxQueue;
  }

  newMeter(): LlmMeter {
    return new LlmMeter(() => ({ slots: this.info.slots, inUse: this.info.slots - this.free.length, queued: this.waiting.length }));
  }

  refusal(maxQueue = this.opts.maxQueue, meter?: LlmMeter): Error {
    this.meter.refused();
    if (meter && meter !== this.meter) meter.refused();
    return new AppError('REQUEST_LIMIT_EXCEEDED', `All ${this.info.slots} sequences are busy and ${this.waiting.length} requests are waiting (max_queue ${maxQueue}); retry later`);
  }

  /** The prompt as tokens, and the stop strings its chat template adds. */
  private promptTokens(prompt: Prompt): { tokens: number[]; stops: string[] } {
    if (prompt.kind === 'chat') return renderChat(this.model, this.template, prompt.messages);
    if (prompt.kind === 'tokens') {
      const bad = prompt.tokens.findIndex((t) => !Number.isInteger(t) || t < 0 || t >= this.info.vocabularySize);
      if (bad >= 0) throw invalidParam(`prompt[${bad}] is not a token id of this model (0-${this.info.vocabularySize - 1})`, 'prompt');
      return { tokens: prompt.tokens, stops: [] };
    }
    const tokens = this.model.tokenize(prompt.text, false) as number[];
    const bos = this.model.tokens.bos;
    // As llama.cpp's server: the beginning-of-sequence token first, when the model wants one.
    if (bos !== null && this.model.tokens.shouldPrependBosToken && tokens[0] !== bos) tokens.unshift(bos);
    return { tokens, stops: [] };
  }

  async generate(req: GenerationRequest, onText?: (text: string) => void): Promise<GenerationResult> {
    if (this.closed) throw new AppError('TEMPORARILY_UNAVAILABLE', 'The model was unloaded');
    if (req.signal.aborted) throw abortError(req.signal);
    const arrived = performance.now();
    const { tokens, stops } = this.promptTokens(req.prompt);
    if (tokens.length === 0) throw invalidParam('The prompt is empty', 'prompt');
    if (tokens.length >= this.info.contextSize) {
      throw invalidParam(`The prompt is ${tokens.length} tokens, more than fit in the context of a sequence (${this.info.contextSize} tokens, with room for at least one generated token)`, 'prompt');
    }
    const maxQueue = req.maxQueue ?? this.opts.maxQueue;
    if (this.isFull(maxQueue)) throw this.refusal(maxQueue, req.meter);
    const meters = req.meter && req.meter !== this.meter ? [this.meter, req.meter] : [this.meter];
    for (const m of meters) m.started();
    const deadline = new AbortController();
    const timeoutMs = req.timeoutMs ?? this.opts.timeoutMs;
    const timer = setTimeout(() => deadline.abort(new AppError('DEADLINE_EXCEEDED', `No answer within ${timeoutMs} ms`)), timeoutMs);
    const stop = AbortSignal.any([req.signal, deadline.signal]);
    this.active.add(deadline);
    let slot: Slot | undefined;
    let queueSeconds = 0;
    const progress: Progress = { completionTokens: 0, cachedTokens: 0, firstTokenAt: undefined, spent: req.spent };
    try {
      slot = await this.acquire(tokens, stop, maxQueue, req.meter);
      queueSeconds = (performance.now() - arrived) / 1000;
      if (req.spent) req.spent.promptTokens = tokens.length;
      const result = await this.run(slot, tokens, [...req.params.stop, ...stops], req.params, stop, onText, progress);
      result.timings.queueMs = queueSeconds * 1000;
      const done = { ...result.usage, queueSeconds, ttftSeconds: progress.firstTokenAt === undefined ? undefined : (progress.firstTokenAt - arrived) / 1000, e2eSeconds: (performance.now() - arrived) / 1000, outcome: result.finishReason };
      for (const m of meters) m.finish(done);
      return result;
    } catch (e) {
      const aborted = req.signal.aborted;
      const done = {
        promptTokens: slot ? tokens.length : 0,
        completionTokens: progress.completionTokens,
        cachedTokens: progress.cachedTokens,
        queueSeconds: slot ? queueSeconds : (performance.now() - arrived) / 1000,
        ttftSeconds: progress.firstTokenAt === undefined ? undefined : (progress.firstTokenAt - arrived) / 1000,
        e2eSeconds: (performance.now() - arrived) / 1000,
        outcome: aborted ? ('abort' as const) : ('error' as const),
      };
      for (const m of meters) m.finish(done);
      // Stopped from outside (client, deadline, shutdown, unload): that is the answer, not what the engine threw then.
      throw stop.aborted ? abortError(stop) : e;
    } finally {
      clearTimeout(timer);
      this.active.delete(deadline);
      if (slot) this.release(slot);
    }
  }

  /** One token from a fresh context, outside the meter and the queue: run once by `load`, before anyone can queue. */
  private async warmUp(): Promise<void> {
    const slot = this.free.pop()!;
    try {
      const bos = this.model.tokens.bos;
      const tokens = bos !== null ? [bos] : (this.model.tokenize('Hello', false) as number[]);
      await this.run(slot, tokens, [], { ...DEFAULT_SAMPLING, temperature: 0, maxTokens: 1 }, new AbortController().signal, undefined, { completionTokens: 0, cachedTokens: 0, firstTokenAt: undefined });
    } finally {
      this.free.push(slot);
    }
  }

  abort(error: Error): void {
    for (const c of this.active) c.abort(error);
  }

  /** A free slot (the one sharing the longest prefix with `tokens`), or a place in the bounded queue. */
  private acquire(tokens: number[], signal: AbortSignal, maxQueue: number, meter?: LlmMeter): Promise<Slot> {
    if (signal.aborted) return Promise.reject(abortError(signal));
    if (this.free.length > 0) {
      let best = 0;
      let bestLen = -1;
      this.free.forEach((s, i) => {
        const n = commonPrefix(s.seq.contextTokens, tokens);
        if (n > bestLen) [best, bestLen] = [i, n];
      });
      return Promise.resolve(this.free.splice(best, 1)[0]!);
    }
    if (this.waiting.length >= maxQueue) return Promise.reject(this.refusal(maxQueue, meter));
    return new Promise<Slot>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiting.indexOf(w);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(abortError(signal));
      };
      const w: Waiter = {
        tokens,
        resolve: (s) => {
          signal.removeEventListener('abort', onAbort);
          resolve(s);
        },
        reject: (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(w);
    });
  }

  private release(slot: Slot): void {
    if (this.closed) return;
    const next = this.waiting.shift();
    if (next) next.resolve(slot);
    else this.free.push(slot);
  }

  private async run(
    slot: Slot,
    tokens: number[],
    stops: string[],
    p: SamplingParams,
    signal: AbortSignal,
    onText: ((text: string) => void) | undefined,
    progress: Progress,
  ): Promise<GenerationResult> {
    const seq = slot.seq;
    const started = performance.now();
    // Keep the cached prefix; at least the prompt's last token is evaluated again, for its logits. Sequences that cannot
    // erase from the middle (recurrent models, sliding-window attention: `needsCheckpoints`) start afresh instead.
    const keep = seq.needsCheckpoints ? 0 : Math.min(commonPrefix(seq.contextTokens, tokens), tokens.length - 1);
    if (keep < seq.nextTokenIndex) await this.erase(seq, keep);
    progress.cachedTokens = keep;
    if (progress.spent) progress.spent.cachedTokens = keep;
    const room = this.info.contextSize - tokens.length;
    const maxTokens = Math.min(p.maxTokens ?? room, room);
    const grammar = await this.grammarFor(p);
    const matcher = new StopMatcher(grammar ? [...stops, ...grammar.stops] : stops);
    const generated: number[] = [];
    let pending: number[] = [];
    let finishReason: FinishReason = 'length';
    let firstAt = 0;
    // The client may have gone, or the deadline passed, while the slot was handed over or its cache erased.
    if (signal.aborted) throw abortError(signal);
    const penalize = p.presencePenalty !== 0 || p.frequencyPenalty !== 0 || p.repeatPenalty !== 1;
    if (maxTokens > 0) {
      const it = seq.evaluate(tokens.slice(keep) as Token[], {
        temperature: p.temperature,
        topK: p.topK,
        topP: p.topP,
        minP: p.minP,
        ...(p.seed !== undefined ? { seed: p.seed >>> 0 } : {}), // llama.cpp seeds are 32-bit
        ...(grammar ? { grammarEvaluationState: grammar.state } : {}),
        ...(penalize
          ? {
              repeatPenalty: {
                punishTokens: () => generated.slice(-PENALTY_WINDOW) as Token[],
                maxPunishTokens: PENALTY_WINDOW,
                penalty: p.repeatPenalty,
                frequencyPenalty: p.frequencyPenalty,
                presencePenalty: p.presencePenalty,
              },
            }
          : {}),
        // ignore_eos as llama.cpp does it: end-of-generation tokens cannot be sampled at all.
        ...(p.ignoreEos ? { tokenBias: this.noEog() } : {}),
      });
      try {
        for await (const token of it) {
          if (signal.aborted) throw abortError(signal);
          if (generated.length === 0) firstAt = progress.firstTokenAt = performance.now();
          generated.push(token);
          progress.completionTokens = generated.length;
          if (progress.spent) progress.spent.completionTokens = generated.length;
          pending.push(token);
          // Detokenized with the tokens before it (spacing rules); held while it ends inside a UTF-8 character.
          const piece = this.model.detokenize(pending as Token[], false, generated.slice(Math.max(0, generated.length - pending.length - 4), generated.length - pending.length) as Token[]);
          if (!piece.endsWith('\uFFFD') || pending.length >= 4) {
            pending = [];
            const out = matcher.push(piece);
            if (out && onText) onText(out);
            if (matcher.stopped) {
              finishReason = 'stop';
              break;
            }
          }
          if (generated.length >= maxTokens) break;
          if (this.erasing) {
            await this.erasing;
            if (signal.aborted) break;
          }
        }
      } finally {
        await it.return();
      }
      if (signal.aborted) throw abortError(signal);
      // The generator ended by itself: an end-of-generation token.
      if (!matcher.stopped && generated.length < maxTokens) finishReason = 'stop';
    }
    const rest = matcher.flush();
    if (rest && onText) onText(rest);
    const end = performance.now();
    return {
      text: matcher.output,
      finishReason,
      usage: { promptTokens: tokens.length, completionTokens: generated.length, cachedTokens: keep },
      timings: { queueMs: 0, promptMs: (firstAt || end) - started, predictedMs: firstAt ? end - firstAt : 0 },
    };
  }

  /**
   * Drops a slot's cached tokens from `start` on. The erase needs the context's lock, which node-llama-cpp's decode
   * loop keeps for as long as any sequence has a token queued: with other requests generating, that is until one of
   * them ends (measured: a new request's first token came seconds late). So generating loops pause before queueing
   * their next token while an erase is under way (`erasing`); the decode loop then finds its queue empty, releases the
   * lock to the erase, and the loops go on: one decode step's pause instead of a whole generation's.
   */
  private async erase(seq: LlamaContextSequence, start: number): Promise<void> {
    if (this.kvEdits++ === 0) this.erasing = new Promise<void>((r) => (this.erased = r));
    try {
      await seq.eraseContextTokenRanges([{ start, end: seq.nextTokenIndex }]);
    } finally {
      if (--this.kvEdits === 0) {
        this.erasing = undefined;
        this.erased!();
      }
    }
  }

  /** A bias that makes the end-of-generation tokens impossible to sample (`ignore_eos`), made once. */
  private noEog(): TokenBias {
    if (!this.eogBias) {
      this.eogBias = new TokenBias(this.model.tokenizer);
      // Every token llama.cpp treats as end-of-generation (eos, eot, and others such as Llama 3's <|eom_id|>).
      for (let t = 0; t < this.info.vocabularySize; t++) if (this.model.isEogToken(t as Token)) this.eogBias.set(t as Token, 'never');
      for (const t of [this.model.tokens.eos, this.model.tokens.eot]) if (t !== null) this.eogBias.set(t, 'never');
    }
    return this.eogBias;
  }

  /** The grammar state that constrains the output to JSON (or a JSON schema), and the strings that end it. */
  private async grammarFor(p: SamplingParams) {
    const f = p.responseFormat;
    if (!f || f.type === 'text') return undefined;
    const llama = await llamaRuntime();
    const { LlamaGrammarEvaluationState, LlamaText } = await import('node-llama-cpp');
    let grammar;
    try {
      grammar = f.type === 'json_object' ? await llama.getGrammarFor('json') : await llama.createGrammarForJsonSchema(f.schema as never);
    } catch (e) {
      throw invalidParam(`response_format.json_schema.schema cannot be turned into a grammar: ${e instanceof Error ? e.message : String(e)}`, 'response_format');
    }
    // The JSON grammars allow whitespace after the closing brace; their trigger (a run of newlines) ends the output.
    const stops = grammar.stopGenerationTriggers.map((t) => (typeof t === 'string' ? t : LlamaText(t as never).values.every((v) => typeof v === 'string') ? LlamaText(t as never).values.join('') : '')).filter((t) => t !== '');
    return { state: new LlamaGrammarEvaluationState({ model: this.model, grammar }), stops };
  }

  async embed(inputs: (string | number[])[], opts: { signal: AbortSignal; timeoutMs?: number | undefined; maxQueue?: number | undefined }): Promise<EmbeddingResult> {
    if (this.closed) throw new AppError('TEMPORARILY_UNAVAILABLE', 'The model was unloaded');
    if (opts.signal.aborted) throw abortError(opts.signal);
    const maxQueue = opts.maxQueue ?? this.opts.maxQueue;
    if (this.embedPending > maxQueue) {
      this.meter.refused();
      throw new AppError('REQUEST_LIMIT_EXCEEDED', `${this.embedPending} embedding requests are queued (max_queue ${maxQueue}); retry later`);
    }
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new AppError('DEADLINE_EXCEEDED', `No answer within ${timeoutMs} ms`)), timeoutMs);
    const signal = AbortSignal.any([opts.signal, deadline.signal]);
    this.active.add(deadline);
    this.embedPending++;
    // One embedding context computes one input at a time: requests take turns. A request whose deadline passes or
    // whose client leaves while it waits is answered at once, and skipped when its turn comes.
    const run = this.embedChain.then(async () => {
      if (signal.aborted) throw abortError(signal);
      if (this.closed) throw new AppError('TEMPORARILY_UNAVAILABLE', 'The model was unloaded');
      if (!this.embedding) {
        this.embedding = this.model.createEmbeddingContext({ contextSize: this.info.contextSize, threads: this.info.threads });
        this.embedding.catch(() => (this.embedding = undefined)); // a failed creation is tried again next time
      }
      const ctx = await this.embedding;
      const embeddings: number[][] = [];
      let promptTokens = 0;
      for (const [i, input] of inputs.entries()) {
        if (signal.aborted) throw abortError(signal);
        const tokens = typeof input === 'string' ? this.model.tokenize(input, false) : (input as Token[]);
        if (tokens.length === 0) throw invalidParam(`input[${i}] is empty`, 'input');
        if (tokens.length >= this.info.contextSize) throw invalidParam(`input[${i}] is ${tokens.length} tokens, more than fit in the context (${this.info.contextSize - 1})`, 'input');
        promptTokens += tokens.length;
        const v = [...(await ctx.getEmbeddingFor(tokens)).vector];
        const norm = Math.sqrt(v.reduce((n, x) => n + x * x, 0)) || 1;
        embeddings.push(v.map((x) => x / norm));
      }
      return { embeddings, promptTokens };
    });
    this.embedChain = run.catch(() => undefined);
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([run, aborted]);
    } catch (e) {
      // An unload disposes the context under a running embedding: the caller gets the unload's 503, not what it threw.
      throw signal.aborted ? abortError(signal) : e;
    } finally {
      signal.removeEventListener('abort', onAbort!);
      aborted.catch(() => undefined);
      clearTimeout(timer);
      this.active.delete(deadline);
      this.embedPending--;
    }
  }

  async unload(): Promise<void> {
    if (this.closed) return;
    this.closed = new Error('The model was unloaded');
    const error = new AppError('TEMPORARILY_UNAVAILABLE', 'The model was unloaded');
    for (const w of this.waiting.splice(0)) w.reject(error);
    // Running generations end with the 503 rather than with whatever the disposed context throws at them.
    this.abort(error);
    // Disposing the embedding context under a running llama_decode crashes the process (seen: SIGSEGV): the running
    // embedding sees the abort after its current input, and the context goes only then.
    await this.embedChain;
    const emb = this.embedding;
    this.embedding = undefined;
    await emb?.then((c) => c.dispose()).catch(() => undefined);
    await this.context.dispose().catch(() => undefined);
    await this.model.dispose().catch(() => undefined);
  }
}

function vocabSize(model: LlamaModel): number {
  const tokens = model.fileInfo.metadata.tokenizer?.ggml?.tokens;
  return Array.isArray(tokens) ? tokens.length : 0;
}
