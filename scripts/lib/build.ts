// `vite build` as npm test and the end-to-end harness run it.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { SpawnOptions } from 'node:child_process';
import { bin, repoRoot, run } from './processes.ts';

/**
 * Paraglide's Vite plugin skips compiling when its cache says the messages are unchanged, even if
 * the output folder was since rewritten by `vite dev` (another output layout) or by
 * `paraglide-js compile`; a build must never ship that output, so the cache goes first.
 */
export async function buildApp(stdio: SpawnOptions['stdio']): Promise<boolean> {
  await rm(path.join(repoRoot, 'project.inlang', 'cache', 'paraglide-js'), { recursive: true, force: true });
  const { code, signal } = await run(bin('vite'), ['build'], { stdio });
  return code === 0 && signal === null;
}
