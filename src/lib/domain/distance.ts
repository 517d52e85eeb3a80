// Great-circle distances and the distance bands the safe-place search shows.
//
// Mirrors private.distance_km and private.distance_band in the database (same earth radius, same
// band limits), so a band computed here for instant feedback matches the search's.

export interface LonLat {
  lon: number;
  lat: number;
}

/** Mean earth radius (IUGG), as the database uses. */
export const EARTH_RADIUS_KM = 6371.0088;

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;

/** Haversine distance in km. */
export function distanceKm(from: LonLat, to: LonLat): number {
  const dLat = toRadians(to.lat - from.lat);
  const dLon = toRadians(to.lon - from.lon);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(from.lat)) * Math.cos(toRadians(to.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export const DISTANCE_BANDS = ['0-25', '25-50', '50-100', '100-200', '200+'] as const;
export type DistanceBand = (typeof DISTANCE_BANDS)[number];

/** The band a distance falls in; each band includes its lower limit and excludes its upper. */
export function distanceBand(km: number): DistanceBand {
  if (!Number.isFinite(km) || km < 0) throw new RangeError(`Not a distance: ${km}`);
  if (km < 25) return '0-25';
  if (km < 50) return '25-50';
  if (km < 100) return '50-100';
  if (km < 200) return '100-200';
  return '200+';
}

export function isDistanceBand(value: unknown): value is DistanceBand {
  return typeof value === 'string' && (DISTANCE_BANDS as readonly string[]).includes(value);
}

/**
 * A closed ring approximating a circle of `radiusKm` around `centre` (for drawing a point zone on
 * the map). Computed on the sphere, so the circle stays round at Finland's latitudes, where a
 * degree of longitude is only about half a degree of latitude.
 */
export function circleRing(centre: LonLat, radiusKm: number, steps = 64): [number, number][] {
  if (!(radiusKm > 0)) throw new RangeError(`Not a radius: ${radiusKm}`);
  const angular = radiusKm / EARTH_RADIUS_KM;
  const lat1 = toRadians(centre.lat);
  const lon1 = toRadians(centre.lon);
  const ring: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const bearing = (2 * Math.PI * (i % steps)) / steps;
    const lat2 = Math.asin(Math.sin(lat1) * Math.cos(angular) + Math.cos(lat1) * Math.sin(angular) * Math.cos(bearing));
    const lon2 =
      lon1 +
      Math.atan2(Math.sin(bearing) * Math.sin(angular) * Math.cos(lat1), Math.cos(angular) - Math.sin(lat1) * Math.sin(lat2));
    ring.push([(lon2 * 180) / Math.PI, (lat2 * 180) / Math.PI]);
  }
  return ring;
}
