// The map's style and layers as data: the offline basemap style, the facility source with
// clustering, and the marker layers. No MapLibre import here, so the page can use these types
// and the tests can check them without loading the map library.
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { AvailabilityStatus } from '$lib/domain/availability';
import { BASEMAP_PATH } from './basemap';
import { currentStatus, type FacilityAvailability } from './facilities';

/** Colours of each status, and the mark beside the number so colour is never the only signal. */
export const STATUS_STYLE: Record<AvailabilityStatus, { fill: string; text: string; mark: string }> = {
  free: { fill: '#1d7a3e', text: '#ffffff', mark: '' },
  few: { fill: '#f2b705', text: '#1a1a1a', mark: '!' },
  full: { fill: '#c52a1f', text: '#ffffff', mark: '' },
  over: { fill: '#6b1025', text: '#ffffff', mark: '+' },
  stale: { fill: '#5f6469', text: '#ffffff', mark: '?' },
  closed: { fill: '#d5d9dd', text: '#1a1a1a', mark: '×' }
};

export const CLUSTER_STYLE = { fill: '#1e4f91', text: '#ffffff' } as const;
export const SELECTED_RING = '#1a1a1a';
export const CHANGED_RING = '#0a66d6';

/** The number on a marker and its status mark: "12", "2!", "0+", "5?", "×". */
export function markerText(status: AvailabilityStatus, freePlaces: number): string {
  if (status === 'closed') return STATUS_STYLE.closed.mark;
  return `${freePlaces}${STATUS_STYLE[status].mark}`;
}

export const MARKER_IMAGE_PREFIX = 'suoja-marker:';
export const CLUSTER_IMAGE_PREFIX = 'suoja-cluster:';

export interface FacilityFeatureProperties {
  id: string;
  free: number;
  status: AvailabilityStatus;
  image: string;
}

/** Degrees of latitude between facilities that share one municipality centre. */
const SPREAD_DEGREES = 0.04;

/**
 * Where each marker is drawn. Every facility of a municipality has the same approximate position
 * (its centre), so markers sharing a point are set around it on a small circle, in a fixed order,
 * to keep each one visible and clickable. Computed from the approximate points only: it neither
 * reveals nor hides anything about an exact location.
 */
export function markerPositions(rows: readonly FacilityAvailability[]): Map<string, [number, number]> {
  const groups = new Map<string, FacilityAvailability[]>();
  for (const row of rows) {
    const key = `${row.approx_lon},${row.approx_lat}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const positions = new Map<string, [number, number]>();
  for (const group of groups.values()) {
    group.sort((a, b) => a.facility_id.localeCompare(b.facility_id));
    group.forEach((row, index) => {
      if (group.length === 1) {
        positions.set(row.facility_id, [row.approx_lon, row.approx_lat]);
        return;
      }
      const angle = (2 * Math.PI * index) / group.length - Math.PI / 2;
      // A degree of longitude is shorter in the north: widen it so the circle looks round.
      const lonScale = 1 / Math.cos((row.approx_lat * Math.PI) / 180);
      positions.set(row.facility_id, [
        row.approx_lon + SPREAD_DEGREES * Math.cos(angle) * lonScale,
        row.approx_lat + SPREAD_DEGREES * Math.sin(angle)
      ]);
    });
  }
  return positions;
}

/** Only what the markers need: the position to draw, free places and status. */
export function facilitiesToGeoJson(rows: readonly FacilityAvailability[], now: Date): FeatureCollection<Point, FacilityFeatureProperties> {
  const positions = markerPositions(rows);
  const features: Feature<Point, FacilityFeatureProperties>[] = rows.map((row) => {
    const status = currentStatus(row, now);
    return {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: positions.get(row.facility_id) ?? [row.approx_lon, row.approx_lat] },
      properties: {
        id: row.facility_id,
        free: row.free_places,
        status,
        image: `${MARKER_IMAGE_PREFIX}${status}:${markerText(status, row.free_places)}`
      }
    };
  });
  return { type: 'FeatureCollection', features };
}

/** Finland, with a little room: the first view of the map. */
export const FINLAND_BOUNDS: [[number, number], [number, number]] = [
  [19.0, 59.6],
  [31.7, 70.1]
];

export const FACILITY_SOURCE = 'suoja-facilities';
export const LAYER = {
  clusters: 'suoja-clusters',
  clusterLabels: 'suoja-cluster-labels',
  changed: 'suoja-changed',
  selected: 'suoja-selected',
  markers: 'suoja-markers',
  markerLabels: 'suoja-marker-labels'
} as const;

// Types kept structural (not MapLibre's) so this file stays free of the library.
type Json = Record<string, unknown>;

/** The default style: the shipped basemap only. No glyphs or sprites: labels are drawn images. */
export function offlineStyle(origin: string, attribution: string): Json {
  return {
    version: 8,
    sources: {
      basemap: { type: 'geojson', data: new URL(BASEMAP_PATH, origin).href, attribution }
    },
    layers: [
      { id: 'water', type: 'background', paint: { 'background-color': '#bcd6ec' } },
      {
        id: 'land',
        type: 'fill',
        source: 'basemap',
        filter: ['==', ['get', 'layer'], 'country'],
        paint: { 'fill-color': ['case', ['get', 'finland'], '#ffffff', '#ebe9e3'] }
      },
      {
        id: 'borders',
        type: 'line',
        source: 'basemap',
        filter: ['==', ['get', 'layer'], 'border'],
        paint: { 'line-color': '#6f6f6f', 'line-width': 1.2, 'line-dasharray': [3, 2] }
      }
    ]
  };
}

export function facilitySource(data: FeatureCollection): Json {
  return {
    type: 'geojson',
    data,
    cluster: true,
    clusterRadius: 42,
    clusterMaxZoom: 8,
    // The cluster's label: the free places of everything in it.
    clusterProperties: { free_sum: ['+', ['get', 'free']] }
  };
}

const statusColour = ['match', ['get', 'status'], ...Object.entries(STATUS_STYLE).flatMap(([status, style]) => [status, style.fill]), '#5f6469'];

export function facilityLayers(): Json[] {
  const isCluster = ['has', 'point_count'];
  const isPoint = ['!', ['has', 'point_count']];
  return [
    {
      id: LAYER.clusters,
      type: 'circle',
      source: FACILITY_SOURCE,
      filter: isCluster,
      paint: {
        'circle-color': CLUSTER_STYLE.fill,
        'circle-radius': ['step', ['get', 'point_count'], 20, 10, 24, 100, 30, 1000, 36],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 3
      }
    },
    {
      id: LAYER.clusterLabels,
      type: 'symbol',
      source: FACILITY_SOURCE,
      filter: isCluster,
      layout: {
        'icon-image': ['concat', CLUSTER_IMAGE_PREFIX, ['to-string', ['get', 'free_sum']]],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true
      }
    },
    {
      id: LAYER.changed,
      type: 'circle',
      source: FACILITY_SOURCE,
      filter: ['all', isPoint, ['in', ['get', 'id'], ['literal', []]]],
      paint: { 'circle-radius': 24, 'circle-opacity': 0, 'circle-stroke-color': CHANGED_RING, 'circle-stroke-width': 4 }
    },
    {
      id: LAYER.markers,
      type: 'circle',
      source: FACILITY_SOURCE,
      filter: isPoint,
      paint: { 'circle-color': statusColour, 'circle-radius': 16, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 }
    },
    {
      id: LAYER.selected,
      type: 'circle',
      source: FACILITY_SOURCE,
      filter: ['all', isPoint, ['==', ['get', 'id'], '']],
      paint: { 'circle-radius': 19, 'circle-opacity': 0, 'circle-stroke-color': SELECTED_RING, 'circle-stroke-width': 3 }
    },
    {
      id: LAYER.markerLabels,
      type: 'symbol',
      source: FACILITY_SOURCE,
      filter: isPoint,
      layout: { 'icon-image': ['get', 'image'], 'icon-allow-overlap': true, 'icon-ignore-placement': true }
    }
  ];
}

export function changedFilter(ids: readonly string[]): unknown[] {
  return ['all', ['!', ['has', 'point_count']], ['in', ['get', 'id'], ['literal', [...ids]]]];
}

export function selectedFilter(id: string | null): unknown[] {
  return ['all', ['!', ['has', 'point_count']], ['==', ['get', 'id'], id ?? '']];
}
