// Tracking ingest on PostgreSQL against SQLite: the ingest benchmark's workload (bench/ingest.ts) sent to a server on
// SQLite, to one on a fresh PostgreSQL database, and to two servers sharing one PostgreSQL database.
import { createTestDatabase } from '../src/store/postgres/testing/pg-test-db.js';
import { type BenchServer, median, startBenchServer } from './harness.js';
import { BATCHES, checkIngested, ingestOver, PER_BATCH } from './ingest.js';

/** Full rounds over every configuration; each figure is the median of its rounds. */
const ROUNDS = Number(process.env.PITWALL_BENCH_PG_ROUNDS ?? 3);

interface Setup {
  label: string;
  store: 'sqlite' | 'postgres';
  servers: number;
  clients: number;
}

const SETUPS: Setup[] = [
  { label: 'SQLite, 1 server, 1 client', store: 'sqlite', servers: 1, clients: 1 },
  { label: 'SQLite, 1 server, 4 clients', store: 'sqlite', servers: 1, clients: 4 },
  { label: 'PostgreSQL, 1 server, 1 client', store: 'postgres', servers: 1, clients: 1 },
  { label: 'PostgreSQL, 1 server, 4 clients', store: 'postgres', servers: 1, clients: 4 },
  { label: 'PostgreSQL, 2 servers, 4 clients', store: 'postgres', servers: 2, clients: 4 },
  { label: 'PostgreSQL, 2 servers, 8 clients', store: 'postgres', servers: 2, clients: 8 },
];

/**
 * One measurement on fresh servers (a fresh data dir each; a fresh database for PostgreSQL). Afterwards every value
 * must be readable through the last server (with two servers, not the one that created the run).
 */
async function measure(setup: Setup): Promise<number> {
  const db = setup.store === 'postgres' ? await createTestDatabase('pitwall_bench') : undefined;
  const servers: BenchServer[] = [];
  try {
    for (let i = 0; i < setup.servers; i++) servers.push(await startBenchServer(undefined, db?.uri));
    const { valuesPerSec, runId } = await ingestOver(
      servers.map((s) => s.url),
      setup.clients,
    );
    await checkIngested(servers.at(-1)!.url, runId);
    return valuesPerSec;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.drop();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function benchPostgres(): Promise<Record<string, number>> {
  const runs = new Map<string, number[]>(SETUPS.map((s) => [s.label, []]));
  // Rounds interleave the configurations, so drift in this shared machine's speed hits them alike.
  for (let r = 0; r < ROUNDS; r++) for (const s of SETUPS) runs.get(s.label)!.push(await measure(s));
  const m = new Map([...runs].map(([label, xs]) => [label, median(xs)]));
  const get = (label: string) => m.get(label)!;
  const width = Math.max(...SETUPS.map((s) => s.label.length));
  console.log(`postgres ingest: ${BATCHES} log-batch requests × ${PER_BATCH.toLocaleString('en-US')} values, median of ${ROUNDS} rounds, all values checked afterwards`);
  for (const s of SETUPS) {
    const xs = runs.get(s.label)!;
    console.log(`  ${s.label.padEnd(width)}  ${fmt(get(s.label)).padStart(8)} values/s  (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`);
  }
  const pg1 = get('PostgreSQL, 1 server, 1 client') / get('SQLite, 1 server, 1 client');
  const pg4 = get('PostgreSQL, 1 server, 4 clients') / get('SQLite, 1 server, 4 clients');
  const best = Math.max(get('PostgreSQL, 1 server, 1 client'), get('PostgreSQL, 1 server, 4 clients')) / Math.max(get('SQLite, 1 server, 1 client'), get('SQLite, 1 server, 4 clients'));
  const two = get('PostgreSQL, 2 servers, 4 clients') / get('PostgreSQL, 1 server, 4 clients');
  console.log(`  PostgreSQL / SQLite, 1 server: ${pg1.toFixed(2)}× with 1 client, ${pg4.toFixed(2)}× with 4 clients, best against best ${best.toFixed(2)}× — goal ≥ 0.50`);
  console.log(`  2 servers / 1 server on PostgreSQL, 4 clients: ${two.toFixed(2)}× (2 cores: contention, not scaling)`);
  return { ...Object.fromEntries(m), pg1, pg4, best, two };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPostgres();
