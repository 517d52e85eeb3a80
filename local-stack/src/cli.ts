// npm run stack (start) · npm run db:reset (reset) · tsx local-stack/src/cli.ts env
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { MissingDependencyError, postgresLayout, runningServerPid } from './postgres.ts';
import { KEYS_FILE } from './keys.ts';
import { SqlFileError } from './bootstrap.ts';
import { loadProjectConfig } from './config.ts';
import { REPO_ROOT, databaseUrl, loadPasswords, readStackState, stackDirFor, startStack, type RunningStack, type StackOptions } from './stack.ts';

// Flags exist for tests and tools that need a stack of their own (a data folder, free ports);
// without them every command works on the dev stack in <repo>/.local-stack/dev.
function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}
const portFlag = (name: string) => (flag(name) === undefined ? undefined : Number(flag(name)));
const stackOptions: StackOptions = {
  dataDir: flag('dir') === undefined ? undefined : path.resolve(flag('dir')!),
  name: 'dev',
  apiPort: portFlag('api-port'),
  dbPort: portFlag('db-port'),
  migrationsDir: flag('migrations') === undefined ? undefined : path.resolve(flag('migrations')!),
  seedFile: process.argv.includes('--no-seed') ? null : undefined,
  configFile: flag('config') === undefined ? undefined : path.resolve(flag('config')!),
  logToStderr: !process.argv.includes('--quiet'),
};
const stackDir = stackDirFor(stackOptions);

function envLines(values: { url: string; publishableKey: string; secretKey: string; databaseUrl: string }): string {
  return [
    `SUPABASE_URL=${values.url}`,
    `SUPABASE_PUBLISHABLE_KEY=${values.publishableKey}`,
    `SUPABASE_SECRET_KEY=${values.secretKey}`,
    `DATABASE_URL=${values.databaseUrl}`,
    '',
  ].join('\n');
}

async function start(): Promise<void> {
  let stack: RunningStack | null = null;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n[stack] ${signal}: stopping\n`);
    const done = stack ? stack.stop() : Promise.resolve();
    done.then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`[stack] stop failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));

  stack = await startStack(stackOptions);
  // A signal that arrived while starting is honoured now that there is something to stop.
  if (stopping) {
    await stack.stop();
    process.exit(0);
  }
  process.stdout.write(envLines(stack));
  process.stderr.write(`[stack] ready; data in ${stack.dataDir}; Ctrl-C stops\n`);
}

async function isRunning(): Promise<boolean> {
  return (await runningServerPid(postgresLayout(stackDir))) !== null;
}

async function reset(): Promise<void> {
  if (await isRunning()) {
    process.stderr.write('The dev stack is running: stop `npm run stack` first, then run `npm run db:reset` again.\n');
    process.exit(1);
  }
  // Keys and passwords survive a reset so the app's .env stays valid; only the database is rebuilt.
  await rm(postgresLayout(stackDir).serverDir, { recursive: true, force: true });
  const stack = await startStack(stackOptions);
  await stack.stop();
  process.stderr.write('[stack] database rebuilt from supabase/migrations and supabase/seed.sql\n');
}

async function env(): Promise<void> {
  if (!existsSync(path.join(stackDir, KEYS_FILE))) {
    process.stderr.write('No dev stack yet: run `npm run stack` first.\n');
    process.exit(1);
  }
  const keys = JSON.parse(await readFile(path.join(stackDir, KEYS_FILE), 'utf8')) as { publishableKey: string; secretKey: string };
  const passwords = await loadPasswords(stackDir);
  const state = await readStackState(stackDir);
  if (!state || !(await isRunning())) process.stderr.write('Note: the dev stack is not running (`npm run stack` starts it).\n');
  const config = loadProjectConfig(path.join(REPO_ROOT, 'supabase/config.toml'));
  const apiPort = state?.apiPort ?? config.apiPort;
  const dbPort = state?.dbPort ?? config.dbPort;
  process.stdout.write(
    envLines({
      url: `http://127.0.0.1:${apiPort}`,
      publishableKey: keys.publishableKey,
      secretKey: keys.secretKey,
      databaseUrl: databaseUrl('postgres', passwords.postgres, dbPort),
    }),
  );
}

const commands: Record<string, () => Promise<void>> = { start, reset, env };
const command = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'start';
const run = commands[command];
if (!run) {
  process.stderr.write('usage: tsx local-stack/src/cli.ts start|reset|env [--dir D] [--api-port N] [--db-port N] [--migrations D] [--no-seed] [--config F] [--quiet]\n');
  process.exit(2);
}
run().catch((error: unknown) => {
  // Missing system pieces get their one-line install hint, nothing else.
  if (error instanceof MissingDependencyError || error instanceof SqlFileError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
