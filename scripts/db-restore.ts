// `npm run db:restore -- FILE [--database-url URL]`: puts a backup made by `npm run db:backup`
// back into the local dev stack's database, replacing what is there, in one transaction (a
// failure leaves the database as it was). The stack may keep running: PostgREST is told to
// reload its schema cache afterwards. Signed-in users keep their sessions only if they existed
// when the backup was taken.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { devStackDatabaseUrl, option, pgTool, runTool } from './db-backup.ts';

export async function restoreDatabase(url: string, file: string): Promise<void> {
  if (!existsSync(file)) throw new Error(`no such backup: ${file}`);
  await runTool(pgTool('pg_restore'), [
    '--clean',
    '--if-exists',
    '--single-transaction',
    '--exit-on-error',
    '--no-password',
    `--dbname=${url}`,
    file,
  ]);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`notify pgrst, 'reload schema'`);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--database-url');
  if (!file) throw new Error('which backup? npm run db:restore -- .local-stack/backups/suoja-<time>.dump');
  const url = option(args, '--database-url') ?? (await devStackDatabaseUrl());
  await restoreDatabase(url, path.resolve(file));
  process.stdout.write(`restored ${file}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`db:restore: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
