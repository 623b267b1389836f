import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommand } from './args.js';
import { UsageError } from './errors.js';
import { DEFAULT_TRACKING_URI, resolveTrackingUri } from './tracking-uri.js';

function usage(argv: string[], re: RegExp, topic?: string): void {
  assert.throws(
    () => parseCommand(argv),
    (e: unknown) => {
      assert.ok(e instanceof UsageError, `expected UsageError, got ${String(e)}`);
      assert.match(e.message, re);
      if (topic !== undefined) assert.equal(e.topic, topic);
      return true;
    },
  );
}

describe('parseCommand', () => {
  it('help and version in their usual spellings', () => {
    assert.deepEqual(parseCommand([]), { kind: 'help', topic: '' });
    assert.deepEqual(parseCommand(['--help']), { kind: 'help', topic: '' });
    assert.deepEqual(parseCommand(['-V']), { kind: 'version' });
    assert.deepEqual(parseCommand(['--version']), { kind: 'version' });
    assert.deepEqual(parseCommand(['runs']), { kind: 'help', topic: 'runs' });
    assert.deepEqual(parseCommand(['runs', 'list', '--help']), { kind: 'help', topic: 'runs list' });
    assert.deepEqual(parseCommand(['server', '-h']), { kind: 'help', topic: 'server' });
    assert.deepEqual(parseCommand(['help', 'runs', 'show']), { kind: 'help', topic: 'runs show' });
  });

  it('server flags map onto startServer config input, leaving unset ones out', () => {
    assert.deepEqual(parseCommand(['server']), { kind: 'server', flags: {} });
    assert.deepEqual(
      parseCommand(['server', '--host', '0.0.0.0', '--port', '0', '--data-dir', '/d', '--store', 'sqlite:/x.db', '--config', 'c.json', '--insecure-bind']),
      {
        kind: 'server',
        flags: { server: { host: '0.0.0.0', port: 0, insecureBind: true }, dataDir: '/d', store: { uri: 'sqlite:/x.db' }, configFile: 'c.json' },
      },
    );
    usage(['server', '--port', '70000'], /--port must be an integer from 0 to 65535/, 'server');
    usage(['server', '--port', 'http'], /--port/);
  });

  it('experiments list and create', () => {
    assert.deepEqual(parseCommand(['experiments', 'list']), { kind: 'experiments list', view: 'ACTIVE_ONLY', json: false });
    assert.deepEqual(parseCommand(['experiments', 'list', '--view', 'deleted', '--filter', "name LIKE 'a%'", '--json', '--tracking-uri', 'http://h:1']), {
      kind: 'experiments list',
      view: 'DELETED_ONLY',
      filter: "name LIKE 'a%'",
      json: true,
      trackingUri: 'http://h:1',
    });
    assert.deepEqual(parseCommand(['experiments', 'create', 'bert', '--artifact-location', 's3://b/p']), {
      kind: 'experiments create',
      name: 'bert',
      artifactLocation: 's3://b/p',
      json: false,
    });
    usage(['experiments', 'list', '--view', 'some'], /--view must be active, deleted or all/);
    usage(['experiments', 'create'], /missing experiment NAME/, 'experiments create');
    usage(['experiments', 'create', 'a', 'b'], /unexpected argument 'b'/);
    usage(['experiments', 'remove'], /unknown command 'experiments remove'/, 'experiments');
  });

  it('runs list takes repeated --experiment and --order-by', () => {
    assert.deepEqual(parseCommand(['runs', 'list', '-e', '1', '--experiment', 'bert', '--order-by', 'metrics.loss ASC', '--order-by', 'start_time DESC', '--max', '5']), {
      kind: 'runs list',
      experiments: ['1', 'bert'],
      orderBy: ['metrics.loss ASC', 'start_time DESC'],
      view: 'ACTIVE_ONLY',
      max: 5,
      json: false,
    });
    usage(['runs', 'list'], /missing --experiment/, 'runs list');
    usage(['runs', 'list', '-e', '1', '--max', '0'], /--max must be an integer from 1/);
    usage(['runs', 'list', '-e', '1', '--max', '2.5'], /--max/);
    usage(['runs', 'list', '-e'], /argument missing/i);
  });

  it('runs show and compare take run ids', () => {
    assert.deepEqual(parseCommand(['runs', 'show', 'abc', '--json']), { kind: 'runs show', runId: 'abc', json: true });
    assert.deepEqual(parseCommand(['runs', 'compare', 'a', 'b', 'c']), { kind: 'runs compare', runIds: ['a', 'b', 'c'], json: false });
    usage(['runs', 'show'], /missing RUN_ID/);
    usage(['runs', 'compare', 'a'], /at least two/);
  });

  it('takes --tracking-uri and --json before the command too; flags after the command win', () => {
    assert.deepEqual(parseCommand(['--tracking-uri', 'http://h:1', 'experiments', 'list']), {
      kind: 'experiments list',
      view: 'ACTIVE_ONLY',
      json: false,
      trackingUri: 'http://h:1',
    });
    assert.deepEqual(parseCommand(['--json', '--tracking-uri=http://h:1', 'runs', 'show', 'abc']), { kind: 'runs show', runId: 'abc', json: true, trackingUri: 'http://h:1' });
    assert.deepEqual(parseCommand(['--tracking-uri', 'http://a:1', 'runs', 'compare', 'x', 'y', '--tracking-uri', 'http://b:2']), {
      kind: 'runs compare',
      runIds: ['x', 'y'],
      json: false,
      trackingUri: 'http://b:2',
    });
    assert.deepEqual(parseCommand(['--tracking-uri', 'http://h:1', 'runs', '--help']), { kind: 'help', topic: 'runs' });
    assert.deepEqual(parseCommand(['--json', '--help']), { kind: 'help', topic: '' });
    usage(['--tracking-uri'], /Option '--tracking-uri <value>' argument missing/, '');
    usage(['--tracking-uri', 'http://h:1', 'server'], /Unknown option '--tracking-uri'/, 'server');
    usage(['--tracking-uri', 'http://h:1', '--verbose', 'runs', 'list'], /unknown option '--verbose'/, '');
  });

  it('unknown commands and options are usage errors', () => {
    usage(['frobnicate'], /unknown command 'frobnicate'/, '');
    usage(['--verbose'], /unknown option '--verbose'/);
    usage(['runs', 'show', 'x', '--colour'], /Unknown option '--colour'$/, 'runs show');
  });
});

describe('resolveTrackingUri', () => {
  it('prefers the flag, then PITWALL_TRACKING_URI, then MLFLOW_TRACKING_URI, then the default', () => {
    const env = { PITWALL_TRACKING_URI: 'http://p:1', MLFLOW_TRACKING_URI: 'http://m:2' };
    assert.equal(resolveTrackingUri('http://f:3', env), 'http://f:3');
    assert.equal(resolveTrackingUri(undefined, env), 'http://p:1');
    assert.equal(resolveTrackingUri(undefined, { PITWALL_TRACKING_URI: '', MLFLOW_TRACKING_URI: 'http://m:2' }), 'http://m:2');
    assert.equal(resolveTrackingUri(undefined, {}), DEFAULT_TRACKING_URI);
  });

  it('rejects URIs the CLI cannot talk to, naming where they came from', () => {
    assert.throws(() => resolveTrackingUri(undefined, { MLFLOW_TRACKING_URI: 'sqlite:///mlflow.db' }), /MLFLOW_TRACKING_URI must be an http\(s\) URL/);
    assert.throws(() => resolveTrackingUri('localhost:5000', {}), /--tracking-uri must be/);
  });
});
