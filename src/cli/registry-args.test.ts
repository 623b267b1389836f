import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommand } from './args.js';
import { UsageError } from './errors.js';
import { helpFor } from './help.js';

function usage(argv: string[], re: RegExp, topic: string): void {
  assert.throws(
    () => parseCommand(argv),
    (e: unknown) => {
      assert.ok(e instanceof UsageError, `expected UsageError, got ${String(e)}`);
      assert.match(e.message, re);
      assert.equal(e.topic, topic);
      return true;
    },
  );
}

describe('parseCommand: models and artifacts', () => {
  it('models register takes PATH, --name, --run, --description and repeated --alias', () => {
    assert.deepEqual(parseCommand(['models', 'register', 'm.onnx', '--name', 'titanic']), { kind: 'models register', path: 'm.onnx', name: 'titanic', aliases: [], json: false });
    assert.deepEqual(
      parseCommand(['--tracking-uri', 'http://h:1', 'models', 'register', 'dir/', '-n', 'titanic', '--run', 'abc', '--description', 'first', '--alias', 'champion', '--alias', 'v-next', '--json']),
      { kind: 'models register', path: 'dir/', name: 'titanic', runId: 'abc', description: 'first', aliases: ['champion', 'v-next'], json: true, trackingUri: 'http://h:1' },
    );
    usage(['models', 'register', '--name', 'x'], /^missing PATH of the model file or directory$/, 'models register');
    usage(['models', 'register', 'm.onnx'], /^missing --name NAME/, 'models register');
    usage(['models', 'register', 'm.onnx', '-n', 'x', '--alias', 'no way'], /--alias 'no way' must be letters/, 'models register');
    usage(['models', 'register', 'm.onnx', '-n', 'x', '--bogus'], /Unknown option '--bogus'/, 'models register');
  });

  it('models list, show, alias, approve, protect', () => {
    assert.deepEqual(parseCommand(['models', 'list', '--filter', "name LIKE 't%'"]), { kind: 'models list', max: 100, filter: "name LIKE 't%'", json: false });
    assert.deepEqual(parseCommand(['models', 'show', 'titanic@champion']), { kind: 'models show', ref: 'titanic@champion', json: false });
    assert.deepEqual(parseCommand(['models', 'alias', 'titanic', 'champion', '3']), { kind: 'models alias', name: 'titanic', alias: 'champion', version: '3', delete: false, json: false });
    assert.deepEqual(parseCommand(['models', 'alias', 'titanic', 'champion', '--delete']), { kind: 'models alias', name: 'titanic', alias: 'champion', delete: true, json: false });
    usage(['models', 'alias', 'titanic', 'champion', '3', '--delete'], /unexpected argument '3'/, 'models alias');
    usage(['models', 'alias', 'titanic', 'champion', 'latest'], /VERSION must be a version number/, 'models alias');
    assert.deepEqual(parseCommand(['models', 'approve', 'titanic/3', '--reject', '--comment', 'bias', '--approver', 'ana']), {
      kind: 'models approve',
      ref: 'titanic/3',
      reject: true,
      comment: 'bias',
      approver: 'ana',
      json: false,
    });
    usage(['models', 'approve', 'titanic'], /'titanic' names no version: use NAME\/VERSION/, 'models approve');
    assert.deepEqual(parseCommand(['models', 'protect', 'titanic', 'champion', 'prod']), { kind: 'models protect', name: 'titanic', aliases: ['champion', 'prod'], json: false });
    assert.deepEqual(parseCommand(['models', 'protect', 'titanic', '--clear']), { kind: 'models protect', name: 'titanic', aliases: [], json: false });
    usage(['models', 'protect', 'titanic'], /missing ALIAS \(or --clear/, 'models protect');
    usage(['models', 'deploy'], /unknown command 'models deploy'/, 'models');
  });

  it('artifacts put/get/ls split RUN_ID[/PATH] at the first slash; get also takes models:/ URIs', () => {
    assert.deepEqual(parseCommand(['artifacts', 'put', 'plots', 'abc123/figures/2024/']), { kind: 'artifacts put', local: 'plots', target: { kind: 'run', runId: 'abc123', path: 'figures/2024' }, json: false });
    assert.deepEqual(parseCommand(['artifacts', 'get', 'abc123']), { kind: 'artifacts get', target: { kind: 'run', runId: 'abc123', path: '' }, json: false });
    assert.deepEqual(parseCommand(['artifacts', 'get', 'abc123/model/m.onnx', '/tmp/x']), { kind: 'artifacts get', target: { kind: 'run', runId: 'abc123', path: 'model/m.onnx' }, dest: '/tmp/x', json: false });
    assert.deepEqual(parseCommand(['artifacts', 'get', 'models:/titanic@champion']), { kind: 'artifacts get', target: { kind: 'model', ref: 'models:/titanic@champion' }, json: false });
    assert.deepEqual(parseCommand(['artifacts', 'ls', 'abc123/model', '--json']), { kind: 'artifacts ls', target: { kind: 'run', runId: 'abc123', path: 'model' }, json: true });
    usage(['artifacts', 'put', 'plots'], /missing LOCAL_PATH and RUN_ID\[\/PATH\]/, 'artifacts put');
    usage(['artifacts', 'put', 'plots', '/figures'], /names no run/, 'artifacts put');
    usage(['artifacts', 'ls', 'runs:/abc'], /is not RUN_ID\[\/PATH\]/, 'artifacts ls');
  });

  it('every new command has help, and the overview lists them', () => {
    assert.deepEqual(parseCommand(['models']), { kind: 'help', topic: 'models' });
    assert.deepEqual(parseCommand(['artifacts', '--help']), { kind: 'help', topic: 'artifacts' });
    assert.deepEqual(parseCommand(['models', 'register', '--help']), { kind: 'help', topic: 'models register' });
    for (const t of ['models register', 'models list', 'models show', 'models alias', 'models approve', 'models protect', 'artifacts put', 'artifacts get', 'artifacts ls']) {
      assert.match(helpFor(t), new RegExp(`^Usage: pitwall ${t} `), t);
      assert.match(helpFor(''), new RegExp(`\\n  ${t}\\s{2,}\\S`), `overview lists ${t}`);
    }
  });
});
