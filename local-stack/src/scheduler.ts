// Runs named SQL functions on an interval, as pg_cron does on hosted Supabase. A job's next run
// is scheduled only after the previous one finished, so runs of one job never overlap.
import type pg from 'pg';
import type { ScheduledJob } from './config.ts';

export interface Scheduler {
  stop(): Promise<void>;
}

function quoteIdent(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

export function callStatement(qualifiedFunction: string): string {
  const [schema, name] = qualifiedFunction.split('.');
  return `select ${quoteIdent(schema!)}.${quoteIdent(name!)}()`;
}

export function startScheduler(pool: pg.Pool, jobs: ScheduledJob[], log: (message: string) => void): Scheduler {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();

  const schedule = (job: ScheduledJob) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = pool
        .query(callStatement(job.function))
        .then(
          () => undefined,
          (error: unknown) => log(`job ${job.name} (${job.function}) failed: ${(error as Error).message}`),
        )
        .finally(() => {
          running.delete(run);
          schedule(job);
        });
      running.add(run);
    }, job.intervalSeconds * 1000);
    timers.add(timer);
  };

  for (const job of jobs) schedule(job);
  if (jobs.length > 0) log(`scheduled ${jobs.map((job) => `${job.function} every ${job.intervalSeconds}s`).join(', ')}`);

  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(running);
    },
  };
}
