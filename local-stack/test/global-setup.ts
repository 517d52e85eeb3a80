// The contract tests' stack: the fixture schema in local-stack/test/fixtures, never the app's.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { provideFreshStack } from './stack-setup.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return provideFreshStack(project, 'contract', {
    migrationsDir: path.join(fixtures, 'migrations'),
    seedFile: null,
    configFile: path.join(fixtures, 'config.toml'),
    scheduleFile: null,
  });
}
