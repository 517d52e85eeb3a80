import { describe, expect, it } from 'vitest';
import { SharedValue } from './reference-data';

function clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const nonEmpty = (value: string[]) => value.length > 0;

describe('the shared reference data', () => {
  it('reads once and serves every later request from the copy until it is stale', async () => {
    const time = clock();
    const shared = new SharedValue<string[]>(60_000, nonEmpty, time.now);
    let reads = 0;
    const read = () => Promise.resolve([`read ${++reads}`]);

    expect(await shared.get(read)).toEqual(['read 1']);
    time.advance(59_999);
    expect(await shared.get(read)).toEqual(['read 1']);
    time.advance(1);
    expect(await shared.get(read)).toEqual(['read 2']);
    expect(reads).toBe(2);
  });

  it('does not keep an answer that another user might not get: a reader who sees nothing gets nothing, the next reader reads again', async () => {
    const shared = new SharedValue<string[]>(60_000, nonEmpty, clock().now);
    expect(await shared.get(() => Promise.resolve([]))).toEqual([]);
    expect(await shared.get(() => Promise.resolve(['Uusimaa']))).toEqual(['Uusimaa']);
    expect(await shared.get(() => Promise.resolve([]))).toEqual(['Uusimaa']);
  });

  it('does not keep a failed read', async () => {
    const shared = new SharedValue<string[]>(60_000, nonEmpty, clock().now);
    await expect(shared.get(() => Promise.reject(new Error('PostgREST is down')))).rejects.toThrow('PostgREST is down');
    expect(await shared.get(() => Promise.resolve(['Uusimaa']))).toEqual(['Uusimaa']);
  });
});
