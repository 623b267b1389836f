import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CurrentStore } from './artifact-store-conformance.js';
import { failingBody, generatedBody, getText, hashStream, MiB, peakGrowth, rejectsWith, snapshot } from './helpers.js';

/** Paths every store must refuse with INVALID_PARAMETER_VALUE on `path`, touching nothing. */
export const PATH_ATTACKS: readonly string[] = [
  '..',
  '../x',
  'a/../../b',
  'a/..',
  'a/./b',
  './a',
  '/etc/passwd',
  '/',
  'C:\\x',
  'C:/x',
  'c:x',
  'a\\..\\b',
  '..\\x',
  '%2e%2e/x',
  '%2E%2E%2Fx',
  'a/%2f/b',
  '%5c..',
  '%252e%252e/x',
  '%00',
  'a#b',
  'a?b',
  'a\u0000b',
  'a\nb',
  'a\u007fb',
  'a//b',
  'file:///etc/passwd',
  `${'x'.repeat(256)}/f`,
  'a/\ud800b',
];

export function safetyCases(store: CurrentStore): void {
  describe('path safety, atomicity and streaming', () => {
    it('refuses every path in the attack list with a 400 on `path`, for every operation, leaving the store unchanged', async () => {
      const s = store();
      await s.put('a/b.txt', Buffer.from('b'));
      await s.put('x', Buffer.from('x'));
      await s.put('etc/passwd', Buffer.from('not the real one'));
      const before = await snapshot(s);
      const { uploadId } = await s.createMultipartUpload('a/upload.bin');
      for (const bad of PATH_ATTACKS) {
        const note = `for ${JSON.stringify(bad)}`;
        const ops: [string, () => Promise<unknown>][] = [
          ['put', () => s.put(bad, Buffer.from('pwned'))],
          ['get', () => s.get(bad)],
          ['stat', () => s.stat(bad)],
          ['list', () => s.list(bad)],
          ['delete', () => s.delete(bad)],
          ['createMultipartUpload', () => s.createMultipartUpload(bad)],
          ['uploadPart', () => s.uploadPart(bad, uploadId, 1, Buffer.from('pwned'))],
          ['completeMultipartUpload', () => s.completeMultipartUpload(bad, uploadId, [{ partNumber: 1, etag: '"x"' }])],
          ['abortMultipartUpload', () => s.abortMultipartUpload(bad, uploadId)],
        ];
        for (const [op, call] of ops) await rejectsWith(call(), 'INVALID_PARAMETER_VALUE', 'path', `${op} ${note}`);
      }
      assert.deepEqual(await snapshot(s), before);
      assert.equal(await getText(s, 'etc/passwd'), 'not the real one');
      await s.abortMultipartUpload('a/upload.bin', uploadId);
    });

    it('a body that fails midway stores nothing and leaves the previous version intact', async () => {
      const s = store();
      await s.put('model.bin', Buffer.from('version 1'));
      await assert.rejects(s.put('model.bin', failingBody(Buffer.alloc(64 * 1024, 1))), /connection reset by test/u);
      await assert.rejects(s.put('new.bin', failingBody(Buffer.alloc(64 * 1024, 2))), /connection reset by test/u);
      assert.equal(await getText(s, 'model.bin'), 'version 1');
      assert.equal(await s.stat('new.bin'), null);
      assert.deepEqual(await snapshot(s), ['model.bin|9']);
    });

    it('a put in progress is invisible: readers see the previous version until it completes', async () => {
      const s = store();
      await s.put('m.bin', Buffer.from('old'));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let pulled!: () => void;
      const firstPulled = new Promise<void>((r) => (pulled = r));
      async function* body() {
        yield Buffer.alloc(6 * MiB, 1);
        pulled();
        await gate;
        yield Buffer.from('end');
      }
      const pending = s.put('m.bin', body());
      await firstPulled;
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(await getText(s, 'm.bin'), 'old');
      assert.deepEqual(await snapshot(s), ['m.bin|3']);
      release();
      assert.deepEqual(await pending, { size: 6 * MiB + 3 });
      assert.deepEqual(await s.stat('m.bin'), { isDir: false, size: 6 * MiB + 3 });
    });

    it('an aborted put stores nothing', async () => {
      const s = store();
      const ac = new AbortController();
      async function* slow() {
        yield Buffer.alloc(1024, 1);
        ac.abort();
        await new Promise((r) => setTimeout(r, 20));
        yield Buffer.alloc(1024, 2);
      }
      await assert.rejects(s.put('aborted.bin', slow(), { signal: ac.signal }), (e: Error) => e.name === 'AbortError');
      assert.equal(await s.stat('aborted.bin'), null);
      const pre = new AbortController();
      pre.abort();
      await assert.rejects(s.put('pre-aborted.bin', Buffer.from('x'), { signal: pre.signal }), (e: Error) => e.name === 'AbortError');
      assert.deepEqual(await s.list(''), []);
    });

    it('streams a 64 MiB body generated on the fly in and out without holding it in memory', async () => {
      const s = store();
      const size = 64 * MiB;
      const gen = generatedBody(size);
      const put = await peakGrowth(() => s.put('large/blob.bin', gen.body));
      assert.deepEqual(put.result, { size });
      assert.equal(gen.produced(), size);
      const got = await s.get('large/blob.bin');
      assert.equal(got.size, size);
      const read = await peakGrowth(() => hashStream(got.body));
      assert.equal(read.result.bytes, size);
      assert.equal(read.result.sha256, gen.digest(), 'the bytes read back are the bytes generated');
      // A store that collected the body before writing (or reading) would hold all 64 MiB of Buffers at once.
      assert.ok(put.peak < 48 * MiB, `put held ${(put.peak / MiB).toFixed(1)} MiB of buffers`);
      assert.ok(read.peak < 48 * MiB, `get held ${(read.peak / MiB).toFixed(1)} MiB of buffers`);
    });
  });
}
