// `npm run db:backup [-- --out FILE] [-- --database-url URL]`: a full backup of the local dev
// stack's database (every schema: the app's data, Auth's users, sessions and factors, Realtime's
// tables) in pg_dump's custom format, which `npm run db:restore` reads back.
// By default it reads the running dev stack (.local-stack/dev) and connects as its superuser, so
// nothing is left out; hosted Supabase has its own backups and point-in-time recovery (README).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findPostgresBinDir } from '../local-stack/src/postgres.ts';
import { databaseUrl, PASSWORDS_FILE, readStackState, stackDirFor } from '../local-stack/src/stack.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The running dev stack's database as supabase_admin; throws a one-line instruction otherwise. */
export async function devStackDatabaseUrl(stackDir = stackDirFor({ name: 'dev' })): Promise<string> {
  const state = await readStackState(stackDir);
  const passwordsFile = path.join(stackDir, PASSWORDS_FILE);
  if (!state || !existsSync(passwordsFile)) {
    throw new Error(`no running dev stack in ${path.relative(repoRoot, stackDir) || stackDir}: start it with npm run stack (or pass --database-url)`);
  }
  const passwords = JSON.parse(readFileSync(passwordsFile, 'utf8')) as { supabase_admin: string };
  return databaseUrl('supabase_admin', passwords.supabase_admin, state.dbPort);
}

export function pgTool(name: 'pg_dump' | 'pg_restore' | 'psql'): string {
  return path.join(findPostgresBinDir(), name);
}

/** Runs a PostgreSQL client tool; its stderr is passed through, a non-zero exit is an error. */
export function runTool(tool: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(tool)} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** pg_dump -Fc of the whole database: schema, data, sequences' positions, grants and policies. */
export async function backupDatabase(url: string, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await runTool(pgTool('pg_dump'), ['--format=custom', '--compress=6', '--no-password', `--file=${file}`, `--dbname=${url}`]);
}

export function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const url = option(args, '--database-url') ?? (await devStackDatabaseUrl());
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.resolve(option(args, '--out') ?? path.join(repoRoot, '.local-stack', 'backups', `suoja-${stamp}.dump`));
  await backupDatabase(url, file);
  process.stdout.write(`backup written: ${file}\nrestore with: npm run db:restore -- ${path.relative(process.cwd(), file)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`db:backup: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
