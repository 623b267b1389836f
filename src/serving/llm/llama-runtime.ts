import os from 'node:os';
import type { Llama } from 'node-llama-cpp';

let runtime: Promise<Llama> | undefined;

/**
 * The process's one llama.cpp runtime (CPU build shipped with node-llama-cpp; never compiled or downloaded at run
 * time). Loaded on first use, so processes that serve no GGUF model never load the native library.
 */
export function llamaRuntime(): Promise<Llama> {
  runtime ??= (async () => {
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    return getLlama({
      gpu: false,
      build: 'never',
      logLevel: LlamaLogLevel.error,
      logger: (level, message) => {
        // llama.cpp's own errors go to stderr; its chatter (and the harmless "bad special token" warning) does not.
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) process.stderr.write(`[llama.cpp] ${message.trim()}\n`);
      },
    });
  })();
  runtime.catch(() => (runtime = undefined));
  return runtime;
}

/**
 * llama.cpp threads when a deployment does not say: half the cores, at least 1. More threads than free cores makes
 * llama.cpp's threads spin against each other (measured on 2 busy cores: about 1 token/s, against over 1,000 with 1).
 */
export function defaultThreads(): number {
  return Math.max(1, Math.floor(os.availableParallelism() / 2));
}
