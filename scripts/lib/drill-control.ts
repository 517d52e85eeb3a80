// The end-to-end harness' control channel for failure drills (tests/e2e/restart-drills.e2e.ts):
// a small HTTP server on 127.0.0.1, started only by scripts/e2e-server.ts, through which a test
// gets a stack and app of its own and takes its Postgres or gateway down and up again.
//
// A drill gets its own stack, not the run's shared one: the other worker's tests keep using the
// shared stack at the same time, and a restart under them would fail them for nothing.
//
//   POST   {url}/drills                         -> 200 { id, environment } (a fresh stack and app)
//   POST   {url}/drills/{id}/{service}/down     -> 200 once it is down (service: postgres | gateway)
//   POST   {url}/drills/{id}/{service}/up       -> 200 once it answers again
//   DELETE {url}/drills/{id}                    -> 200 once stopped
//
// The URL carries a random token, so nothing else on the machine can restart a drill's stack.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningStack } from '../../local-stack/src/stack.ts';

export type DrillService = 'postgres' | 'gateway';

export interface DrillEnvironment<Environment> {
  environment: Environment;
  stack: RunningStack;
  stop(): Promise<void>;
}

interface Outage {
  service: DrillService;
  release(): void;
  /** The restart as a whole: settles once the service is up again. */
  done: Promise<void>;
}

interface Drill<Environment> {
  running: DrillEnvironment<Environment>;
  outage: Outage | null;
}

export interface DrillControl {
  /** Base URL of the channel, token included. */
  url: string;
  /** Stops every drill's stack and app, then the channel. */
  close(): Promise<void>;
}

class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
  }
}

/** Takes `service` down and keeps it down until `release` is called; resolves once it is down. */
async function takeDown(stack: RunningStack, service: DrillService): Promise<Outage> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let wentDown!: () => void;
  const down = new Promise<void>((resolve) => (wentDown = resolve));
  const whileDown = async (): Promise<void> => {
    wentDown();
    await released;
  };
  const done = service === 'postgres' ? stack.restartPostgres(whileDown) : stack.restartGateway(whileDown);
  // A restart that fails before the service is down rejects `done` first.
  await Promise.race([down, done]);
  return { service, release, done };
}

export async function startDrillControl<Environment>(options: {
  startEnvironment(): Promise<DrillEnvironment<Environment>>;
  log(message: string): void;
}): Promise<DrillControl> {
  const token = randomBytes(16).toString('hex');
  const drills = new Map<string, Drill<Environment>>();
  // Stacks still starting: a stop of the harness waits for them, then stops them too.
  const starting = new Set<Promise<unknown>>();
  let closing = false;

  const drillFor = (id: string | undefined): Drill<Environment> => {
    const drill = id === undefined ? undefined : drills.get(id);
    if (!drill) throw new RequestError(404, `no drill ${id ?? ''}`);
    return drill;
  };

  const stopDrill = async (id: string, drill: Drill<Environment>): Promise<void> => {
    drills.delete(id);
    if (drill.outage) {
      drill.outage.release();
      await drill.outage.done.catch(() => undefined);
    }
    await drill.running.stop();
  };

  const startDrill = async (): Promise<{ id: string; environment: Environment }> => {
    const running = await options.startEnvironment();
    if (closing) {
      await running.stop();
      throw new RequestError(503, 'the harness is stopping');
    }
    const id = randomBytes(6).toString('hex');
    drills.set(id, { running, outage: null });
    options.log(`drill ${id} started`);
    return { id, environment: running.environment };
  };

  const handle = async (method: string, parts: string[]): Promise<unknown> => {
    if (closing) throw new RequestError(503, 'the harness is stopping');
    const [resource, id, service, step] = parts;
    if (resource !== 'drills') throw new RequestError(404, 'unknown path');

    if (method === 'POST' && id === undefined) {
      const pending = startDrill();
      starting.add(pending);
      try {
        return await pending;
      } finally {
        starting.delete(pending);
      }
    }

    if (method === 'DELETE' && id !== undefined && service === undefined) {
      await stopDrill(id, drillFor(id));
      options.log(`drill ${id} stopped`);
      return { stopped: id };
    }

    if (method === 'POST' && (service === 'postgres' || service === 'gateway') && (step === 'down' || step === 'up')) {
      const drill = drillFor(id);
      if (step === 'down') {
        if (drill.outage) throw new RequestError(409, `${drill.outage.service} is already down`);
        drill.outage = await takeDown(drill.running.stack, service);
        options.log(`drill ${id}: ${service} down`);
        return { [service]: 'down' };
      }
      const outage = drill.outage;
      if (outage?.service !== service) throw new RequestError(409, `${service} is not down`);
      outage.release();
      try {
        await outage.done;
      } finally {
        drill.outage = null;
      }
      options.log(`drill ${id}: ${service} up`);
      return { [service]: 'up' };
    }
    throw new RequestError(404, 'unknown request');
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const send = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const [first, ...parts] = new URL(request.url ?? '/', 'http://127.0.0.1').pathname.split('/').filter(Boolean);
    if (first !== token) {
      send(404, { error: 'unknown path' });
      return;
    }
    // Drain the body (none is expected) so the connection is reusable.
    request.resume();
    handle(request.method ?? 'GET', parts).then(
      (body) => send(200, body),
      (error: unknown) => {
        const status = error instanceof RequestError ? error.status : 500;
        const message = error instanceof Error ? error.message : String(error);
        if (status === 500) options.log(`drill control: ${message}`);
        send(status, { error: message });
      }
    );
  });
  // Starting a stack takes far longer than Node's default request timeout allows.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/${token}`,
    async close() {
      closing = true;
      // A drill still starting stops its own stack once started (see startDrill).
      await Promise.allSettled([...starting]);
      await Promise.all([...drills.entries()].map(([id, drill]) => stopDrill(id, drill)));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}
