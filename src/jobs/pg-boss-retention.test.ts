import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retentionDays } from './pg-boss-job-queue.js';

describe('pg-boss retention covers the retry plan', () => {
  it('keeps pg-boss’s 14 days for short plans and grows with long back-offs, up to 10 years', () => {
    assert.equal(retentionDays({ retryLimit: 2, retryDelaySeconds: 0, retryBackoff: false, expireInSeconds: 900 }), 15);
    // Daily delay, doubling, 5 retries: the 5th retry waits up to 32 days; the plan is about 62 days.
    const long = retentionDays({ retryLimit: 5, retryDelaySeconds: 86_400, retryBackoff: true, expireInSeconds: 900 });
    assert.ok(long >= 14 + 62 && long <= 14 + 64, String(long));
    assert.equal(retentionDays({ retryLimit: 1000, retryDelaySeconds: 3600, retryBackoff: true, expireInSeconds: 900 }), 3650);
  });
});
