import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { AppError } from '../core/errors/index.js';
import type { Engine } from './engine.js';
import { ModelCache } from './model-cache.js';
import { OnnxEngine } from './onnx/onnx-engine.js';

const MODELS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/models');
const TITANIC = path.join(MODELS, 'sklearn-titanic', 'pipeline_titanic_nozipmap.onnx'); // 1,789 bytes
const MNIST = path.join(MODELS, 'mnist', 'mnist-8.onnx'); // 26,454 bytes

describe('model cache with a memory budget (real ONNX models)', () => {
  it('loads a model once for many concurrent borrowers', async () => {
    const cache = new ModelCache({ budgetBytes: 1_000_000, maxParallelLoads: 2 });
    let loads = 0;
    const load = () => {
      loads++;
      return OnnxEngine.load(TITANIC);
    };
    const leases = await Promise.all(Array.from({ length: 10 }, () => cache.acquire('titanic@1', load)));
    assert.equal(loads, 1);
    assert.ok(leases.every((l) => l.engine === leases[0]!.engine));
    for (const l of leases) l.release();
    await cache.close();
  });

  it('unloads the least recently used idle model to make room, and refuses when the models in use fill the budget', async () => {
    const cache = new ModelCache({ budgetBytes: 30_000, maxParallelLoads: 1 });
    const titanic = await cache.acquire('titanic', () => OnnxEngine.load(TITANIC));
    titanic.release();
    const mnist = await cache.acquire('mnist', () => OnnxEngine.load(MNIST));
    assert.deepEqual(cache.loadedKeys().sort(), ['mnist', 'titanic'], '1,789 + 26,454 bytes fit in 30,000');
    const other = await cache.acquire('titanic-copy', () => OnnxEngine.load(TITANIC));
    assert.deepEqual(cache.loadedKeys().sort(), ['mnist', 'titanic-copy'], 'the idle titanic made room; mnist is in use');
    assert.ok(cache.usedBytes <= 30_000);
    await assert.rejects(cache.acquire('mnist-copy', () => OnnxEngine.load(MNIST)), (e) => (e as AppError).code === 'TEMPORARILY_UNAVAILABLE');
    assert.deepEqual(cache.loadedKeys().sort(), ['mnist', 'titanic-copy'], 'a refused load unloads nothing in use');
    mnist.release();
    other.release();
    const again = await cache.acquire('mnist-copy', () => OnnxEngine.load(MNIST));
    assert.deepEqual(cache.loadedKeys().sort(), ['mnist-copy', 'titanic-copy'], 'once idle, the older mnist gave way');
    again.release();
    await cache.close();
    assert.deepEqual(cache.loadedKeys(), []);
  });

  // The cache's bookkeeping around loads and unloads that take time, with engines whose timing the test controls.
  const slowEngine = (name: string, bytes: number, unloadMs = 20) => {
    const e = {
      name,
      kind: 'onnx' as const,
      signature: { inputs: [], outputs: [] },
      capabilities: { batching: 'none' as const },
      memoryBytes: bytes,
      failure: undefined as Error | undefined,
      infer: async () => {
        if (e.failure) throw e.failure;
        return [];
      },
      unload: async () => {
        await new Promise((r) => setTimeout(r, unloadMs));
        e.failure = new Error(`${name} unloaded`);
      },
    };
    return e;
  };

  it('never unloads a model borrowed while another one is being unloaded to make room', async () => {
    const cache = new ModelCache({ budgetBytes: 30, maxParallelLoads: 1 });
    (await cache.acquire('A', async () => slowEngine('A', 10))).release();
    await new Promise((r) => setTimeout(r, 5));
    (await cache.acquire('B', async () => slowEngine('B', 10))).release();
    // C needs 25 bytes: A (least recently used) goes first; while A unloads, B is borrowed and must stay.
    const loadingC = cache.acquire('C', async () => slowEngine('C', 25));
    await new Promise((r) => setTimeout(r, 5));
    const b = await cache.acquire('B', async () => slowEngine('B2', 10));
    await assert.rejects(loadingC, (e) => (e as AppError).code === 'TEMPORARILY_UNAVAILABLE', 'no idle model left to unload');
    assert.equal(b.engine.failure, undefined, 'the borrowed model is alive');
    assert.deepEqual(cache.loadedKeys(), ['B']);
    b.release();
    await cache.close();
  });

  it('keeps parallel loads within the budget, and reloads a model whose runtime died', async () => {
    const cache = new ModelCache({ budgetBytes: 30, maxParallelLoads: 2 });
    const load = (name: string) => async () => {
      await new Promise((r) => setTimeout(r, 10));
      return slowEngine(name, 20);
    };
    const [x, y] = await Promise.allSettled([cache.acquire('X', load('X')), cache.acquire('Y', load('Y'))]);
    assert.deepEqual([x.status, y.status].sort(), ['fulfilled', 'rejected'], 'two 20-byte models do not fit in 30 bytes');
    assert.ok(cache.usedBytes <= 30);
    const lease = (x.status === 'fulfilled' ? x.value : (y as PromiseFulfilledResult<Awaited<ReturnType<typeof cache.acquire>>>).value)!;
    const key = cache.loadedKeys()[0]!;
    (lease.engine as Engine & { failure: Error | undefined }).failure = new Error('worker crashed');
    lease.release();
    const again = await cache.acquire(key, async () => slowEngine('fresh', 20));
    assert.equal(again.engine.failure, undefined, 'a dead engine is replaced by a fresh load');
    again.release();
    await cache.close();
  });
});
