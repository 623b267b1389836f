import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { artifactStoreConformance } from './conformance/artifact-store-conformance.js';
import { failingBody, getText, rejectsWith, snapshot } from './conformance/helpers.js';
import { LocalArtifactStore, STAGING_DIR } from './local-artifact-store.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'pitwall-local-store-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const freshRoot = () => path.join(scratch, `root-${++n}`);

artifactStoreConformance('LocalArtifactStore', () => LocalArtifactStore.open(freshRoot()));

describe('LocalArtifactStore (local-only behaviour)', () => {
  let base: string;
  let root: string;
  let outside: string;
  let store: LocalArtifactStore;

  beforeEach(async () => {
    base = path.join(scratch, `case-${++n}`);
    root = path.join(base, 'artifacts');
    outside = path.join(base, 'outside');
    mkdirSync(path.join(outside, 'dir'), { recursive: true });
    writeFileSync(path.join(outside, 'secret.txt'), 'TOP SECRET');
    writeFileSync(path.join(outside, 'dir', 'inner.txt'), 'INNER');
    store = await LocalArtifactStore.open(root);
  });

  const outsideUnchanged = () => {
    assert.equal(readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'TOP SECRET');
    assert.deepEqual(readdirSync(outside).sort(), ['dir', 'secret.txt']);
    assert.deepEqual(readdirSync(path.join(outside, 'dir')), ['inner.txt']);
    assert.equal(readFileSync(path.join(outside, 'dir', 'inner.txt'), 'utf8'), 'INNER');
  };

  it('creates the root (and its staging area) on open, and names it as a file:// URI', () => {
    assert.ok(statSync(root).isDirectory());
    assert.ok(statSync(path.join(root, STAGING_DIR)).isDirectory());
    assert.equal(store.rootUri, `file://${root}`);
  });

  it('hides the staging area from listings and refuses paths into it', async () => {
    await store.put('a.txt', Buffer.from('a'));
    assert.deepEqual(await store.list(''), [{ path: 'a.txt', isDir: false, fileSize: 1 }]);
    await rejectsWith(store.put(`${STAGING_DIR}/x`, Buffer.from('x')), 'INVALID_PARAMETER_VALUE', 'path');
    await rejectsWith(store.list(STAGING_DIR), 'INVALID_PARAMETER_VALUE', 'path');
    await rejectsWith(store.delete(STAGING_DIR), 'INVALID_PARAMETER_VALUE', 'path');
    assert.ok(existsSync(path.join(root, STAGING_DIR)));
  });

  it('a file symlink pointing out of the root is refused on get, put, stat, delete and left out of listings', async () => {
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'leak.txt'));
    await rejectsWith(store.get('leak.txt'), 'INVALID_PARAMETER_VALUE', 'path');
    await rejectsWith(store.put('leak.txt', Buffer.from('overwritten')), 'INVALID_PARAMETER_VALUE', 'path');
    await rejectsWith(store.stat('leak.txt'), 'INVALID_PARAMETER_VALUE', 'path');
    await rejectsWith(store.delete('leak.txt'), 'INVALID_PARAMETER_VALUE', 'path');
    await rejectsWith(store.createMultipartUpload('leak.txt'), 'INVALID_PARAMETER_VALUE', 'path');
    assert.deepEqual(await store.list(''), []);
    outsideUnchanged();
  });

  it('a directory symlink pointing out of the root is refused on every operation through it', async () => {
    symlinkSync(path.join(outside, 'dir'), path.join(root, 'escape'));
    await rejectsWith(store.get('escape/inner.txt'), 'INVALID_PARAMETER_VALUE', 'path');
    await rejectsWith(store.put('escape/new.txt', Buffer.from('planted')), 'INVALID_PARAMETER_VALUE', 'path');
    await rejectsWith(store.put('escape/inner.txt', Buffer.from('overwritten')), 'INVALID_PARAMETER_VALUE', 'path');
    await rejectsWith(store.list('escape'), 'INVALID_PARAMETER_VALUE', 'path');
    await rejectsWith(store.stat('escape/inner.txt'), 'INVALID_PARAMETER_VALUE', 'path');
    await rejectsWith(store.delete('escape'), 'INVALID_PARAMETER_VALUE', 'path');
    await rejectsWith(store.delete('escape/inner.txt'), 'INVALID_PARAMETER_VALUE', 'path');
    assert.deepEqual(await store.list(''), []);
    outsideUnchanged();
  });

  it('a dangling symlink aimed out of the root is refused (a put cannot create the target through it)', async () => {
    symlinkSync(path.join(outside, 'created-by-attack.txt'), path.join(root, 'dangling'));
    await rejectsWith(store.put('dangling', Buffer.from('x')), 'INVALID_PARAMETER_VALUE', 'path');
    await rejectsWith(store.get('dangling'), 'INVALID_PARAMETER_VALUE', 'path');
    outsideUnchanged();
  });

  it('deleting a directory that contains links out removes the links, never what they point to', async () => {
    await store.put('run/model.bin', Buffer.from('m'));
    symlinkSync(path.join(outside, 'dir'), path.join(root, 'run', 'dirlink'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'run', 'filelink'));
    assert.deepEqual(await store.list('run'), [{ path: 'run/model.bin', isDir: false, fileSize: 1 }], 'links out are not listed');
    await store.delete('run');
    assert.equal(existsSync(path.join(root, 'run')), false);
    outsideUnchanged();
    await store.put('all/x', Buffer.from('x'));
    symlinkSync(path.join(outside, 'dir'), path.join(root, 'all', 'dirlink'));
    await store.delete('');
    assert.deepEqual(readdirSync(root), [STAGING_DIR]);
    outsideUnchanged();
  });

  it('symlinks that stay inside the root are followed; deleting one removes the link only', async () => {
    await store.put('real/data.txt', Buffer.from('data'));
    symlinkSync(path.join(root, 'real'), path.join(root, 'alias'));
    assert.equal(await getText(store, 'alias/data.txt'), 'data');
    assert.deepEqual(await store.list('alias'), [{ path: 'alias/data.txt', isDir: false, fileSize: 4 }]);
    await store.delete('alias');
    assert.equal(await getText(store, 'real/data.txt'), 'data');
    assert.equal(existsSync(path.join(root, 'alias')), false);
  });

  it('a symlink into the staging area is refused', async () => {
    symlinkSync(path.join(root, STAGING_DIR), path.join(root, 'peek'));
    await rejectsWith(store.list('peek'), 'INVALID_PARAMETER_VALUE', 'path');
    await rejectsWith(store.put('peek/x', Buffer.from('x')), 'INVALID_PARAMETER_VALUE', 'path');
  });

  it('failed and completed writes leave no temp files behind', async () => {
    await store.put('a.txt', Buffer.from('a'));
    await assert.rejects(store.put('b.txt', failingBody(Buffer.alloc(1000))));
    const { uploadId } = await store.createMultipartUpload('c.bin');
    const { etag } = await store.uploadPart('c.bin', uploadId, 1, Buffer.from('c'));
    await store.completeMultipartUpload('c.bin', uploadId, [{ partNumber: 1, etag }]);
    const { uploadId: other } = await store.createMultipartUpload('d.bin');
    await store.uploadPart('d.bin', other, 1, Buffer.from('d'));
    await store.abortMultipartUpload('d.bin', other);
    await store.delete('a.txt');
    assert.deepEqual(readdirSync(path.join(root, STAGING_DIR)), []);
  });

  it('multipart ids are opaque 128-bit hex; a malformed id is a 400 and an id used with another path is unknown', async () => {
    const { uploadId } = await store.createMultipartUpload('one.bin');
    assert.match(uploadId, /^[0-9a-f]{32}$/u);
    await rejectsWith(store.uploadPart('one.bin', '../../etc', 1, Buffer.from('x')), 'INVALID_PARAMETER_VALUE', 'upload_id');
    await rejectsWith(store.uploadPart('two.bin', uploadId, 1, Buffer.from('x')), 'RESOURCE_DOES_NOT_EXIST', 'upload_id');
    await store.abortMultipartUpload('two.bin', uploadId); // not this path's upload: nothing happens
    const { etag } = await store.uploadPart('one.bin', uploadId, 1, Buffer.from('still open'));
    await store.completeMultipartUpload('one.bin', uploadId, [{ partNumber: 1, etag }]);
    assert.equal(await getText(store, 'one.bin'), 'still open');
  });

  it('stores artifacts as plain files at <root>/<path>, the layout of MLflow\'s local artifact repository', async () => {
    await store.put('1/abc/artifacts/model/MLmodel', Buffer.from('flavors: {}'));
    assert.equal(readFileSync(path.join(root, '1', 'abc', 'artifacts', 'model', 'MLmodel'), 'utf8'), 'flavors: {}');
    writeFileSync(path.join(root, 'placed-by-hand.txt'), 'hand');
    assert.equal(await getText(store, 'placed-by-hand.txt'), 'hand');
    assert.deepEqual(await snapshot(store), ['1/abc/artifacts/model/MLmodel|11', '1/abc/artifacts/model|dir', '1/abc/artifacts|dir', '1/abc|dir', '1|dir', 'placed-by-hand.txt|4']);
  });

  it('sweeps stale leftovers of crashed processes from the staging area on open', async () => {
    const staging = path.join(root, STAGING_DIR);
    mkdirSync(path.join(staging, 'del-abc', 'x'), { recursive: true });
    writeFileSync(path.join(staging, 'put-fresh'), 'in flight elsewhere');
    await LocalArtifactStore.open(root);
    assert.deepEqual(readdirSync(staging), ['put-fresh']);
  });
});

describe('LocalArtifactStore.open', () => {
  let file: string;
  before(() => {
    file = path.join(scratch, 'a-file');
    writeFileSync(file, 'x');
  });
  it('refuses a root that is a file', async () => {
    await assert.rejects(LocalArtifactStore.open(file));
  });
});
