import { describe, expect, it } from 'vitest';
import { circleRing, distanceBand, distanceKm } from './distance';

const HELSINKI = { lon: 24.9384, lat: 60.1699 };
const TAMPERE = { lon: 23.761, lat: 61.4978 };
const OULU = { lon: 25.4651, lat: 65.0121 };

describe('great-circle distance', () => {
  it('is zero from a place to itself and the same both ways', () => {
    expect(distanceKm(HELSINKI, HELSINKI)).toBe(0);
    expect(distanceKm(HELSINKI, TAMPERE)).toBeCloseTo(distanceKm(TAMPERE, HELSINKI), 9);
  });

  it('matches known distances between Finnish towns (within 1 km)', () => {
    expect(distanceKm(HELSINKI, TAMPERE)).toBeGreaterThan(159);
    expect(distanceKm(HELSINKI, TAMPERE)).toBeLessThan(161);
    expect(distanceKm(HELSINKI, OULU)).toBeGreaterThan(538);
    expect(distanceKm(HELSINKI, OULU)).toBeLessThan(541);
  });

  it('treats a degree of longitude as shorter than one of latitude this far north', () => {
    const east = distanceKm(HELSINKI, { lon: HELSINKI.lon + 1, lat: HELSINKI.lat });
    const north = distanceKm(HELSINKI, { lon: HELSINKI.lon, lat: HELSINKI.lat + 1 });
    expect(east).toBeLessThan(north * 0.52);
    expect(east).toBeGreaterThan(north * 0.48);
  });
});

describe('distance bands', () => {
  it('includes each lower limit and excludes the upper one', () => {
    expect(distanceBand(0)).toBe('0-25');
    expect(distanceBand(24.999)).toBe('0-25');
    expect(distanceBand(25)).toBe('25-50');
    expect(distanceBand(49.9)).toBe('25-50');
    expect(distanceBand(50)).toBe('50-100');
    expect(distanceBand(100)).toBe('100-200');
    expect(distanceBand(199.99)).toBe('100-200');
    expect(distanceBand(200)).toBe('200+');
    expect(distanceBand(1200)).toBe('200+');
  });

  it('puts Tampere in 100-200 km and Oulu beyond 200 km from Helsinki', () => {
    expect(distanceBand(distanceKm(HELSINKI, TAMPERE))).toBe('100-200');
    expect(distanceBand(distanceKm(HELSINKI, OULU))).toBe('200+');
  });

  it('refuses a negative or missing distance', () => {
    expect(() => distanceBand(-1)).toThrow(RangeError);
    expect(() => distanceBand(Number.NaN)).toThrow(RangeError);
  });
});

describe('a circle for drawing a point zone', () => {
  it('is a closed ring whose every point lies at the radius from the centre', () => {
    const ring = circleRing(HELSINKI, 15, 32);
    expect(ring).toHaveLength(33);
    expect(ring[0]).toEqual(ring[32]);
    for (const [lon, lat] of ring) expect(distanceKm(HELSINKI, { lon, lat })).toBeCloseTo(15, 6);
  });

  it('refuses a radius that is not positive', () => {
    expect(() => circleRing(HELSINKI, 0)).toThrow(RangeError);
  });
});
