// Writes supabase/migrations/20261202000300_all_municipalities.sql from supabase/data/municipalities.csv.
//   npx tsx scripts/gen-municipalities.ts           check the CSV, write the migration
//   npx tsx scripts/gen-municipalities.ts --check   write nothing; fail if the migration differs
// The migration is applied once on hosted projects: a later change of the CSV needs a new
// migration (point MIGRATION_FILE at it), never an edit of an applied one.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMunicipalitiesCsv, problemsIn, renderMigration } from './lib/municipalities.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CSV_FILE = path.join(repoRoot, 'supabase/data/municipalities.csv');
export const MIGRATION_FILE = path.join(repoRoot, 'supabase/migrations/20261202000300_all_municipalities.sql');

/** The migration the CSV gives; throws with every problem in the data. */
export async function expectedMigration(): Promise<string> {
  const municipalities = parseMunicipalitiesCsv(await readFile(CSV_FILE, 'utf8'));
  const problems = problemsIn(municipalities);
  if (problems.length > 0) throw new Error(`${path.relative(repoRoot, CSV_FILE)}:\n  ${problems.join('\n  ')}`);
  return renderMigration(municipalities);
}

/** null when the migration on disk is what the CSV gives; otherwise what is wrong. */
export async function checkMigration(): Promise<string | null> {
  const expected = await expectedMigration();
  const actual = await readFile(MIGRATION_FILE, 'utf8').catch(() => null);
  if (actual === expected) return null;
  const relative = path.relative(repoRoot, MIGRATION_FILE);
  return actual === null
    ? `${relative} is missing; run npx tsx scripts/gen-municipalities.ts`
    : `${relative} differs from supabase/data/municipalities.csv; run npx tsx scripts/gen-municipalities.ts`;
}

async function main(): Promise<void> {
  if (process.argv.includes('--check')) {
    const problem = await checkMigration();
    if (problem) {
      console.error(problem);
      process.exitCode = 1;
    }
    return;
  }
  await writeFile(MIGRATION_FILE, await expectedMigration());
  console.log(`wrote ${path.relative(repoRoot, MIGRATION_FILE)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
