import { execFile } from 'node:child_process';
import os from 'node:os';

/** Metric names as MLflow's system-metrics monitors log them (`mlflow/system_metrics/metrics/*.py`). */
export const SYSTEM_METRIC = {
  cpuUtilization: 'system/cpu_utilization_percentage',
  memoryUsedMb: 'system/system_memory_usage_megabytes',
  memoryUsedPercent: 'system/system_memory_usage_percentage',
  gpuUtilization: (i: number) => `system/gpu_${i}_utilization_percentage`,
  gpuMemoryUsedMb: (i: number) => `system/gpu_${i}_memory_usage_megabytes`,
  gpuMemoryUsedPercent: (i: number) => `system/gpu_${i}_memory_usage_percentage`,
} as const;

export interface SystemMetricsSamplerOptions {
  /** Time between samples (default 10 000 ms). */
  intervalMs?: number;
  /** Receives each sample; `step` starts at 0 and increases by 1 per sample. */
  onSample: (metrics: Record<string, number>, step: number) => void;
  /** Path of `nvidia-smi` (default: looked up on PATH), or `false` to skip GPUs. */
  nvidiaSmi?: string | false;
  /** Called when a sample fails; the sampler keeps going. */
  onError?: (e: unknown) => void;
}

interface CpuTimes {
  idle: number;
  total: number;
}

const GPU_QUERY = ['--query-gpu=utilization.gpu,memory.used,memory.total', '--format=csv,noheader,nounits'];
/** MLflow reports megabytes as bytes / 1e6; nvidia-smi reports MiB. */
const MIB_TO_MB = (1024 * 1024) / 1e6;

const round1 = (v: number): number => Math.round(v * 10) / 10;

function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const c of os.cpus()) {
    const t = c.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/**
 * Samples CPU, memory and (where `nvidia-smi` exists) GPU usage on a timer. The timer is `unref()`ed so it never keeps
 * the process alive; a tick is skipped while the previous sample is still running.
 */
export class SystemMetricsSampler {
  private readonly intervalMs: number;
  private readonly onSample: SystemMetricsSamplerOptions['onSample'];
  private readonly onError: (e: unknown) => void;
  private nvidiaSmi: string | false;
  private lastCpu: CpuTimes = cpuTimes();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private step = 0;

  constructor(opts: SystemMetricsSamplerOptions) {
    this.intervalMs = opts.intervalMs ?? 10_000;
    if (!(this.intervalMs > 0)) throw new RangeError(`system metrics interval must be > 0 ms, got ${this.intervalMs}`);
    this.onSample = opts.onSample;
    this.onError = opts.onError ?? (() => {});
    this.nvidiaSmi = opts.nvidiaSmi ?? 'nvidia-smi';
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    this.lastCpu = cpuTimes();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes one sample now (CPU utilisation is measured since the previous sample or `start()`). */
  async sample(): Promise<Record<string, number>> {
    const now = cpuTimes();
    const dTotal = now.total - this.lastCpu.total;
    const dIdle = now.idle - this.lastCpu.idle;
    this.lastCpu = now;
    const total = os.totalmem();
    const used = total - os.freemem();
    const out: Record<string, number> = {
      [SYSTEM_METRIC.cpuUtilization]: dTotal > 0 ? round1(Math.min(100, Math.max(0, (1 - dIdle / dTotal) * 100))) : 0,
      [SYSTEM_METRIC.memoryUsedMb]: round1(used / 1e6),
      [SYSTEM_METRIC.memoryUsedPercent]: round1((used / total) * 100),
    };
    Object.assign(out, await this.sampleGpus());
    return out;
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const metrics = await this.sample();
      if (this.timer) this.onSample(metrics, this.step++);
    } catch (e) {
      this.onError(e);
    } finally {
      this.busy = false;
    }
  }

  private async sampleGpus(): Promise<Record<string, number>> {
    const bin = this.nvidiaSmi;
    if (bin === false) return {};
    let stdout: string;
    try {
      stdout = await new Promise<string>((resolve, reject) => {
        execFile(bin, GPU_QUERY, { timeout: 5_000, windowsHide: true }, (err, out) => (err ? reject(err) : resolve(out)));
      });
    } catch (e) {
      // No binary (or no permission to run it): this machine has no NVIDIA GPU we can see; stop asking.
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES') this.nvidiaSmi = false;
      else this.onError(e);
      return {};
    }
    return parseNvidiaSmi(stdout);
  }
}

/** Parses `nvidia-smi --query-gpu=utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(stdout: string): Record<string, number> {
  const out: Record<string, number> = {};
  const lines = stdout.split(/\r?\n/).filter((l) => l.trim() !== '');
  lines.forEach((line, i) => {
    const [util, usedMib, totalMib] = line.split(',').map((f) => Number(f.trim()));
    if (util !== undefined && Number.isFinite(util)) out[SYSTEM_METRIC.gpuUtilization(i)] = util;
    if (usedMib !== undefined && Number.isFinite(usedMib)) {
      out[SYSTEM_METRIC.gpuMemoryUsedMb(i)] = round1(usedMib * MIB_TO_MB);
      if (totalMib !== undefined && Number.isFinite(totalMib) && totalMib > 0) {
        out[SYSTEM_METRIC.gpuMemoryUsedPercent(i)] = round1((usedMib / totalMib) * 100);
      }
    }
  });
  return out;
}
