// The integration tests' stack: the app's real supabase/migrations, seed and config.
import type { TestProject } from 'vitest/node';
import { provideFreshStack } from '../../local-stack/test/stack-setup.ts';

export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return provideFreshStack(project, 'integration', {});
}
