import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../core/errors/index.js';
import { DynamicBatcher } from './batcher.js';
import type { Engine, Tensor } from './engine.js';
import { OnnxEngine } from './onnx/onnx-engine.js';

const MODELS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/models');
const TITANIC = path.join(MODELS, 'sklearn-titanic', 'pipeline_titanic_nozipmap.onnx');

const passenger = (i: number): Tensor[] => [
  { name: 'pclass', datatype: 'INT64', shape: [1, 1], data: [1 + (i % 3)] },
  { name: 'sex', datatype: 'BYTES', shape: [1, 1], data: [i % 2 ? 'male' : 'female'] },
  { name: 'age', datatype: 'FP32', shape: [1, 1], data: [5 + (i % 60)] },
  { name: 'fare', datatype: 'FP32', shape: [1, 1], data: [7 + i] },
  { name: 'embarked', datatype: 'BYTES', shape: [1, 1], data: [['S', 'C', 'Q'][i % 3]!] },
];

/** The real engine behind a gate the test opens, so that a batch can be held in flight. */
function gated(engine: Engine): { engine: Engine; open(): void; batchSizes: number[] } {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((r) => (open = r));
  const batchSizes: number[] = [];
  const wrapped: Engine = {
    kind: engine.kind,
    signature: engine.signature,
    capabilities: engine.capabilities,
    memoryBytes: engine.memoryBytes,
    get failure() {
      return engine.failure;
    },
    unload: () => engine.unload(),
    infer: async (inputs) => {
      batchSizes.push(inputs[0]!.shape[0]!);
      await gate;
      return engine.infer(inputs);
    },
  };
  return { engine: wrapped, batchSizes, open: () => open() };
}

const code = (e: unknown) => (e as AppError).code;

describe('dynamic batcher on the ONNX engine', () => {
  let titanic: OnnxEngine;
  before(async () => (titanic = await OnnxEngine.load(TITANIC)));
  after(() => titanic.unload());

  it('answers 64 concurrent requests in fewer, larger batches, each answer equal to running it alone', async () => {
    const alone = await Promise.all(Array.from({ length: 64 }, (_, i) => titanic.infer(passenger(i))));
    const b = new DynamicBatcher(titanic, { maxBatchSize: 16, maxQueueDelayMs: 5, maxQueue: 100, timeoutMs: 10_000 });
    const batched = await Promise.all(Array.from({ length: 64 }, (_, i) => b.submit(passenger(i))));
    for (let i = 0; i < 64; i++) {
      assert.deepEqual(batched[i]![0]!.data, alone[i]![0]!.data, `label of request ${i}`);
      assert.ok(Math.abs((batched[i]![1]!.data[1] as number) - (alone[i]![1]!.data[1] as number)) < 1e-6);
      assert.deepEqual(batched[i]![1]!.shape, [1, 2]);
    }
    const s = b.snapshot();
    assert.equal(s.requests, 64);
    assert.ok(s.batches <= 8 && s.batches >= 4, `batches: ${s.batches}`);
  });

  it('refuses at once with 429 when the queue is full, drops expired and cancelled requests, and runs the rest', async () => {
    const g = gated(titanic);
    const b = new DynamicBatcher(g.engine, { maxBatchSize: 4, maxQueueDelayMs: 1, maxQueue: 3, timeoutMs: 10_000 });
    const first = b.submit(passenger(0));
    await new Promise((r) => setTimeout(r, 20)); // the first batch is now held in flight
    const ctl = new AbortController();
    const queued = [b.submit(passenger(1)), b.submit(passenger(2), { timeoutMs: 30 }), b.submit(passenger(3), { signal: ctl.signal })];
    const t0 = Date.now();
    await assert.rejects(b.submit(passenger(4)), (e) => code(e) === 'REQUEST_LIMIT_EXCEEDED');
    assert.ok(Date.now() - t0 < 50, 'refused at once');
    ctl.abort();
    await assert.rejects(queued[2]!, (e) => code(e) === 'BAD_REQUEST');
    await assert.rejects(queued[1]!, (e) => code(e) === 'DEADLINE_EXCEEDED');
    g.open();
    assert.equal((await first)[0]!.shape[0], 1);
    assert.equal((await queued[0]!)[0]!.shape[0], 1);
    assert.deepEqual(g.batchSizes, [1, 1], 'the expired and cancelled requests never reached the engine');
    assert.deepEqual({ ...b.snapshot(), inFlight: false }, { batches: 2, requests: 2, rejected: 1, expired: 1, cancelled: 1, queued: 0, inFlight: false });
  });
});
