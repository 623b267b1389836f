import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Readable } from 'node:stream';
import type { ArtifactStore } from '../artifact-store.js';
import { compareArtifactPaths } from '../safe-path.js';
import { getText, readAll, rejectsWith, snapshot } from './helpers.js';
import { multipartCases } from './multipart-cases.js';
import { safetyCases } from './safety-cases.js';

/** Opens a fresh, empty store for one test (a new temp directory, a new S3 prefix). */
export type OpenArtifactStore = () => Promise<ArtifactStore>;

/** The store under test, for the case groups (valid inside an `it`). */
export type CurrentStore = () => ArtifactStore;

/**
 * The one `ArtifactStore` suite; every implementation runs it (`local-artifact-store.test.ts`,
 * `s3-artifact-store.test.ts`). `skip` carries the reason when the implementation's backing service is not there.
 */
export function artifactStoreConformance(name: string, open: OpenArtifactStore, opts: { skip?: string | undefined } = {}): void {
  describe(`ArtifactStore conformance: ${name}`, { skip: opts.skip ?? false }, () => {
    let current: ArtifactStore | undefined;
    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });
    const store: CurrentStore = () => {
      assert.ok(current, 'store not open');
      return current;
    };
    basicCases(store);
    multipartCases(store);
    safetyCases(store);
  });
}

function basicCases(store: CurrentStore): void {
  describe('files and directories', () => {
    it('starts empty: the root is a directory, nothing else exists', async () => {
      assert.deepEqual(await store().list(''), []);
      assert.deepEqual(await store().stat(''), { isDir: true });
      assert.equal(await store().stat('nope.txt'), null);
      await rejectsWith(store().get('nope.txt'), 'RESOURCE_DOES_NOT_EXIST', 'path');
      assert.match(store().rootUri, /^(file:\/\/\/|s3:\/\/)/u);
    });

    it('put then get returns the same bytes, from a Uint8Array, a Readable and an async iterable', async () => {
      const s = store();
      assert.deepEqual(await s.put('bytes.bin', new Uint8Array([0, 1, 2, 255])), { size: 4 });
      assert.deepEqual(await s.put('stream.txt', Readable.from([Buffer.from('hello '), Buffer.from('world')])), { size: 11 });
      async function* gen() {
        yield new TextEncoder().encode('a');
        yield new TextEncoder().encode('bc');
      }
      assert.deepEqual(await s.put('iter.txt', gen()), { size: 3 });
      const got = await s.get('bytes.bin');
      assert.equal(got.size, 4);
      assert.deepEqual([...(await readAll(got.body))], [0, 1, 2, 255]);
      assert.equal(await getText(s, 'stream.txt'), 'hello world');
      assert.equal(await getText(s, 'iter.txt'), 'abc');
      assert.deepEqual(await s.stat('stream.txt'), { isDir: false, size: 11 });
    });

    it('localPath is null (remote) or a real file holding the same bytes; missing files and directories are refused', async () => {
      await store().put('lp/a.bin', new Uint8Array([1, 2, 3]));
      const local = await store().localPath('lp/a.bin');
      if (local !== null) assert.deepEqual([...(await import('node:fs')).readFileSync(local)], [1, 2, 3]);
      if (local !== null) await rejectsWith(store().localPath('lp/none'), 'RESOURCE_DOES_NOT_EXIST');
      if (local !== null) await rejectsWith(store().localPath('lp'), 'INVALID_PARAMETER_VALUE');
      await rejectsWith(store().localPath('../x'), 'INVALID_PARAMETER_VALUE');
    });

    it('put replaces an existing file (overwrite), and the listing shows it once with the new size', async () => {
      const s = store();
      await s.put('model.pkl', Buffer.from('version one, longer'));
      await s.put('model.pkl', Buffer.from('v2'));
      assert.equal(await getText(s, 'model.pkl'), 'v2');
      assert.deepEqual(await s.list(''), [{ path: 'model.pkl', isDir: false, fileSize: 2 }]);
    });

    it('empty files are stored, listed with size 0 and read back as zero bytes', async () => {
      const s = store();
      assert.deepEqual(await s.put('dir/empty', new Uint8Array(0)), { size: 0 });
      assert.deepEqual(await s.put('dir/empty-stream', Readable.from([])), { size: 0 });
      const got = await s.get('dir/empty');
      assert.equal(got.size, 0);
      assert.equal((await readAll(got.body)).length, 0);
      assert.deepEqual(await s.list('dir'), [
        { path: 'dir/empty', isDir: false, fileSize: 0 },
        { path: 'dir/empty-stream', isDir: false, fileSize: 0 },
      ]);
    });

    it('nested directories: listings show direct children only, sorted, with paths from the root', async () => {
      const s = store();
      await s.put('model/MLmodel', Buffer.from('flavors: {}'));
      await s.put('model/data/weights.bin', Buffer.from('0123456789'));
      await s.put('model/data/deeper/x.txt', Buffer.from('x'));
      await s.put('metrics.json', Buffer.from('{}'));
      await s.put('a.txt', Buffer.from('a'));
      assert.deepEqual(await s.list(''), [
        { path: 'a.txt', isDir: false, fileSize: 1 },
        { path: 'metrics.json', isDir: false, fileSize: 2 },
        { path: 'model', isDir: true },
      ]);
      assert.deepEqual(await s.list('model'), [
        { path: 'model/MLmodel', isDir: false, fileSize: 11 },
        { path: 'model/data', isDir: true },
      ]);
      assert.deepEqual(await s.list('model/'), await s.list('model'), 'a trailing slash names the same directory');
      assert.deepEqual(await s.list('model/data'), [
        { path: 'model/data/deeper', isDir: true },
        { path: 'model/data/weights.bin', isDir: false, fileSize: 10 },
      ]);
      assert.deepEqual(await s.stat('model/data'), { isDir: true });
      assert.deepEqual(await s.list('missing'), [], 'a missing directory lists as []');
      assert.deepEqual(await s.list('a.txt'), [], 'a file lists as []');
      assert.deepEqual(await s.list('model/MLmodel'), []);
    });

    it('many entries in one directory are all listed and deleted (the S3 suite runs with 50-key pages)', async () => {
      const s = store();
      const names = Array.from({ length: 120 }, (_, i) => `many/f${String(i).padStart(4, '0')}`);
      for (let i = 0; i < names.length; i += 20) await Promise.all(names.slice(i, i + 20).map((n) => s.put(n, Buffer.from('.'))));
      await s.put('many/sub/x', Buffer.from('x'));
      const listed = await s.list('many');
      assert.equal(listed.length, 121);
      assert.deepEqual(listed.map((e) => e.path), [...names, 'many/sub'].sort(compareArtifactPaths));
      await s.delete('many');
      assert.deepEqual(await s.list(''), []);
    });

    it('unicode and punctuation in names round-trip through put, list and get', async () => {
      const s = store();
      const names = ['données/résumé.txt', '模型/权重 v1.bin', 'emoji 🚀.txt', "odd +&=;,'~!:@$() name.txt", '100%.txt', '...', 'Ωmega/…'];
      for (const n of names) await s.put(n, Buffer.from(`content of ${n}`));
      for (const n of names) assert.equal(await getText(s, n), `content of ${n}`);
      const all = await snapshot(s);
      for (const n of names) assert.ok(all.includes(`${n}|${Buffer.byteLength(`content of ${n}`)}`), `${n} missing from ${all.join(', ')}`);
      const root = await s.list('');
      assert.deepEqual(root.map((e) => e.path), [...root.map((e) => e.path)].sort(compareArtifactPaths), 'sorted by UTF-8 bytes');
    });

    it('delete removes a file, or a directory and everything under it, and nothing that merely shares a prefix', async () => {
      const s = store();
      await s.put('run/a/one.txt', Buffer.from('1'));
      await s.put('run/a/sub/two.txt', Buffer.from('2'));
      await s.put('run/ab.txt', Buffer.from('not under run/a'));
      await s.put('run/a.txt', Buffer.from('neither'));
      await s.delete('run/a/one.txt');
      assert.equal(await s.stat('run/a/one.txt'), null);
      await s.delete('run/a');
      assert.equal(await s.stat('run/a'), null);
      assert.equal(await s.stat('run/a/sub/two.txt'), null);
      assert.deepEqual(await snapshot(s), ['run/a.txt|7', 'run/ab.txt|15', 'run|dir']);
      await s.delete('run/a'); // deleting nothing is not an error
      await s.delete('never/was/here.txt');
      await s.delete('run/ab.txt');
      await s.delete('run/a.txt');
      assert.deepEqual(await s.list(''), [], 'directories exist only while they hold files');
    });

    it('delete of the root empties the store', async () => {
      const s = store();
      await s.put('x/y.txt', Buffer.from('y'));
      await s.put('z.txt', Buffer.from('z'));
      await s.delete('');
      assert.deepEqual(await s.list(''), []);
    });

    it('a directory is not a file and a file is not a directory (400, nothing changed)', async () => {
      const s = store();
      await s.put('d/inner.txt', Buffer.from('inner'));
      await s.put('f.txt', Buffer.from('file'));
      const before = await snapshot(s);
      await rejectsWith(s.get('d'), 'INVALID_PARAMETER_VALUE', 'path');
      await rejectsWith(s.get(''), 'INVALID_PARAMETER_VALUE', 'path');
      await rejectsWith(s.put('d', Buffer.from('over a dir')), 'INVALID_PARAMETER_VALUE', 'path');
      await rejectsWith(s.put('f.txt/below', Buffer.from('under a file')), 'INVALID_PARAMETER_VALUE', 'path');
      await rejectsWith(s.put('', Buffer.from('root')), 'INVALID_PARAMETER_VALUE', 'path');
      await rejectsWith(s.createMultipartUpload('d'), 'INVALID_PARAMETER_VALUE', 'path');
      assert.deepEqual(await snapshot(s), before);
      assert.equal(await getText(s, 'd/inner.txt'), 'inner');
    });

    it('get streams: the body arrives in several chunks and matches the declared size', async () => {
      const s = store();
      const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
      await s.put('three-mib.bin', big);
      const got = await s.get('three-mib.bin');
      assert.equal(got.size, big.length);
      let chunks = 0;
      let bytes = 0;
      for await (const c of got.body) {
        chunks++;
        bytes += (c as Buffer).length;
      }
      assert.equal(bytes, big.length);
      assert.ok(chunks > 1, `expected a stream of chunks, got ${chunks}`);
    });
  });
}
