import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeploymentStatus, TargetStatus } from '../sdk/deployments-client.js';
import {
  deploymentEndpoints,
  deploymentPath,
  deploymentState,
  formatContext,
  formatCounter,
  formatMs,
  formatSeconds,
  isLlmDeployment,
  llmEndpoints,
  meanBatchSize,
  queueFill,
  slotsFill,
  splitSegments,
  targetsWithErrors,
} from './deployment-format.js';

const target = (state: TargetStatus['state'], error?: string): TargetStatus => ({ model: 'm', alias: 'a', weight: 1, state, ...(error ? { error } : {}) });
const status = (ready: boolean, targets: TargetStatus[], draining = false): DeploymentStatus => ({ name: 'd', ready, revision: 1, draining, targets });

test('a deployment is ready, loading, failed or draining as its status says', () => {
  assert.equal(deploymentState(status(true, [target('ready')])), 'ready');
  assert.equal(deploymentState(status(false, [target('ready'), target('loading')])), 'loading');
  assert.equal(deploymentState(status(false, [target('ready'), target('failed', 'no such file')])), 'failed');
  assert.equal(deploymentState(status(false, [target('ready')], true)), 'draining');
  assert.equal(targetsWithErrors(status(true, [target('ready', 'v2 failed to load'), target('ready')])), 1, 'an old version serving despite an error');
  assert.equal(targetsWithErrors(status(false, [target('failed', 'x')])), 0, 'a failed target is counted by the state');
});

test('the split bar is proportional to the weights and its labels add up to 100 %', () => {
  assert.deepEqual(splitSegments([1]), [{ start: 0, width: 1, label: '100%' }]);
  const three = splitSegments([1, 1, 1]);
  assert.deepEqual(three.map((s) => s.label), ['34%', '33%', '33%']);
  assert.ok(Math.abs(three[2]!.start - 2 / 3) < 1e-12 && Math.abs(three[2]!.width - 1 / 3) < 1e-12);
  assert.deepEqual(splitSegments([3, 1]).map((s) => [s.start, s.width, s.label]), [[0, 0.75, '75%'], [0.75, 0.25, '25%']]);
  assert.deepEqual(splitSegments([1000, 1]).map((s) => s.label), ['100%', '<1%']);
  assert.deepEqual(splitSegments([0, 0]).map((s) => s.label), ['—', '—'], 'no weight at all: equal slots, no share claimed');
});

test('queue fill saturates at capacity and warns from three quarters', () => {
  assert.deepEqual(queueFill({ queued: 0, capacity: 256 }), { fraction: 0, level: 'ok' });
  assert.deepEqual(queueFill({ queued: 192, capacity: 256 }), { fraction: 0.75, level: 'busy' });
  assert.deepEqual(queueFill({ queued: 300, capacity: 256 }), { fraction: 1, level: 'full' });
  assert.deepEqual(queueFill({ queued: 3, capacity: 0 }), { fraction: 0, level: 'ok' });
});

test('mean batch size is requests per batch, a dash before any batch', () => {
  assert.equal(meanBatchSize({ requests: 0, batches: 0 }), '—');
  assert.equal(meanBatchSize({ requests: 7, batches: 7 }), '1');
  assert.equal(meanBatchSize({ requests: 22, batches: 3 }), '7.33');
});

test('counters, durations, paths and endpoints', () => {
  assert.equal(formatCounter(12345), '12,345');
  assert.equal(formatCounter(undefined), '—');
  assert.equal(formatMs(5), '5 ms');
  assert.equal(formatMs(10_000), '10 s');
  assert.equal(formatMs(1500), '1.5 s');
  assert.equal(deploymentPath('a b'), '/deployments/a%20b');
  assert.deepEqual(deploymentEndpoints('http://h:5000/', 'titanic').map((e) => `${e.method} ${e.url}`), [
    'POST http://h:5000/v2/models/titanic/infer',
    'POST http://h:5000/deployments/titanic/invocations',
  ]);
});

test('LLM targets: slots fill, latencies, context, OpenAI endpoints', () => {
  assert.deepEqual(slotsFill({ slotsInUse: 0, slots: 4 }), { fraction: 0, level: 'ok' });
  assert.deepEqual(slotsFill({ slotsInUse: 3, slots: 4 }), { fraction: 0.75, level: 'ok' });
  assert.deepEqual(slotsFill({ slotsInUse: 4, slots: 4 }), { fraction: 1, level: 'busy' }, 'every slot busy: new requests wait');
  assert.deepEqual(slotsFill({ slotsInUse: 1, slots: 0 }), { fraction: 0, level: 'ok' });
  assert.deepEqual([0.00031, 0.0123, 0.2345, 1.2345, undefined].map(formatSeconds), ['0.31 ms', '12.3 ms', '235 ms', '1.23 s', '—']);
  assert.equal(formatContext({ contextSize: 512, trainContextSize: 2048 }), '512 tokens (trained with 2,048)');
  assert.equal(formatContext({ contextSize: 512, trainContextSize: 512 }), '512 tokens');
  assert.equal(formatContext({}), '—');
  assert.equal(isLlmDeployment(status(true, [{ ...target('ready'), batching: 'continuous' }])), true);
  assert.equal(isLlmDeployment(status(true, [{ ...target('loading'), model: '', upstream: 'vllm' }])), true, 'an upstream target, even before it connects');
  assert.equal(isLlmDeployment(status(true, [{ ...target('ready'), batching: 'dynamic' }])), false);
  assert.deepEqual(llmEndpoints('http://h:5000/').map((e) => `${e.method} ${e.url}`), ['POST http://h:5000/v1/chat/completions', 'POST http://h:5000/v1/completions', 'GET http://h:5000/v1/models']);
});
