import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactUri } from './create-store.js';
import { explainStoreError, storeRejectedInput, storeUnavailable } from './unavailable.js';

describe('store URIs and errors in words', () => {
  it('hides passwords wherever libpq would read them', () => {
    assert.equal(redactUri('postgres://u:p@ss@h/db'), 'postgres://u:***@h/db');
    assert.equal(redactUri('postgres://a:b@h:1/x'), 'postgres://a:***@h:1/x');
    assert.equal(redactUri('postgres://h/db?user=u&password=secret&sslmode=require'), 'postgres://h/db?user=u&password=***&sslmode=require');
    assert.equal(redactUri('postgres://h/db?sslkey=/k&sslpassword=x'), 'postgres://h/db?sslkey=***&sslpassword=***');
    assert.equal(redactUri('postgres://postgres@127.0.0.1:5432/x'), 'postgres://postgres@127.0.0.1:5432/x');
    assert.equal(redactUri('sqlite:/tmp/a.db'), 'sqlite:/tmp/a.db');
  });

  it('explains unreachable and refusing databases, and nothing else', () => {
    assert.match(explainStoreError({ code: 'ECONNREFUSED' })!, /nothing is listening/);
    assert.match(explainStoreError({ code: '3D000' })!, /database does not exist/);
    assert.match(explainStoreError(new AggregateError([{ code: 'ECONNREFUSED' }]))!, /nothing is listening/);
    assert.match(explainStoreError(new Error('timeout exceeded when trying to connect'))!, /PITWALL_PG_POOL_SIZE/);
    assert.equal(explainStoreError({ code: '23505' }), undefined);
    assert.equal(storeUnavailable({ code: '53300' })?.code, 'TEMPORARILY_UNAVAILABLE');
    assert.equal(storeRejectedInput({ code: '22001' })?.code, 'INVALID_PARAMETER_VALUE');
    assert.equal(storeRejectedInput({ code: '23505' }), undefined);
  });
});
