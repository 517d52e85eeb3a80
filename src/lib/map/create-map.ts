// Suoja's map of Finland, shared by the live map and the client's map: MapLibre loaded only on
// pages that show a map, the offline style unless PUBLIC_MAP_STYLE_URL names a tile style, and
// translated controls.
import { env } from '$env/dynamic/public';
import type { Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { m } from '$lib/paraglide/messages';
import { FINLAND_BOUNDS, offlineStyle } from './layers';

export type MapLibre = typeof import('maplibre-gl');

/** Loads MapLibre and its stylesheet, with the worker served by the app (no external request). */
export async function loadMapLibre(): Promise<MapLibre> {
  const [maplibre] = await Promise.all([import('maplibre-gl'), import('maplibre-gl/dist/maplibre-gl.css')]);
  maplibre.setWorkerUrl(new URL(workerUrl, window.location.href).href);
  return maplibre;
}

/** A map of Finland in `container`: no rotation, zoom buttons, compact attribution. */
export function createFinlandMap(maplibre: MapLibre, container: HTMLElement): MapLibreMap {
  const styleUrl = env.PUBLIC_MAP_STYLE_URL?.trim();
  const map = new maplibre.Map({
    container,
    style: styleUrl ? styleUrl : (offlineStyle(window.location.origin, 'Natural Earth') as unknown as StyleSpecification),
    bounds: FINLAND_BOUNDS,
    fitBoundsOptions: { padding: 16 },
    minZoom: 3,
    maxZoom: 14,
    dragRotate: false,
    pitchWithRotate: false,
    attributionControl: { compact: true },
    // No cross-fade of symbols: every marker label is drawn with overlap allowed, so there is no
    // collision to fade, and each faded frame costs a full repaint (slow in software WebGL).
    fadeDuration: 0,
    locale: {
      'AttributionControl.ToggleAttribution': m.map_control_attribution(),
      'NavigationControl.ZoomIn': m.map_control_zoom_in(),
      'NavigationControl.ZoomOut': m.map_control_zoom_out(),
      'NavigationControl.ResetBearing': m.map_control_reset_north(),
      'Map.Title': m.map_control_map()
    }
  });
  map.addControl(new maplibre.NavigationControl({ showCompass: false }), 'top-right');
  map.touchZoomRotate.disableRotation();
  return map;
}
