// A stack of the bench's own: fresh folder, free ports, migrations, the demo seed, then the
// generated dataset and the bench-only functions in the same seed transaction. Loading them as
// the seed means they are in place before the Realtime service opens its replication slot, so
// the WAL of the bulk load is never decoded.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { REPO_ROOT, startStack, type RunningStack } from '../../local-stack/src/stack.ts';

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface DatasetCounts {
  facilities: number;
  clients: number;
  placements: number;
  active: number;
  openHolds: number;
  capacityReports: number;
  clientChildren: number;
  exclusionZones: number;
}

export interface BenchStack {
  stack: RunningStack;
  scale: number;
  /** Wall time of starting the stack with migrations, seed and the generated dataset. */
  loadSeconds: number;
  counts: DatasetCounts;
  stop(): Promise<void>;
}

export async function startBenchStack(scale: number, log: (message: string) => void): Promise<BenchStack> {
  const workDir = await mkdtemp(path.join(tmpdir(), `suoja-bench-${scale}x-`));
  const seedFile = path.join(workDir, 'bench-seed.sql');
  const [seed, dataset, functions] = await Promise.all([
    readFile(path.join(REPO_ROOT, 'supabase/seed.sql'), 'utf8'),
    readFile(path.join(BENCH_DIR, 'sql/dataset.sql'), 'utf8'),
    readFile(path.join(BENCH_DIR, 'sql/bench-functions.sql'), 'utf8'),
  ]);
  await writeFile(
    seedFile,
    [seed, `select set_config('bench.scale', '${Math.trunc(scale)}', false);`, dataset, functions].join('\n;\n'),
  );

  const started = performance.now();
  let stack: RunningStack;
  try {
    stack = await startStack({
      dir: path.join(workDir, 'stack'),
      apiPort: 0,
      dbPort: 0,
      seedFile,
      // Durable commits, as in production: with fsync off the stack also turns synchronous_commit
      // off, and then logical decoding sees a commit only when the WAL writer flushes it (up to
      // 3 x wal_writer_delay later), which added 0-600 ms to every live-update figure.
      fsync: true,
      logToStderr: false,
    });
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  const stop = async () => {
    await stack.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    // What autovacuum would have done on a database that has lived with this data: statistics
    // for the planner and a visibility map for index-only scans.
    const admin = new pg.Client({ connectionString: stack.adminDatabaseUrl });
    await admin.connect();
    try {
      await admin.query('vacuum (analyze)');
    } finally {
      await admin.end();
    }
    const loadSeconds = (performance.now() - started) / 1000;
    const counts = await countDataset(stack.databaseUrl);
    log(`dataset ${scale}x loaded in ${loadSeconds.toFixed(0)} s: ${JSON.stringify(counts)}`);
    return { stack, scale, loadSeconds, counts, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function countDataset(databaseUrl: string): Promise<DatasetCounts> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Record<keyof DatasetCounts, string>>(`
      select (select count(*) from public.facilities) as facilities,
             (select count(*) from public.clients) as clients,
             (select count(*) from public.placements) as placements,
             (select count(*) from public.placements where status = 'active') as active,
             (select count(*) from public.placements where status in ('hold', 'accepted') and hold_expires_at > now()) as "openHolds",
             (select count(*) from public.capacity_reports) as "capacityReports",
             (select count(*) from public.client_children) as "clientChildren",
             (select count(*) from public.exclusion_zones) as "exclusionZones"`);
    const row = rows[0]!;
    return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])) as unknown as DatasetCounts;
  } finally {
    await client.end();
  }
}
