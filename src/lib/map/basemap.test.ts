import { readFileSync } from 'node:fs';
import type { Topology } from 'topojson-specification';
import { describe, expect, it } from 'vitest';
import { BASEMAP_BOUNDS, BASEMAP_PATH, buildBasemap, clipLine, clipRing } from './basemap';

const repoRoot = new URL('../../../', import.meta.url);
const topology = JSON.parse(readFileSync(new URL('node_modules/world-atlas/countries-50m.json', repoRoot), 'utf8')) as Topology;

describe('the offline basemap', () => {
  const basemap = buildBasemap(topology);

  it('is the file the app serves (regenerate with npx tsx src/lib/map/generate-basemap.ts)', () => {
    const served = readFileSync(new URL(`static${BASEMAP_PATH}`, repoRoot), 'utf8');
    expect(served).toBe(`${JSON.stringify(basemap)}\n`);
  });

  it('shows Finland, Åland and the neighbours, with land borders', () => {
    const countries = basemap.features.filter((f) => f.properties.layer === 'country');
    expect(countries.filter((f) => f.properties.finland).map((f) => f.properties.name).sort()).toEqual(['Finland', 'Åland']);
    expect(countries.map((f) => f.properties.name)).toEqual(expect.arrayContaining(['Sweden', 'Norway', 'Estonia', 'Russia']));
    expect(basemap.features.some((f) => f.properties.layer === 'border')).toBe(true);
  });

  it('stays inside its bounds', () => {
    const [west, south, east, north] = BASEMAP_BOUNDS;
    const points = JSON.stringify(basemap.features.map((f) => f.geometry.coordinates)).match(/-?\d+(\.\d+)?,-?\d+(\.\d+)?/g) ?? [];
    for (const pair of points) {
      const [x, y] = pair.split(',').map(Number) as [number, number];
      expect(x >= west && x <= east && y >= south && y <= north, `${pair} is inside the basemap's bounds`).toBe(true);
    }
  });
});

describe('clipping', () => {
  const box = [0, 0, 10, 10] as const;

  it('cuts a ring to the box and keeps it closed', () => {
    const ring = clipRing([[-5, 5], [5, 5], [5, 15], [-5, 5]], box);
    expect(ring).toHaveLength(5);
    expect(ring[0]).toEqual(ring[4]);
    expect(ring.slice(0, 4).map(([x, y]) => `${Math.abs(x!)},${y}`).sort()).toEqual(['0,10', '0,5', '5,10', '5,5']);
    expect(clipRing([[20, 20], [30, 20], [30, 30], [20, 20]], box)).toEqual([]);
  });

  it('splits a line where it leaves the box', () => {
    expect(clipLine([[1, 1], [2, 2], [20, 2], [3, 3], [4, 4]], box)).toEqual([[[1, 1], [2, 2]], [[3, 3], [4, 4]]]);
  });
});
