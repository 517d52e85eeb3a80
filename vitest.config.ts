// Three projects: `unit` (pure code, beside it), `contract` (the local stack against
// supabase-js, on a fixture schema) and `integration` (the app's migrations on a real stack).
// The last two each start one fresh stack on free ports, so they run beside a dev stack.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        extends: './vite.config.ts',
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'local-stack/src/**/*.test.ts', 'bench/src/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'contract',
          include: ['local-stack/test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['local-stack/test/global-setup.ts'],
          // One shared stack: files run one after another so Realtime and auth tests never race.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/integration/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
