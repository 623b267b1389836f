import assert from 'node:assert/strict';
import path from 'node:path';
import os from 'node:os';
import { describe, it } from 'node:test';
import { parseNvidiaSmi, SYSTEM_METRIC, SystemMetricsSampler } from './system-metrics.js';

describe('parseNvidiaSmi', () => {
  it('names metrics per GPU index as MLflow does, converting MiB to MB', () => {
    assert.deepEqual(parseNvidiaSmi('85, 40960, 81920\n3, 0, 81920\n'), {
      'system/gpu_0_utilization_percentage': 85,
      'system/gpu_0_memory_usage_megabytes': 42949.7,
      'system/gpu_0_memory_usage_percentage': 50,
      'system/gpu_1_utilization_percentage': 3,
      'system/gpu_1_memory_usage_megabytes': 0,
      'system/gpu_1_memory_usage_percentage': 0,
    });
  });

  it('skips fields nvidia-smi reports as [N/A] and ignores blank lines', () => {
    assert.deepEqual(parseNvidiaSmi('[N/A], 100, [N/A]\r\n\n'), { 'system/gpu_0_memory_usage_megabytes': 104.9 });
    assert.deepEqual(parseNvidiaSmi(''), {});
  });
});

describe('SystemMetricsSampler', () => {
  it('samples CPU and memory within range, and no GPU keys when nvidia-smi is missing', async () => {
    const s = new SystemMetricsSampler({ onSample: () => {}, nvidiaSmi: path.join(os.tmpdir(), 'definitely-not-nvidia-smi') });
    let x = 0;
    for (let i = 0; i < 2e6; i++) x += Math.sqrt(i); // some CPU time between snapshots
    assert.ok(x > 0);
    const m = await s.sample();
    assert.deepEqual(Object.keys(m).sort(), [SYSTEM_METRIC.cpuUtilization, SYSTEM_METRIC.memoryUsedMb, SYSTEM_METRIC.memoryUsedPercent].sort());
    const cpu = m[SYSTEM_METRIC.cpuUtilization]!;
    assert.ok(cpu >= 0 && cpu <= 100, `cpu ${cpu}`);
    const usedMb = m[SYSTEM_METRIC.memoryUsedMb]!;
    assert.ok(usedMb > 0 && usedMb <= os.totalmem() / 1e6, `memory ${usedMb}`);
    const pct = m[SYSTEM_METRIC.memoryUsedPercent]!;
    assert.ok(Math.abs(pct - (usedMb * 1e6 * 100) / os.totalmem()) < 1, 'percentage matches megabytes');
  });

  it('refuses a non-positive interval', () => {
    assert.throws(() => new SystemMetricsSampler({ onSample: () => {}, intervalMs: 0 }), RangeError);
  });

  it('stops emitting once stopped', async () => {
    const steps: number[] = [];
    const s = new SystemMetricsSampler({ intervalMs: 15, nvidiaSmi: false, onSample: (_m, step) => steps.push(step) });
    s.start();
    while (steps.length < 2) await new Promise((r) => setTimeout(r, 5));
    s.stop();
    assert.equal(s.running, false);
    const n = steps.length;
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(steps.length, n);
    assert.deepEqual(steps, Array.from({ length: n }, (_, i) => i));
  });
});
