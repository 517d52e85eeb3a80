// Writes static/basemap/finland-and-neighbours.geojson from world-atlas (see basemap.ts).
// Run: npx tsx src/lib/map/generate-basemap.ts
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Topology } from 'topojson-specification';
import { BASEMAP_PATH, buildBasemap } from './basemap.ts';

const repoRoot = new URL('../../../', import.meta.url);
const topology = JSON.parse(readFileSync(new URL('node_modules/world-atlas/countries-50m.json', repoRoot), 'utf8')) as Topology;
const target = new URL(`static${BASEMAP_PATH}`, repoRoot);
mkdirSync(new URL('.', target), { recursive: true });
writeFileSync(target, `${JSON.stringify(buildBasemap(topology))}\n`);
console.log(`wrote ${fileURLToPath(target)}`);
