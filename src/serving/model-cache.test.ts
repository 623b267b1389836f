import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { AppError } from '../core/errors/index.js';
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
});
