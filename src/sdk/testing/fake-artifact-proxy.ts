import type { FakeResponse, FakeRoutes, RecordedRequest } from './fake-server.js';

const PREFIX = '/api/2.0/mlflow-artifacts/artifacts';

/**
 * Test helper: routes for `startFakeServer` that behave like Pitwall's MLflow artifact proxy over an in-memory map
 * of store path → bytes (PUT stores, GET streams with Content-Length, `GET ?path=` lists basenames, DELETE removes
 * a file or a whole directory). Only the wire shapes; no path safety rules.
 */
export function fakeArtifactProxy(files: Map<string, Buffer> = new Map()): { files: Map<string, Buffer>; routes: FakeRoutes } {
  const pathOf = (req: RecordedRequest) => req.path.slice(PREFIX.length + 1).split('/').map(decodeURIComponent).join('/');
  const notFound = (p: string): FakeResponse => ({ status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `No such file: ${p}`, field: 'path' } });
  const list = (req: RecordedRequest): FakeResponse => {
    const dir = (req.query.get('path') ?? '').replace(/\/+$/, '');
    const children = new Map<string, { path: string; is_dir: boolean; file_size?: number }>();
    for (const [p, bytes] of files) {
      if (dir !== '' && !p.startsWith(`${dir}/`)) continue;
      const rest = dir === '' ? p : p.slice(dir.length + 1);
      const [first, ...more] = rest.split('/');
      if (more.length > 0) children.set(first!, { path: first!, is_dir: true });
      else children.set(first!, { path: first!, is_dir: false, ...(bytes.length ? { file_size: bytes.length } : {}) });
    }
    const sorted = [...children.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
    return { json: sorted.length ? { files: sorted } : {} };
  };
  return {
    files,
    routes: {
      [`GET ${PREFIX}`]: list,
      [`PUT ${PREFIX}/*`]: (req) => {
        files.set(pathOf(req), req.raw);
        return { json: {} };
      },
      [`GET ${PREFIX}/*`]: (req) => {
        const bytes = files.get(pathOf(req));
        return bytes === undefined ? notFound(pathOf(req)) : { bytes };
      },
      [`DELETE ${PREFIX}/*`]: (req) => {
        const p = pathOf(req);
        for (const k of [...files.keys()]) if (k === p || k.startsWith(`${p}/`)) files.delete(k);
        return { json: {} };
      },
    },
  };
}
