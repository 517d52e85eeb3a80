import { defineConfig, devices } from '@playwright/test';

const runningAsRoot = process.getuid?.() === 0;
const ci = Boolean(process.env.CI);

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '*.e2e.ts',
  // Starts a fresh stack (migrations + seed) and the built app on free ports; see scripts/e2e-server.ts.
  globalSetup: './tests/e2e/global-setup.ts',
  outputDir: 'test-results/e2e',
  // Two cores run the stack, the app server and the browsers; more workers only contend for them.
  // The same number locally and in CI, so a race shows up in both or neither.
  workers: 2,
  fullyParallel: false,
  forbidOnly: ci,
  // A flaky test is a bug to fix, not to retry away.
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    // Set by global setup before the workers start (they re-read this file).
    baseURL: process.env.SUOJA_E2E_BASE_URL,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // Matches the app's Europe/Helsinki dates, whatever the machine's zone.
    timezoneId: 'Europe/Helsinki',
    launchOptions: {
      // Debian's Chromium: Playwright's own browser download cannot work on these machines.
      executablePath: '/usr/bin/chromium',
      args: [
        // Chromium's sandbox cannot start as root.
        ...(runningAsRoot ? ['--no-sandbox'] : []),
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-gpu',
        // WebGL (MapLibre) through the SwiftShader software renderer, with no GPU.
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
});
