// Helpers shared by the tooling scripts for child processes, ports and readiness.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Path of an executable installed in node_modules/.bin. */
export function bin(name: string): string {
  return `${repoRoot}node_modules/.bin/${name}`;
}

/**
 * The command line that runs `command` so the kernel sends it SIGTERM if this process dies
 * without stopping it (SIGKILL, crash): a long-running server in its own process group would
 * otherwise outlive us. Without util-linux's setpriv the command runs as is.
 */
export function dyingWithParent(command: string, args: string[]): [string, string[]] {
  const setpriv = '/usr/bin/setpriv';
  return existsSync(setpriv) ? [setpriv, ['--pdeathsig', 'SIGTERM', command, ...args]] : [command, args];
}

/** Asks the kernel for a port nobody listens on, so tests can run beside a dev stack. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port the kernel assigned'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}

/** Detached children still running, so a signal to this process can be passed on to them. */
export const runningChildren = new Set<ChildProcess>();

/** Passes SIGINT / SIGTERM on to every running child group (they do not share our terminal group). */
export function forwardSignalsToChildren(onSignal: (signal: NodeJS.Signals) => void = () => {}): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      onSignal(signal);
      for (const child of runningChildren) killGroup(child, signal);
    });
  }
}

export interface RunResult {
  code: number;
  signal: NodeJS.Signals | null;
}

/**
 * Runs a command to completion with the terminal attached (its summary is printed as it comes).
 * Started in its own process group so that stopping it also stops whatever it started.
 */
export function run(command: string, args: string[], options: SpawnOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit', detached: true, ...options });
    runningChildren.add(child);
    const stopChild = (): void => killGroup(child, 'SIGTERM');
    process.once('exit', stopChild);
    const settle = (result: RunResult): void => {
      runningChildren.delete(child);
      process.off('exit', stopChild);
      resolve(result);
    };
    child.once('error', (error) => {
      console.error(`could not start ${command}: ${error.message}`);
      settle({ code: 127, signal: null });
    });
    child.once('exit', (code, signal) => settle({ code: code ?? 1, signal }));
  });
}

/** Sends a signal to the child's whole process group (it must have been spawned detached). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone; nothing left to stop.
  }
}

/** Stops a detached child: SIGTERM to its group, SIGKILL if it has not exited within the grace period. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    killGroup(child, 'SIGKILL');
    await exited;
  }
}

/**
 * Polls a URL until the server answers at all (any status), failing early if the process that
 * should serve it exits.
 */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server for ${url} exited (code ${child.exitCode ?? child.signalCode}) before it answered`);
    }
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Undoes what a long-running script started, in reverse order, once. A signal that arrives while
 * the script is still starting things is held until the step in progress returns (see
 * `checkpoint`), so nothing started during a stop is left running.
 */
export class Shutdown {
  private readonly cleanups: (() => Promise<void>)[] = [];
  private stopping: Promise<void> | null = null;
  private starting = true;
  private requestedExitCode: number | null = null;

  constructor(private readonly log: (message: string) => void) {
    process.on('SIGINT', () => this.request(130, 'SIGINT'));
    process.on('SIGTERM', () => this.request(143, 'SIGTERM'));
  }

  add(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  /** Throws when a stop was requested while starting; call it after every step that starts something. */
  checkpoint(): void {
    if (this.requestedExitCode !== null) throw new StopRequested();
  }

  /** Everything has started; from now on a signal stops at once. */
  started(): void {
    this.starting = false;
    if (this.requestedExitCode !== null) this.exit(this.requestedExitCode);
  }

  request(exitCode: number, reason: string): void {
    // Stopping a child makes it exit, which may report here again.
    // tsx passes the terminal's Ctrl-C on as well, so the same signal can arrive twice.
    if (this.stopping || this.requestedExitCode !== null) return;
    this.log(`stopping (${reason})`);
    this.requestedExitCode = exitCode;
    if (!this.starting) this.exit(exitCode);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const cleanup of this.cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          this.log(`while stopping: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.stopping;
  }

  exit(exitCode: number): void {
    void this.stop().then(() => process.exit(exitCode));
  }
}

export class StopRequested extends Error {
  constructor() {
    super('stopped while starting');
  }
}
