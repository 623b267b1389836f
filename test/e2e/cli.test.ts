import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PitwallClient, startRun } from '../../src/sdk/index.js';
import { type CliResult, freePort, type PitwallProcess, pitwall, startPitwall } from './pitwall-process.js';

type Result = CliResult;

describe('pitwall CLI against a real server', () => {
  let dataDir: string;
  let server: PitwallProcess;
  let cli: (args: string[]) => Promise<Result>;
  const runIds: string[] = [];

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-cli-e2e-'));
    server = await startPitwall(dataDir);
    cli = (args) => pitwall(args, { PITWALL_TRACKING_URI: server.url });
  });

  after(async () => {
    const code = await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    assert.equal(code, 0, `server exit code after SIGTERM; output:\n${server?.output()}`);
  });

  it('prints its version and help without a server', async () => {
    const v = await pitwall(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^pitwall \d+\.\d+\.\d+\n$/);
    const h = await pitwall(['runs', 'list', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Usage: pitwall runs list --experiment ID\|NAME/);
    const bad = await pitwall(['runs', 'list']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^pitwall: missing --experiment ID\|NAME\nRun 'pitwall runs list --help' for usage\.\n$/);
  });

  it('creates and lists experiments', async () => {
    const created = await cli(['experiments', 'create', 'e2e-cli']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^Created experiment 'e2e-cli' with id \d+\.\n$/);

    const again = await cli(['experiments', 'create', 'e2e-cli']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^pitwall: RESOURCE_ALREADY_EXISTS: /);

    const list = await cli(['experiments', 'list', '--json']);
    assert.equal(list.code, 0, list.stderr);
    const names = (JSON.parse(list.stdout) as { experiments: Array<{ name: string }> }).experiments.map((e) => e.name).sort();
    assert.deepEqual(names, ['Default', 'e2e-cli']);

    const table = await cli(['experiments', 'list']);
    assert.match(table.stdout, /^ID\s+NAME\s+CREATED\s+ARTIFACT LOCATION\n/);
    assert.match(table.stdout, /\n\d+\s+e2e-cli\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s/);
  });

  it('lists, shows and compares runs logged through the SDK', async () => {
    const client = new PitwallClient({ baseUrl: server.url });
    for (const [name, lr] of [['slow', 0.01], ['fast', 0.1]] as const) {
      const run = await startRun(client, { experimentName: 'e2e-cli', runName: name, params: { lr, epochs: 3 }, seed: 7, flushIntervalMs: 20 });
      for (let step = 0; step < 1500; step++) run.logMetric('loss', 1 / (step + 1) + lr, step);
      run.logMetric('acc', lr * 5, 0);
      await run.end();
      runIds.push(run.runId);
    }
    const [slow, fast] = runIds as [string, string];

    const list = await cli(['runs', 'list', '--experiment', 'e2e-cli']);
    assert.equal(list.code, 0, list.stderr);
    const lines = list.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, list.stdout);
    assert.match(lines[0]!, /^RUN ID\s+NAME\s+STATUS\s+START\s+DURATION\s+metrics\.acc\s+metrics\.loss\s+params\.lr\b/);
    assert.ok(lines.some((l) => l.startsWith(fast.slice(0, 8)) && /\bfast\s+FINISHED\b/.test(l) && /\s0\.100667\s/.test(l)), list.stdout);
    assert.ok(lines.some((l) => l.startsWith(slow.slice(0, 8)) && /\bslow\s+FINISHED\b/.test(l)), list.stdout);

    const ordered = await cli(['runs', 'list', '-e', 'e2e-cli', '--order-by', 'metrics.loss DESC', '--json']);
    assert.equal(ordered.code, 0, ordered.stderr);
    const runs = (JSON.parse(ordered.stdout) as { runs: Array<{ info: { run_name: string } }> }).runs;
    assert.deepEqual(runs.map((r) => r.info.run_name), ['fast', 'slow']);

    const show = await cli(['runs', 'show', slow.slice(0, 8)]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, new RegExp(`run id\\s+${slow}`));
    assert.match(show.stdout, /experiment\s+e2e-cli \(\d+\)/);
    assert.match(show.stdout, /Params \(3\)\n\s+KEY\s+VALUE\n\s+epochs\s+3\n\s+lr\s+0\.01\n\s+seed\s+7/);
    assert.match(show.stdout, /\n\s+loss\s+0\.0106667\s+1499\s/);
    assert.match(show.stdout, /\n\s+pitwall\.seed\s+7\n/);
    assert.match(show.stdout, /\n\s+mlflow\.source\.type\s+LOCAL\n/);

    const compare = await cli(['runs', 'compare', slow, fast]);
    assert.equal(compare.code, 0, compare.stderr);
    assert.match(compare.stdout, /\n\*\s+lr\s+0\.01\s+0\.1\n/);
    assert.match(compare.stdout, /\n\s+epochs\s+3\s+3\n/);
    assert.match(compare.stdout, /\n\s+loss\s+0\.0106667\s+0\.100667\n/);
  });

  it('fails cleanly for an unknown run and an unreachable server', async () => {
    const unknown = await cli(['runs', 'show', '0123456789abcdef0123456789abcdef']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^pitwall: RESOURCE_DOES_NOT_EXIST: .*0123456789abcdef0123456789abcdef/);
    assert.doesNotMatch(unknown.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(unknown.stdout, '');

    const port = await freePort();
    const dead = await pitwall(['experiments', 'list', '--tracking-uri', `http://127.0.0.1:${port}`]);
    assert.equal(dead.code, 1);
    assert.match(dead.stderr, new RegExp(`^pitwall: cannot reach Pitwall at http://127\\.0\\.0\\.1:${port} — is \`pitwall server\` running\\?`));
  });
});
