import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Readable } from 'node:stream';
import type { CurrentStore } from './artifact-store-conformance.js';
import { getText, hashStream, md5Hex, MiB, rejectsWith, sha256Hex, snapshot } from './helpers.js';

/** A well-formed id that no store issued (32 hex digits, the local store's format). */
const UNKNOWN_ID = '0123456789abcdef0123456789abcdef';

/** Deterministic, distinct part contents; S3 wants ≥ 5 MiB for every part but the last. */
function part(n: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) b.writeUInt32BE((n * 2654435761 + i) >>> 0, i);
  return b;
}

export function multipartCases(store: CurrentStore): void {
  describe('multipart uploads', () => {
    it('parts uploaded out of order and listed out of order complete into one file in part-number order', async () => {
      const s = store();
      const p1 = part(1, 5 * MiB);
      const p2 = part(2, 5 * MiB);
      const p3 = Buffer.from('the tail');
      const { uploadId } = await s.createMultipartUpload('models/big.bin');
      assert.equal(typeof uploadId, 'string');
      assert.ok(uploadId.length > 0);
      const e3 = await s.uploadPart('models/big.bin', uploadId, 3, Readable.from([p3]));
      const e1 = await s.uploadPart('models/big.bin', uploadId, 1, p1);
      const e2 = await s.uploadPart('models/big.bin', uploadId, 2, Readable.from([p2.subarray(0, MiB), p2.subarray(MiB)]), { size: p2.length });
      for (const [e, b] of [[e1, p1], [e2, p2], [e3, p3]] as const) assert.equal(e.etag, `"${md5Hex(b)}"`, 'a part ETag is its quoted MD5, as on S3');
      assert.equal(await s.stat('models/big.bin'), null, 'an upload in progress is not visible');
      assert.deepEqual(await s.list('models'), []);
      const done = await s.completeMultipartUpload('models/big.bin', uploadId, [
        { partNumber: 2, etag: e2.etag },
        { partNumber: 3, etag: e3.etag },
        { partNumber: 1, etag: e1.etag },
      ]);
      const total = p1.length + p2.length + p3.length;
      assert.deepEqual(done, { size: total });
      const got = await s.get('models/big.bin');
      assert.equal(got.size, total);
      const h = await hashStream(got.body);
      assert.equal(h.sha256, sha256Hex(Buffer.concat([p1, p2, p3])));
      assert.deepEqual(await snapshot(s), [`models/big.bin|${total}`, 'models|dir']);
      await rejectsWith(s.uploadPart('models/big.bin', uploadId, 4, Buffer.from('late')), 'RESOURCE_DOES_NOT_EXIST', 'upload_id', 'a completed upload is gone');
    });

    it('a single-part upload replaces an existing file; ETags are accepted with or without quotes', async () => {
      const s = store();
      await s.put('f.txt', Buffer.from('old'));
      const { uploadId } = await s.createMultipartUpload('f.txt');
      const { etag } = await s.uploadPart('f.txt', uploadId, 1, Buffer.from('new content'));
      await s.completeMultipartUpload('f.txt', uploadId, [{ partNumber: 1, etag: etag.replace(/"/gu, '') }]);
      assert.equal(await getText(s, 'f.txt'), 'new content');
    });

    it('uploading a part number again replaces the part', async () => {
      const s = store();
      const { uploadId } = await s.createMultipartUpload('re.txt');
      const first = await s.uploadPart('re.txt', uploadId, 1, Buffer.from('first'));
      const second = await s.uploadPart('re.txt', uploadId, 1, Buffer.from('second'));
      await rejectsWith(s.completeMultipartUpload('re.txt', uploadId, [{ partNumber: 1, etag: first.etag }]), 'INVALID_PARAMETER_VALUE', 'parts');
      await s.completeMultipartUpload('re.txt', uploadId, [{ partNumber: 1, etag: second.etag }]);
      assert.equal(await getText(s, 're.txt'), 'second');
    });

    it('abort discards the upload: nothing is stored, the id stops working, aborting again is fine', async () => {
      const s = store();
      const { uploadId } = await s.createMultipartUpload('gone.bin');
      await s.uploadPart('gone.bin', uploadId, 1, Buffer.from('some bytes'));
      await s.abortMultipartUpload('gone.bin', uploadId);
      assert.equal(await s.stat('gone.bin'), null);
      assert.deepEqual(await s.list(''), []);
      await rejectsWith(s.uploadPart('gone.bin', uploadId, 2, Buffer.from('x')), 'RESOURCE_DOES_NOT_EXIST', 'upload_id');
      await rejectsWith(s.completeMultipartUpload('gone.bin', uploadId, [{ partNumber: 1, etag: '"00000000000000000000000000000000"' }]), 'RESOURCE_DOES_NOT_EXIST', 'upload_id');
      await s.abortMultipartUpload('gone.bin', uploadId);
    });

    it('an unknown upload id is a 404 on upload_id for parts and completion, and a no-op for abort', async () => {
      const s = store();
      await rejectsWith(s.uploadPart('x.bin', UNKNOWN_ID, 1, Buffer.from('x')), 'RESOURCE_DOES_NOT_EXIST', 'upload_id');
      await rejectsWith(s.completeMultipartUpload('x.bin', UNKNOWN_ID, [{ partNumber: 1, etag: '"0"' }]), 'RESOURCE_DOES_NOT_EXIST', 'upload_id');
      await s.abortMultipartUpload('x.bin', UNKNOWN_ID);
      await rejectsWith(s.uploadPart('x.bin', '', 1, Buffer.from('x')), 'INVALID_PARAMETER_VALUE', 'upload_id');
      assert.deepEqual(await s.list(''), []);
    });

    it('bad part numbers and part lists are 400s naming the field', async () => {
      const s = store();
      const { uploadId } = await s.createMultipartUpload('p.bin');
      for (const n of [0, -1, 10_001, 1.5, Number.NaN]) {
        await rejectsWith(s.uploadPart('p.bin', uploadId, n, Buffer.from('x')), 'INVALID_PARAMETER_VALUE', 'part_number', `part ${n}`);
      }
      const { etag } = await s.uploadPart('p.bin', uploadId, 1, Buffer.from('x'));
      await rejectsWith(s.completeMultipartUpload('p.bin', uploadId, []), 'INVALID_PARAMETER_VALUE', 'parts');
      await rejectsWith(s.completeMultipartUpload('p.bin', uploadId, [{ partNumber: 1, etag }, { partNumber: 1, etag }]), 'INVALID_PARAMETER_VALUE', 'parts');
      await rejectsWith(s.completeMultipartUpload('p.bin', uploadId, [{ partNumber: 1, etag: '' }]), 'INVALID_PARAMETER_VALUE', 'parts');
      await rejectsWith(
        s.completeMultipartUpload('p.bin', uploadId, [{ partNumber: 1, etag }, { partNumber: 2, etag: `"${md5Hex(Buffer.from('never sent'))}"` }]),
        'INVALID_PARAMETER_VALUE',
        'parts',
        'a part that was never uploaded',
      );
      await rejectsWith(s.completeMultipartUpload('p.bin', uploadId, [{ partNumber: 1, etag: `"${md5Hex(Buffer.from('other'))}"` }]), 'INVALID_PARAMETER_VALUE', 'parts', 'a wrong ETag');
      assert.equal(await s.stat('p.bin'), null, 'failed completions store nothing');
      await s.completeMultipartUpload('p.bin', uploadId, [{ partNumber: 1, etag }]);
      assert.equal(await getText(s, 'p.bin'), 'x', 'the upload survives failed completion attempts');
    });

    it('creating an upload needs a file path', async () => {
      await rejectsWith(store().createMultipartUpload(''), 'INVALID_PARAMETER_VALUE', 'path');
    });
  });
}
