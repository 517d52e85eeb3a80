// Summaries of latency samples. Percentiles use the nearest-rank method: the reported p95 is a
// latency that was actually observed, never an interpolation between two samples.

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

export function percentile(sortedAscending: readonly number[], fraction: number): number {
  if (sortedAscending.length === 0) throw new Error('percentile of no samples');
  if (fraction <= 0) return sortedAscending[0]!;
  const rank = Math.ceil(fraction * sortedAscending.length);
  return sortedAscending[Math.min(rank, sortedAscending.length) - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}

/** a / b, or null when either is missing or b is zero (a ratio to nothing means nothing). */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || b === 0) return null;
  return a / b;
}

/**
 * How a figure grows between two scales, as the exponent k in figure ~ scale^k: 1 is linear,
 * below 1 sub-linear (what indexes buy), 0 flat.
 */
export function growthExponent(figureSmall: number, figureLarge: number, scaleSmall: number, scaleLarge: number): number | null {
  if (figureSmall <= 0 || figureLarge <= 0 || scaleSmall <= 0 || scaleLarge <= scaleSmall) return null;
  return Math.log(figureLarge / figureSmall) / Math.log(scaleLarge / scaleSmall);
}

/** A deterministic pseudo-random sequence (mulberry32), so sampling gaps repeat between runs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
