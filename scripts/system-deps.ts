// Checks the system packages the project needs beyond npm: PostgreSQL 15 server binaries,
// wal2json (Realtime's change capture) and, with --browsers, Debian's Chromium for Playwright.
// As root it installs what is missing with apt-get; otherwise it names the command and fails.
//   tsx scripts/system-deps.ts [--browsers]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SystemDependency {
  /** What it is, for messages. */
  description: string;
  /** The Debian package that provides it. */
  debianPackage: string;
  isPresent(): boolean;
}

function postgres15Present(): boolean {
  const dirs = ['/usr/lib/postgresql/15/bin'];
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0) dirs.push(pgConfig.stdout.trim());
  return dirs.some((dir) => {
    if (!existsSync(path.join(dir, 'initdb'))) return false;
    const version = spawnSync(path.join(dir, 'postgres'), ['--version'], { encoding: 'utf8' });
    return version.status === 0 && / 15\./.test(version.stdout);
  });
}

export const SERVER_DEPENDENCIES: SystemDependency[] = [
  { description: 'PostgreSQL 15 server', debianPackage: 'postgresql-15', isPresent: postgres15Present },
  {
    description: 'wal2json (PostgreSQL 15 logical decoding)',
    debianPackage: 'postgresql-15-wal2json',
    isPresent: () => existsSync('/usr/lib/postgresql/15/lib/wal2json.so'),
  },
];

export const BROWSER_DEPENDENCIES: SystemDependency[] = [
  { description: 'Chromium', debianPackage: 'chromium', isPresent: () => existsSync('/usr/bin/chromium') },
];

export class SystemDependencyError extends Error {}

/** Installs missing packages when root; throws a one-line SystemDependencyError otherwise. Returns the packages installed. */
export function ensureSystemDependencies(options: { browsers?: boolean } = {}): string[] {
  const wanted = [...SERVER_DEPENDENCIES, ...(options.browsers ? BROWSER_DEPENDENCIES : [])];
  const missing = wanted.filter((dependency) => !dependency.isPresent());
  if (missing.length === 0) return [];
  const packages = missing.map((dependency) => dependency.debianPackage);
  const command = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  const what = missing.map((dependency) => dependency.description).join(', ');
  if (process.getuid?.() !== 0) {
    throw new SystemDependencyError(
      `Missing ${what}: install with \`sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}\` (Debian/Ubuntu), then run this again.`
    );
  }
  process.stderr.write(`Installing ${what}: ${command}\n`);
  for (const args of [['update'], ['install', '-y', ...packages]]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) throw new SystemDependencyError(`\`apt-get ${args.join(' ')}\` failed (exit ${result.status}); install ${packages.join(' ')} by hand.`);
  }
  const stillMissing = missing.filter((dependency) => !dependency.isPresent());
  if (stillMissing.length > 0) {
    throw new SystemDependencyError(`Still missing after apt-get: ${stillMissing.map((dependency) => dependency.description).join(', ')}.`);
  }
  return packages;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureSystemDependencies({ browsers: process.argv.includes('--browsers') });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
