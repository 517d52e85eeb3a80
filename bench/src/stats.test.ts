import { describe, expect, it } from 'vitest';
import { growthExponent, percentile, ratio, seededRandom, summarize } from './stats.ts';

describe('benchmark statistics', () => {
  it('reports the nearest-rank percentile, a latency that was actually observed', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 0.5)).toBe(50);
    expect(percentile(samples, 0.95)).toBe(95);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([1, 2, 3], 0)).toBe(1);
  });

  it('summarizes unsorted samples without changing them', () => {
    const samples = [30, 10, 20, 40];
    const summary = summarize(samples);
    expect(summary).toMatchObject({ n: 4, p50: 20, p95: 40, min: 10, max: 40, mean: 25 });
    expect(samples).toEqual([30, 10, 20, 40]);
  });

  it('refuses to invent a percentile from no samples', () => {
    expect(() => percentile([], 0.5)).toThrow();
  });

  it('gives no ratio against a zero or missing baseline', () => {
    expect(ratio(10, 2)).toBe(5);
    expect(ratio(10, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
  });

  it('reads growth as an exponent: linear is 1, flat is 0, sub-linear in between', () => {
    expect(growthExponent(10, 40, 1, 4)).toBeCloseTo(1);
    expect(growthExponent(10, 10, 1, 16)).toBeCloseTo(0);
    expect(growthExponent(10, 20, 1, 16)).toBeCloseTo(0.25);
    expect(growthExponent(0, 20, 1, 16)).toBeNull();
  });

  it('repeats the same pseudo-random sequence for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
  });
});
