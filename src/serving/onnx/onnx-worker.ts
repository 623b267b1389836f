/**
 * The thread an ONNX model runs in. onnxruntime-node's `session.run` computes on the calling thread, so in the main
 * thread a 5 ms batch would stop the server from reading, refusing or answering anything for 5 ms; here the HTTP
 * side keeps working while a batch computes, on another core.
 *
 * Messages in: `{ op: 'load', file, intraOpThreads, interOpThreads }`, `{ op: 'run', id, feeds }`.
 * Messages out: `{ op: 'loaded', inputs, outputs }` | `{ op: 'result', id, outputs }` | `{ op: 'error', id?, message }`.
 * Unloading terminates the thread, which frees the session.
 * Tensors travel as `{ type, dims, data }` with typed arrays moved, not copied.
 */
export interface WireTensor {
  type: string;
  dims: number[];
  data: ArrayBufferView | string[];
}

export interface WireMeta {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: (number | string)[];
}

/**
 * The worker's whole program. It runs from source text (`new Worker(WORKER_SOURCE, { eval: true })`), so it works the
 * same from the compiled `dist/` and from TypeScript under tsx, and must not use anything from this module's scope:
 * it `require`s what it needs.
 */
function workerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  // Resolved by the main thread: an eval'd worker would resolve bare names against the working directory.
  const ort = require((workerData as { ortPath: string }).ortPath) as typeof import('onnxruntime-node');
  const port = parentPort!;
  let session: import('onnxruntime-node').InferenceSession | undefined;
  const meta = (names: readonly string[], metas: readonly import('onnxruntime-node').InferenceSession.ValueMetadata[]) =>
    names.map((name, i) => {
      const m = metas[i]!;
      return m.isTensor ? { name, isTensor: true, type: m.type, shape: [...m.shape] } : { name, isTensor: false };
    });
  const handle = async (msg: { op: string; id?: number; file?: string; intraOpThreads?: number; interOpThreads?: number; feeds?: Record<string, WireTensor> }) => {
    if (msg.op === 'load') {
      session = await ort.InferenceSession.create(msg.file!, { intraOpNumThreads: msg.intraOpThreads!, interOpNumThreads: msg.interOpThreads!, graphOptimizationLevel: 'all' });
      port.postMessage({ op: 'loaded', inputs: meta(session.inputNames, session.inputMetadata), outputs: meta(session.outputNames, session.outputMetadata) });
    } else if (msg.op === 'run') {
      if (!session) throw new Error('the model was unloaded');
      const feeds: Record<string, import('onnxruntime-node').Tensor> = {};
      for (const [name, t] of Object.entries(msg.feeds!)) feeds[name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
      const out = await session.run(feeds);
      const outputs: Record<string, WireTensor> = {};
      const transfer: ArrayBuffer[] = [];
      for (const [name, t] of Object.entries(out)) {
        outputs[name] = { type: t.type, dims: t.dims.map(Number), data: t.data as ArrayBufferView | string[] };
        if (!Array.isArray(t.data)) transfer.push((t.data as ArrayBufferView).buffer as ArrayBuffer);
      }
      port.postMessage({ op: 'result', id: msg.id, outputs }, transfer);
    }
  };
  port.on('message', (msg: { op: string; id?: number }) => {
    handle(msg).catch((e: unknown) => port.postMessage({ op: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e) }));
  });
}

/** `workerMain` as a program (bundlers may wrap functions in a `__name` helper; it is defined here as a no-op). */
export const WORKER_SOURCE = `const __name = (f) => f;\n(${workerMain.toString()})();`;
