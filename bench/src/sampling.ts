// Repeats an operation for stable medians: a few warm-up runs (plan caches, connection pools),
// then samples until enough are taken or the time budget is spent (whichever first, but never
// fewer than `minSamples`), one at a time so each sample sees an otherwise idle path.
import { summarize, type Summary } from './stats.ts';

export interface SamplingOptions {
  warmup: number;
  samples: number;
  minSamples: number;
  maxSeconds: number;
}

export async function sampleLatency(operation: () => Promise<void>, options: SamplingOptions): Promise<Summary> {
  for (let i = 0; i < options.warmup; i++) await operation();
  const samples: number[] = [];
  const deadline = performance.now() + options.maxSeconds * 1000;
  while (samples.length < options.samples && (samples.length < options.minSamples || performance.now() < deadline)) {
    const started = performance.now();
    await operation();
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}
