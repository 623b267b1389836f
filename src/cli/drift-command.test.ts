import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CliIo } from './io.js';
import { run } from './main.js';

const BIKE_DAY = path.resolve(import.meta.dirname, '../../../shared/data/bike-sharing/day.csv');

function recorder(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s), env: {}, now: () => Date.UTC(2026, 10, 29) };
}

describe('pitwall drift report (no server)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-drift-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const [header, ...days] = readFileSync(BIKE_DAY, 'utf8').trimEnd().split(/\r?\n/);
  const month = (prefix: string) => days.filter((l) => l.split(',')[1]!.startsWith(prefix));
  const jan = path.join(dir, 'jan.csv');
  const feb = path.join(dir, 'feb.jsonl');
  writeFileSync(jan, [header, ...month('2011-01')].join('\n'));
  // The current month as JSON lines: the two formats are read alike.
  const names = header!.split(',');
  writeFileSync(feb, month('2011-02').map((l) => JSON.stringify(Object.fromEntries(l.split(',').map((v, i) => [names[i], i === 1 ? v : Number(v)])))).join('\n'));

  it('prints a table of every column, writes a self-contained HTML report, exits 3 with --fail-on-drift when the dataset drifted', async () => {
    const io = recorder();
    const html = path.join(dir, 'report.html');
    const code = await run(['drift', 'report', '--reference', jan, '--current', feb, '--html', html, '--fail-on-drift', '--drift-share', '0.3'], io);
    const out = io.stdout.join('\n');
    assert.equal(code, 3, out + io.stderr.join('\n'));
    assert.match(out, /temp\s+num\s+ks\s/);
    assert.match(out, /dteday\s+datetime/);
    assert.match(out, /Dataset drift: DETECTED — 6 of 15 tested columns drifted \(40\.0%; the dataset drifts at 30%\)/);
    assert.match(out, /HTML report: /);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /^<!doctype html>/i);
    assert.match(page, /<svg/);
    assert.ok(!/<script[^>]+src=|<link[^>]+href=/i.test(page), 'the HTML report loads nothing from elsewhere');
  });

  it('--json prints the report; without --fail-on-drift a drifted dataset still exits 0; a column test override applies', async () => {
    const io = recorder();
    const code = await run(['drift', 'report', '-r', jan, '-c', feb, '--json', '--column-test', 'temp=wasserstein', '--exclude', 'instant,dteday'], io);
    assert.equal(code, 0);
    const r = JSON.parse(io.stdout.join('\n')) as { columns: { column: string; test?: string; testChosenBy?: string }[]; datasetDrift: boolean };
    assert.equal(r.columns.length, 14);
    const temp = r.columns.find((c) => c.column === 'temp')!;
    assert.equal(temp.test, 'wasserstein');
    assert.equal(temp.testChosenBy, 'column');
  });

  it('bad input is a clear error naming the flag or the column, not a stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['drift', 'report', '-c', feb], /missing --reference/],
      [['drift', 'report', '-r', jan, '-c', feb, '--num-test', 'nope'], /No drift test named 'nope'.*tests\.num/],
      [['drift', 'report', '-r', jan, '-c', feb, '--column-test', 'nope=ks'], /No column 'nope'/],
      [['drift', 'report', '-r', jan, '-c', feb, '--threshold=-2'], /--threshold must be a positive number/],
      [['drift', 'report', '-r', path.join(dir, 'missing.csv'), '-c', feb], /missing\.csv/],
    ];
    for (const [argv, message] of cases) {
      const io = recorder();
      const code = await run(argv, io);
      assert.notEqual(code, 0, argv.join(' '));
      assert.match(io.stderr.join('\n'), message, argv.join(' '));
      assert.ok(!/\n\s+at /.test(io.stderr.join('\n')), 'no stack trace');
    }
  });
});
