// Shared by the vitest global setups (contract and integration): a fresh stack on free ports in
// a temporary folder, its addresses and keys handed to the tests with `provide`, stopped and
// deleted at teardown.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startStack, type StackOptions } from '../src/stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Gateway URL, e.g. http://127.0.0.1:41234 */
    url: string;
    publishableKey: string;
    secretKey: string;
    legacyAnonKey: string;
    legacyServiceRoleKey: string;
    /** As `postgres`. */
    databaseUrl: string;
    /** As `supabase_admin` (superuser). */
    adminDatabaseUrl: string;
    /** The stack folder (keys.json, logs). */
    stackDir: string;
  }
}

export async function provideFreshStack(
  project: TestProject,
  name: string,
  options: Pick<StackOptions, 'migrationsDir' | 'seedFile' | 'configFile' | 'extraSqlFiles' | 'scheduleFile'>,
): Promise<() => Promise<void>> {
  const stackDir = await mkdtemp(path.join(tmpdir(), `suoja-${name}-`));
  let stack;
  try {
    stack = await startStack({ ...options, dataDir: stackDir, apiPort: 0, dbPort: 0, fsync: false, logToStderr: false });
  } catch (error) {
    await rm(stackDir, { recursive: true, force: true });
    throw error;
  }
  project.provide('url', stack.url);
  project.provide('publishableKey', stack.publishableKey);
  project.provide('secretKey', stack.secretKey);
  project.provide('legacyAnonKey', stack.legacyAnonKey);
  project.provide('legacyServiceRoleKey', stack.legacyServiceRoleKey);
  project.provide('databaseUrl', stack.databaseUrl);
  project.provide('adminDatabaseUrl', stack.adminDatabaseUrl);
  project.provide('stackDir', stack.dataDir);
  return async () => {
    await stack.stop();
    // Keep the logs of a failed run for a post-mortem; they are small.
    if (process.env.KEEP_STACK_DIR) process.stderr.write(`stack folder kept: ${stackDir}\n`);
    else await rm(stackDir, { recursive: true, force: true });
  };
}
