// The offline basemap: Finland and its neighbours from Natural Earth (via `world-atlas`'
// countries-50m TopoJSON), clipped to the area the map shows, as one small GeoJSON file served
// from static/basemap/. No tiles, no fonts, no requests anywhere but the app itself.
//
// Regenerate with `npx tsx src/lib/map/generate-basemap.ts`; basemap.test.ts fails when the
// committed file no longer matches what this code produces.
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

/** West, south, east, north: the Nordic and Baltic area around Finland. */
export const BASEMAP_BOUNDS = [4, 53, 45, 72] as const;

/** ISO 3166-1 numeric codes of Finland and Åland, drawn lighter than the neighbours. */
const FINLAND_IDS = new Set(['246', '248']);

export const BASEMAP_PATH = '/basemap/finland-and-neighbours.geojson';

type Bounds = readonly [number, number, number, number];

export interface BasemapProperties {
  layer: 'country' | 'border';
  finland: boolean;
  name: string;
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

function inside(point: Position, edge: number, bounds: Bounds): boolean {
  const [x, y] = point as [number, number];
  switch (edge) {
    case 0:
      return x >= bounds[0];
    case 1:
      return y >= bounds[1];
    case 2:
      return x <= bounds[2];
    default:
      return y <= bounds[3];
  }
}

function intersection(a: Position, b: Position, edge: number, bounds: Bounds): Position {
  const [ax, ay] = a as [number, number];
  const [bx, by] = b as [number, number];
  if (edge === 0 || edge === 2) {
    const x = edge === 0 ? bounds[0] : bounds[2];
    return [x, ay + ((by - ay) * (x - ax)) / (bx - ax)];
  }
  const y = edge === 1 ? bounds[1] : bounds[3];
  return [ax + ((bx - ax) * (y - ay)) / (by - ay), y];
}

/** Sutherland-Hodgman against an axis-aligned box: enough for filled land areas. */
export function clipRing(ring: readonly Position[], bounds: Bounds): Position[] {
  let output: Position[] = ring.slice(0, -1);
  for (let edge = 0; edge < 4 && output.length > 0; edge++) {
    const input = output;
    output = [];
    for (let i = 0; i < input.length; i++) {
      const current = input[i]!;
      const previous = input[(i + input.length - 1) % input.length]!;
      if (inside(current, edge, bounds)) {
        if (!inside(previous, edge, bounds)) output.push(intersection(previous, current, edge, bounds));
        output.push(current);
      } else if (inside(previous, edge, bounds)) {
        output.push(intersection(previous, current, edge, bounds));
      }
    }
  }
  if (output.length < 3) return [];
  const rounded = output.map(([x, y]) => [round(x!), round(y!)]);
  const deduplicated = rounded.filter((point, i) => i === 0 || point[0] !== rounded[i - 1]![0] || point[1] !== rounded[i - 1]![1]);
  if (deduplicated.length < 3) return [];
  return [...deduplicated, deduplicated[0]!];
}

function clipPolygons(geometry: Polygon | MultiPolygon, bounds: Bounds): Position[][][] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const clipped: Position[][][] = [];
  for (const polygon of polygons) {
    const [outer, ...holes] = polygon;
    const clippedOuter = outer ? clipRing(outer, bounds) : [];
    if (clippedOuter.length === 0) continue;
    clipped.push([clippedOuter, ...holes.map((hole) => clipRing(hole, bounds)).filter((hole) => hole.length > 0)]);
  }
  return clipped;
}

/** Splits a line where it leaves the box, keeping the parts inside. */
export function clipLine(line: readonly Position[], bounds: Bounds): Position[][] {
  const within = ([x, y]: Position): boolean => x! >= bounds[0] && x! <= bounds[2] && y! >= bounds[1] && y! <= bounds[3];
  const parts: Position[][] = [];
  let current: Position[] = [];
  for (const point of line) {
    if (within(point)) {
      current.push([round(point[0]!), round(point[1]!)]);
    } else {
      if (current.length > 1) parts.push(current);
      current = [];
    }
  }
  if (current.length > 1) parts.push(current);
  return parts;
}

export function buildBasemap(topology: Topology, bounds: Bounds = BASEMAP_BOUNDS): FeatureCollection<MultiPolygon | LineString, BasemapProperties> {
  const countries = topology.objects.countries as GeometryCollection<{ name: string }>;
  const collection = feature(topology, countries) as FeatureCollection<Polygon | MultiPolygon, { name: string }>;
  const features: Feature<MultiPolygon | LineString, BasemapProperties>[] = [];

  for (const country of collection.features) {
    if (!country.geometry || (country.geometry.type !== 'Polygon' && country.geometry.type !== 'MultiPolygon')) continue;
    const polygons = clipPolygons(country.geometry, bounds);
    if (polygons.length === 0) continue;
    features.push({
      type: 'Feature',
      properties: { layer: 'country', finland: FINLAND_IDS.has(String(country.id)), name: country.properties.name },
      geometry: { type: 'MultiPolygon', coordinates: polygons }
    });
  }

  // Shared arcs only: land borders between two countries, not coastlines.
  const borders = mesh(topology, countries, (a, b) => a !== b);
  for (const line of borders.coordinates) {
    for (const part of clipLine(line, bounds)) {
      features.push({ type: 'Feature', properties: { layer: 'border', finland: false, name: '' }, geometry: { type: 'LineString', coordinates: part } });
    }
  }
  features.sort((a, b) => (a.properties.layer === b.properties.layer ? 0 : a.properties.layer === 'country' ? -1 : 1));
  return { type: 'FeatureCollection', features };
}
