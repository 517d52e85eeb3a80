// `npm run dev`: the local stack (persistent data in .local-stack/dev, created and seeded on the
// first run) and the app's Vite dev server against it. Ctrl-C or SIGTERM stops both.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startStack } from '../local-stack/src/stack.ts';
import { createServer } from 'node:net';
import { bin, dyingWithParent, repoRoot, run, Shutdown, stopChild, StopRequested, waitForHttp } from './lib/processes.ts';
import { ensureSystemDependencies } from './system-deps.ts';

// The same stack folder and ports as `npm run stack`: .local-stack/dev, and the ports in
// supabase/config.toml (the Supabase CLI's 54321 and 54322).
const stackName = 'dev';
const stackDir = path.join(repoRoot, '.local-stack', stackName);
const preferredAppPort = 5173;

const demoPassword = 'suoja-demo';
const demoSignIns: [email: string, who: string][] = [
  ['coordinator@suoja.example', 'placement coordinator'],
  ['staff@suoja.example', 'facility staff'],
  ['staff2@suoja.example', 'facility staff (another facility)'],
  ['caseworker@suoja.example', 'caseworker'],
  ['caseworker2@suoja.example', 'caseworker (other clients)'],
  ['admin@suoja.example', 'administrator'],
  ['auditor@suoja.example', 'auditor'],
];

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** 5173 as usual; the next free one when another dev server already has it. */
async function appPort(): Promise<number> {
  for (let port = preferredAppPort; port < preferredAppPort + 50; port++) {
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${preferredAppPort}-${preferredAppPort + 49} for the dev server`);
}

async function main(): Promise<void> {
  try {
    ensureSystemDependencies();
  } catch (error) {
    // Already one line that says what to install.
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
    return;
  }

  const shutdown = new Shutdown((message) => console.error(message));

  try {
    const firstRun = !existsSync(stackDir);
    console.log(
      firstRun
        ? `Creating the local database in ${path.relative(repoRoot, stackDir)} (migrations and demo data; first run only)…`
        : `Starting the local stack on its data in ${path.relative(repoRoot, stackDir)}…`,
    );
    const stack = await startStack({ name: stackName });
    shutdown.add(() => stack.stop());
    shutdown.checkpoint();

    const port = await appPort();
    const appUrl = `http://127.0.0.1:${port}`;
    // Vite reads .svelte-kit/tsconfig.json as it starts; on a fresh clone it does not exist yet.
    await run(bin('svelte-kit'), ['sync'], { stdio: ['ignore', 'inherit', 'inherit'] });
    shutdown.checkpoint();
    const [viteCommand, viteArgs] = dyingWithParent(bin('vite'), ['dev', '--host', '127.0.0.1', '--port', String(port), '--strictPort']);
    const vite = spawn(viteCommand, viteArgs, {
      cwd: repoRoot,
      // Own process group, so stopping it stops its workers too; no stdin, because a process
      // outside the terminal's foreground group that reads it would be suspended.
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        PUBLIC_SUPABASE_URL: stack.url,
        PUBLIC_SUPABASE_PUBLISHABLE_KEY: stack.publishableKey,
        SUPABASE_SECRET_KEY: stack.secretKey,
      },
    });
    shutdown.add(() => stopChild(vite));
    vite.once('exit', (code, signal) => shutdown.request(code === 0 ? 0 : 1, `vite dev ended: ${signal ?? `exit ${code}`}`));
    await waitForHttp(`${appUrl}/login`, vite, 120_000);
    shutdown.checkpoint();

    const width = Math.max(...demoSignIns.map(([email]) => email.length));
    console.log(
      [
        '',
        `Suoja is running at ${appUrl}`,
        `Supabase API ${stack.url} · database ${stack.databaseUrl}`,
        '',
        `Demo sign-ins (password: ${demoPassword}):`,
        ...demoSignIns.map(([email, who]) => `  ${email.padEnd(width)}  ${who}`),
        '',
        'Ctrl-C stops the app and the stack; the data stay in .local-stack/dev (npm run db:reset rebuilds it).',
        '',
      ].join('\n'),
    );
    shutdown.started();
  } catch (error) {
    if (!(error instanceof StopRequested)) console.error(error instanceof Error ? error.message : String(error));
    shutdown.exit(1);
  }
}

await main();
