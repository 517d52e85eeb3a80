// Writes the latest figures from bench/results/ into README.md's "Performance" section. The file
// is read again just before writing, and only that section changes: other engineers edit README.md
// at the same time.
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineLine, scaleTable, standardTable, type RunResults, type ScaleResults } from './report.ts';

const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const README = path.resolve(BENCH_DIR, '..', 'README.md');
const NOTES = path.join(BENCH_DIR, 'performance-notes.md');

function readJson<T>(name: string): T | null {
  const file = path.join(BENCH_DIR, 'results', name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null;
}

export function performanceSection(): string {
  const standard = readJson<RunResults>('latest-1x.json');
  const scale = readJson<ScaleResults>('latest-scale.json');
  const parts = ['## Performance', ''];
  parts.push(
    'Measured by `npm run bench` (see `bench/README.md`): its own local stack on free ports, a generated, seeded dataset, and every figure taken through the app\'s own path (supabase-js → gateway → PostgREST → Postgres), each beside the floor of that path (`bench_noop()`, an RPC that does nothing). Targets are reported, not enforced, except the overbooking count.',
    '',
  );
  if (standard) {
    const d = standard.dataset;
    parts.push(
      `**Latest run** (${standard.generatedAt.slice(0, 16).replace('T', ' ')} UTC). Dataset 1x: ${d.facilities.toLocaleString('en')} facilities, ${d.clients.toLocaleString('en')} clients, ${d.placements.toLocaleString('en')} placements (${d.active.toLocaleString('en')} active, ${d.openHolds.toLocaleString('en')} open holds), ${d.capacityReports.toLocaleString('en')} capacity reports, ${d.clientChildren.toLocaleString('en')} children, ${d.exclusionZones.toLocaleString('en')} exclusion zones; generated in SQL and loaded in ${standard.loadSeconds.toFixed(0)} s.`,
      '',
      `Machine: ${machineLine(standard.machine)}.`,
      '',
      standardTable(standard),
      '',
    );
  }
  if (scale) {
    parts.push(`**Growth with data** (\`npm run bench -- --scale\`, ${scale.generatedAt.slice(0, 10)}): exponent k in figure ∝ scale^k; 1 is linear, below 1 sub-linear.`, '', scaleTable(scale), '');
  }
  if (existsSync(NOTES)) parts.push(readFileSync(NOTES, 'utf8').trim(), '');
  parts.push(
    'Reproduce: `npm run bench` (about 5 minutes at 1x on an otherwise idle machine; builds the app first, `-- --no-build` reuses `build/`), `npm run bench -- --scale` (1x, 4x, 16x; `--scales=1,4,8` to choose), `npm run bench -- --update-readme` to refresh this section. Raw figures: `bench/results/latest-1x.json`, `bench/results/latest-scale.json`.',
    '',
  );
  return parts.join('\n');
}

export async function updateReadme(log: (message: string) => void = console.log): Promise<void> {
  const section = performanceSection();
  const current = await readFile(README, 'utf8');
  const start = current.search(/^## Performance\s*$/m);
  let next: string;
  if (start < 0) {
    next = current.replace(/\s*$/, '\n\n') + section;
  } else {
    const after = current.slice(start + 1).search(/^## /m);
    const end = after < 0 ? current.length : start + 1 + after;
    next = current.slice(0, start) + section + (end < current.length ? '\n' + current.slice(end) : '');
  }
  await writeFile(README, next);
  log('README.md: "Performance" section updated');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await updateReadme();
}
