import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiHarness } from '../api/testing/api-harness.js';
import { PASSENGERS, TITANIC_FILE, titanicV2 } from '../serving/testing/titanic.js';
import { PitwallClient } from './client.js';

describe('client.monitoring against a real server', () => {
  let h: ApiHarness;
  let client: PitwallClient;
  before(async () => {
    h = await ApiHarness.start();
    await h.registerFile('titanic', TITANIC_FILE);
    await h.deploy({ name: 'titanic', model: 'models:/titanic/1', config: { cost_per_request: 0.25 } });
    client = new PitwallClient({ baseUrl: await h.app.listen({ host: '127.0.0.1', port: 0 }) });
  });
  after(() => h.close());

  it('reads the prediction log, sends feedback and labels, and reads stats', async () => {
    const res = await fetch(`${client.baseUrl}/v2/models/titanic/infer`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pitwall-entity-key': 'jack' }, body: JSON.stringify(titanicV2([PASSENGERS[0]!])) });
    assert.equal(res.status, 200);
    const id = res.headers.get('x-pitwall-prediction-id')!;
    const p = await client.monitoring.prediction(id);
    assert.deepEqual([p.id, p.deployment, p.version, p.entityKey, p.costUsd, p.truncated], [id, 'titanic', '1', 'jack', 0.25, false]);
    const fb = await client.monitoring.feedback(id, { thumbs: 'down', comment: 'he did not survive' });
    assert.equal(fb.thumbs, 'down');
    assert.deepEqual(await client.monitoring.labels([{ entityKey: 'jack', label: 0 }, { predictionId: '0190a000-0000-7000-8000-000000000000', label: 1 }]), {
      accepted: 1,
      unscored: 0,
      unmatched: [{ index: 1, reason: 'prediction 0190a000-0000-7000-8000-000000000000 is not in the prediction log' }],
    });
    const page = await client.monitoring.predictions({ deployment: 'titanic', status: 'ok' });
    assert.equal(page.predictions[0]!.id, id);
    assert.equal(page.predictions[0]!.label, 0);
    assert.deepEqual(page.predictions[0]!.feedback.map((f) => f.comment), ['he did not survive']);
    // Through the SDK's inference call: the entity key goes along and the prediction id comes back.
    let viaSdk = '';
    await client.deployments.infer('titanic', titanicV2([PASSENGERS[1]!]) as never, { entityKey: 'rose', onPredictionId: (x) => (viaSdk = x) });
    assert.equal((await client.monitoring.prediction(viaSdk)).entityKey, 'rose');
    const s = await client.monitoring.stats('titanic', { step: '5m' });
    assert.equal(s.stepSeconds, 300);
    const t = s.versions[0]!.totals;
    assert.deepEqual([t.requests, t.costUsd, t.feedback.thumbsDownRate, t.performance.labelled], [2, 0.5, 1, 1]);
    assert.equal(t.performance.accuracy, (p.outputs as { name: string; data: number[] }[]).find((o) => o.name === 'label')!.data[0] === 0 ? 1 : 0);
  });
});
