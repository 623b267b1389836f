import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LAYOUT, layoutLineage, type GraphEdgeIn } from './lineage-layout.js';

const node = (type: string, id: string) => ({ key: `${type}:${id}`, type, id });

/** The graph the registry answers for a version registered from a run that logged a model and read a dataset. */
const version = node('model_version', 'titanic/1');
const run = node('run', 'r1');
const logged = node('logged_model', 'm-1');
const dataset = node('dataset', 'titanic-train@abc');
const EDGES: GraphEdgeIn[] = [
  { from: run.key, to: logged.key, relation: 'logged' },
  { from: run.key, to: version.key, relation: 'registered_as' },
  { from: logged.key, to: version.key, relation: 'registered_as' },
  { from: dataset.key, to: run.key, relation: 'input (training)' },
];

const byKey = <T extends { node: { key: string } }>(items: readonly T[]) => new Map(items.map((p) => [p.node.key, p]));

test('columns follow the lineage order dataset → run → logged model → version, whatever the input order', () => {
  const l = layoutLineage([version, run, logged, dataset], EDGES, version.key);
  assert.deepEqual(
    l.columns.map((c) => c.type),
    ['dataset', 'run', 'logged_model', 'model_version'],
  );
  const at = byKey(l.nodes);
  const xs = [dataset, run, logged, version].map((n) => at.get(n.key)!.x);
  assert.deepEqual(xs, [...xs].sort((a, b) => a - b));
  assert.equal(new Set(xs).size, 4, 'one column per type');
  assert.equal(at.get(version.key)!.isRoot, true);
  assert.equal(l.nodes.filter((n) => n.isRoot).length, 1);
});

test('empty type columns are dropped and unknown types go to the right', () => {
  const l = layoutLineage([node('mystery', 'x'), run, version], [{ from: run.key, to: version.key, relation: 'registered_as' }], run.key);
  assert.deepEqual(
    l.columns.map((c) => c.type),
    ['run', 'model_version', 'mystery'],
  );
});

test('rows are evenly spaced and every column is centred on the tallest', () => {
  const runs = [node('run', 'a'), node('run', 'b'), node('run', 'c')];
  const l = layoutLineage([...runs, version], runs.map((r) => ({ from: r.key, to: version.key, relation: 'registered_as' })), version.key);
  const ys = l.nodes.filter((n) => n.node.type === 'run').map((n) => n.y);
  assert.equal(ys.length, 3);
  const pitch = DEFAULT_LAYOUT.nodeHeight + DEFAULT_LAYOUT.rowGap;
  assert.deepEqual([ys[1]! - ys[0]!, ys[2]! - ys[1]!], [pitch, pitch]);
  const v = l.nodes.find((n) => n.node.key === version.key)!;
  assert.equal(v.y, ys[1], 'a single node sits level with the middle of a three-node column');
  assert.ok(l.height >= ys[2]! + DEFAULT_LAYOUT.nodeHeight + DEFAULT_LAYOUT.padding);
});

test('no two nodes overlap and all fit inside the drawing', () => {
  const many = Array.from({ length: 6 }, (_, i) => node('dataset', `d${i}`));
  const l = layoutLineage([...many, run, logged, version], [...EDGES, ...many.map((d) => ({ from: d.key, to: run.key, relation: 'input' }))], version.key);
  for (const a of l.nodes) {
    assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.width <= l.width && a.y + a.height <= l.height, `${a.node.key} inside`);
    for (const b of l.nodes) {
      if (a === b) continue;
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      assert.ok(apart, `${a.node.key} and ${b.node.key} overlap`);
    }
  }
});

test('an edge that skips a column is routed through a lane, not through the node in that column', () => {
  const l = layoutLineage([version, run, logged, dataset], EDGES, version.key);
  const at = byKey(l.nodes);
  const skip = l.edges.find((e) => e.from === run.key && e.to === version.key)!;
  const mid = at.get(logged.key)!;
  // Every point of the path that lies within the logged-model column's x range must be outside the node's box.
  const nums = skip.path.match(/-?\d+(\.\d+)?/g)!.map(Number);
  const pts: [number, number][] = [];
  for (let i = 0; i + 1 < nums.length; i += 2) pts.push([nums[i]!, nums[i + 1]!]);
  const inColumn = pts.filter(([x]) => x >= mid.x && x <= mid.x + mid.width);
  assert.ok(inColumn.length >= 2, 'the path runs across the column on a lane');
  for (const [, y] of inColumn) assert.ok(y < mid.y || y > mid.y + mid.height, `lane y ${y} clears the node ${mid.y}..${mid.y + mid.height}`);
  assert.ok(skip.labelX > mid.x && skip.labelX < mid.x + mid.width, 'the label of a long edge sits on its lane');
  assert.equal(l.edges.length, 4);
});

test('edges start at the right side of their source and end at the left side of their target', () => {
  const l = layoutLineage([version, run, logged, dataset], EDGES, version.key);
  const at = byKey(l.nodes);
  for (const e of l.edges) {
    const nums = e.path.match(/-?\d+(\.\d+)?/g)!.map(Number);
    const from = at.get(e.from)!;
    const to = at.get(e.to)!;
    assert.equal(nums[0], from.x + from.width);
    assert.equal(nums[1], from.y + from.height / 2);
    assert.equal(nums[nums.length - 2], to.x);
    assert.equal(nums[nums.length - 1], to.y + to.height / 2);
  }
});

test('barycentre ordering keeps each run level with the dataset it read, so edges do not cross', () => {
  const d = [node('dataset', 'a'), node('dataset', 'b')];
  const r = [node('run', 'x'), node('run', 'y')];
  // Input order deliberately crossed: b→x, a→y.
  const l = layoutLineage([d[0]!, d[1]!, r[0]!, r[1]!], [
    { from: d[1]!.key, to: r[0]!.key, relation: 'input' },
    { from: d[0]!.key, to: r[1]!.key, relation: 'input' },
  ], r[0]!.key);
  const at = byKey(l.nodes);
  assert.equal(at.get(d[1]!.key)!.row, at.get(r[0]!.key)!.row);
  assert.equal(at.get(d[0]!.key)!.row, at.get(r[1]!.key)!.row);
});

test('unknown endpoints and duplicate edges are ignored; parallel edges stack their labels', () => {
  const l = layoutLineage([run, logged], [
    { from: run.key, to: logged.key, relation: 'logged' },
    { from: run.key, to: logged.key, relation: 'logged' },
    { from: run.key, to: logged.key, relation: 'produced' },
    { from: run.key, to: 'run:missing', relation: 'x' },
  ], run.key);
  assert.equal(l.edges.length, 2);
  assert.notEqual(l.edges[0]!.labelY, l.edges[1]!.labelY);
});

test('an empty graph or a lone node still yields a drawable size', () => {
  const lone = layoutLineage([version], [], version.key);
  assert.equal(lone.nodes.length, 1);
  assert.ok(lone.width > DEFAULT_LAYOUT.nodeWidth && lone.height > DEFAULT_LAYOUT.nodeHeight);
  const none = layoutLineage([], [], '');
  assert.equal(none.nodes.length, 0);
  assert.ok(Number.isFinite(none.width) && Number.isFinite(none.height));
});

test('a same-column edge is drawn as a loop on the right, not dropped', () => {
  const a = node('run', 'a');
  const b = node('run', 'b');
  const l = layoutLineage([a, b], [{ from: a.key, to: b.key, relation: 'retrained_as' }], a.key);
  assert.equal(l.edges.length, 1);
  assert.ok(l.edges[0]!.labelX > l.nodes[0]!.x + l.nodes[0]!.width);
});
