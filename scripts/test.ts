// `npm test`: every check the project has, in one run. Each step runs even when an earlier one
// failed, so one run reports everything that is broken; the exit code is non-zero if any failed.
import { buildApp } from './lib/build.ts';
import { bin, forwardSignalsToChildren, repoRoot, run } from './lib/processes.ts';
import { ensureSystemDependencies } from './system-deps.ts';

interface Step {
  name: string;
  /** Resolves true when the step passed. */
  execute: () => Promise<boolean>;
}

interface StepOutcome {
  name: string;
  passed: boolean;
  seconds: number;
}

const ci = process.env.CI === 'true' || process.env.CI === '1';

async function command(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<boolean> {
  // No stdin: the step runs in its own process group, where reading the terminal would suspend it.
  const { code, signal } = await run(bin(name), args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
  return code === 0 && signal === null;
}

async function commands(...steps: (() => Promise<boolean>)[]): Promise<boolean> {
  for (const step of steps) {
    if (!(await step())) return false;
  }
  return true;
}

const steps: Step[] = [
  {
    name: 'system packages (PostgreSQL 15, wal2json, Chromium)',
    execute: async () => {
      try {
        const installed = ensureSystemDependencies({ browsers: true });
        console.log(installed.length > 0 ? `installed ${installed.join(', ')}` : 'all present');
        return true;
      } catch (error) {
        console.error(error instanceof Error ? error.message : String(error));
        return false;
      }
    },
  },
  {
    // svelte-check and eslint read the generated messages and SvelteKit's generated types.
    name: 'generate (paraglide-js compile, svelte-kit sync)',
    execute: () =>
      commands(
        () => command('paraglide-js', ['compile', '--project', './project.inlang', '--outdir', './src/lib/paraglide', '--strategy', 'cookie', 'baseLocale']),
        () => command('svelte-kit', ['sync']),
      ),
  },
  {
    name: 'svelte-check (no warnings)',
    execute: () => command('svelte-check', ['--tsconfig', './tsconfig.json', '--fail-on-warnings', '--threshold', 'warning', '--output', 'human']),
  },
  {
    // svelte-check only sees the app's tsconfig; the tooling, the stack and the benchmarks have their own.
    name: 'tsc (scripts, local-stack, bench)',
    execute: async () => {
      const scripts = await command('tsc', ['--noEmit', '-p', 'scripts/tsconfig.json']);
      const stack = await command('tsc', ['--noEmit', '-p', 'local-stack/tsconfig.json']);
      const bench = await command('tsc', ['--noEmit', '-p', 'bench/tsconfig.json']);
      return scripts && stack && bench;
    },
  },
  {
    name: 'eslint',
    execute: () => command('eslint', ['.', '--max-warnings', '0']),
  },
  {
    name: 'database types up to date (db:types --check)',
    execute: () => command('tsx', ['scripts/gen-types.ts', '--check']),
  },
  {
    name: 'vitest (unit, contract, integration)',
    execute: () => command('vitest', ['run']),
  },
  {
    name: 'vite build',
    execute: () => buildApp(['ignore', 'inherit', 'inherit']),
  },
  {
    name: 'playwright (end to end, built app)',
    // The harness would otherwise build again; the step before has just built this tree.
    execute: () => command('playwright', ['test'], { SUOJA_E2E_PREBUILT: '1' }),
  },
];

function formatSeconds(seconds: number): string {
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${seconds.toFixed(1)} s`;
}

async function main(): Promise<number> {
  const outcomes: StepOutcome[] = [];
  const started = performance.now();
  let interrupted = false;
  // The running step is stopped (it cleans up its own stack); the steps after it are skipped.
  forwardSignalsToChildren(() => {
    interrupted = true;
  });

  for (const step of steps) {
    if (interrupted) break;
    console.log(`\n━━ ${step.name} ━━`);
    const stepStarted = performance.now();
    let passed: boolean;
    try {
      passed = await step.execute();
    } catch (error) {
      console.error(error);
      passed = false;
    }
    const seconds = (performance.now() - stepStarted) / 1000;
    outcomes.push({ name: step.name, passed, seconds });
    console.log(`━━ ${passed ? 'passed' : 'FAILED'}: ${step.name} (${formatSeconds(seconds)})`);
  }

  const passedCount = outcomes.filter((outcome) => outcome.passed).length;
  const failedCount = outcomes.length - passedCount;
  console.log('\nSummary');
  for (const outcome of outcomes) {
    console.log(`  ${outcome.passed ? 'pass' : 'FAIL'}  ${outcome.name}  (${formatSeconds(outcome.seconds)})`);
  }
  if (interrupted) console.log(`  interrupted: ${steps.length - outcomes.length} step(s) not run`);
  console.log(`Total ${formatSeconds((performance.now() - started) / 1000)}${ci ? ' (CI)' : ''} in ${repoRoot}`);
  console.log(`${passedCount} passed, ${failedCount} failed`);
  return failedCount === 0 && !interrupted ? 0 : 1;
}

process.exitCode = await main();
