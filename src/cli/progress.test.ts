import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes } from './format.js';
import type { CliIo } from './io.js';
import { formatProgress, startProgress } from './progress.js';
import { displayWidth } from './table.js';

describe('formatBytes', () => {
  it('uses decimal units with three significant digits', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(1000), '1.00 kB');
    assert.equal(formatBytes(12_345), '12.3 kB');
    assert.equal(formatBytes(4_560_000), '4.56 MB');
    assert.equal(formatBytes(123_400_000), '123 MB');
    assert.equal(formatBytes(1.2e9), '1.20 GB');
    assert.equal(formatBytes(-1), '');
  });
});

describe('formatProgress', () => {
  it('shows a bar, percent, bytes and rate within the width', () => {
    const line = formatProgress('model.onnx', 5_000_000, 10_000_000, 2000, 80);
    assert.match(line, /^model\.onnx {2}\[#{15}-{15}\] {2} 50% {2}5\.00 MB \/ 10\.0 MB {2}2\.50 MB\/s$/);
    assert.ok(displayWidth(line) <= 80);
  });

  it('shortens a long label from the left and drops the bar when narrow', () => {
    const line = formatProgress(`uploading ${'x'.repeat(100)}.onnx`, 1, 4, 1000, 60);
    assert.ok(line.startsWith('…'), line);
    assert.ok(displayWidth(line) <= 60, line);
    assert.doesNotMatch(formatProgress('a-very-long-label-indeed', 1, 4, 1000, 40), /\[/);
  });

  it('an empty transfer is 100%', () => {
    assert.match(formatProgress('empty', 0, 0, 0), /100%/);
  });
});

describe('startProgress', () => {
  function io(tty: boolean, clock: { t: number }): CliIo & { written: string[] } {
    const written: string[] = [];
    return { written, out: () => {}, err: () => {}, now: () => clock.t, progress: { tty, write: (s) => written.push(s), columns: 100 } };
  }

  it('on a terminal redraws one line at most every 100 ms and ends it with a newline', () => {
    const clock = { t: 0 };
    const p = io(true, clock);
    const bar = startProgress(p, 'up');
    bar.update(0, 100);
    clock.t = 50;
    bar.update(10, 100);
    clock.t = 150;
    bar.update(60, 100);
    bar.finish();
    assert.equal(p.written.length, 3);
    assert.ok(p.written.every((w) => w.startsWith('\r')));
    assert.match(p.written[1]!, / 60%/);
    assert.match(p.written.at(-1)!, /^\r.* 60%.*\u001b\[K\n$/s);
  });

  it('elsewhere prints a plain line every 10 s and nothing for short transfers', () => {
    const clock = { t: 0 };
    const quick = io(false, clock);
    const bar = startProgress(quick, 'up');
    bar.update(0, 100);
    clock.t = 500;
    bar.update(100, 100);
    bar.finish();
    assert.deepEqual(quick.written, []);

    const slow = io(false, clock);
    const bar2 = startProgress(slow, 'up');
    bar2.update(0, 100);
    clock.t += 10_000;
    bar2.update(40, 100);
    clock.t += 5000;
    bar2.update(50, 100);
    bar2.finish();
    assert.equal(slow.written.length, 1);
    assert.match(slow.written[0]!, /^up .* 40% .*\n$/);
  });
});
