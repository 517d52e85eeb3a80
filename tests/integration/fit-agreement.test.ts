// The TypeScript fit rules (src/lib/domain/fit.ts) and the database's private.fit_refusals must
// give the same answer: the screens explain refusals with the first, holds are refused by the
// second. fast-check generates clients, children, facilities, zones (many near the facility,
// so distances land on both sides of the radius) and arrival dates; each case is written in a
// transaction that is rolled back, and both answers are compared in full (codes and numbers).
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitRefusals, type ExclusionZone, type FitInput, type Gender, type GenderPolicy } from '../../src/lib/domain/fit';
import { closeDb, db, rows } from './support/stack.ts';

interface Municipality {
  code: string;
  lon: number;
  lat: number;
}

let municipalities: Municipality[] = [];

beforeAll(async () => {
  municipalities = (
    await rows<{ code: string; centre_lon: number; centre_lat: number }>(
      `select code, centre_lon, centre_lat from public.municipalities where code in ('091', '049', '092', '837', '564', '405') order by code`,
    )
  ).map((m) => ({ code: m.code, lon: m.centre_lon, lat: m.centre_lat }));
  expect(municipalities.length, 'the seeded municipalities the cases are drawn from').toBe(6);
});

afterAll(async () => {
  await closeDb();
});

interface Case {
  client: { level: number; gender: Gender };
  children: { birthYear: number; gender: Gender; comes: boolean }[];
  facility: {
    active: boolean;
    rating: number;
    policy: GenderPolicy;
    takesChildren: boolean;
    boysMaxAge: number | null;
    municipality: number;
    /** null: no exact location recorded, the municipality centre counts */
    offset: { dLon: number; dLat: number } | null;
  };
  zones: ({ kind: 'point'; municipality: number; dLon: number; dLat: number; radiusKm: number } | { kind: 'municipality'; municipality: number })[];
  markedUnsuitable: boolean;
  arrival: string;
}

const gender = fc.constantFrom<Gender>('female', 'male', 'other');
const municipalityIndex = fc.integer({ min: 0, max: 5 });
const smallOffset = fc.double({ min: -0.4, max: 0.4, noNaN: true });

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  client: fc.record({ level: fc.integer({ min: 1, max: 4 }), gender }),
  children: fc.array(
    fc.record({ birthYear: fc.integer({ min: 2008, max: 2026 }), gender: fc.constantFrom<Gender>('female', 'male'), comes: fc.boolean() }),
    { maxLength: 3 },
  ),
  facility: fc.record({
    active: fc.boolean(),
    rating: fc.integer({ min: 1, max: 4 }),
    policy: fc.constantFrom<GenderPolicy>('women', 'men', 'any'),
    takesChildren: fc.boolean(),
    boysMaxAge: fc.option(fc.integer({ min: 0, max: 17 })),
    municipality: municipalityIndex,
    offset: fc.option(fc.record({ dLon: smallOffset, dLat: smallOffset })),
  }),
  zones: fc.array(
    fc.oneof(
      fc.record({
        kind: fc.constant('point' as const),
        municipality: municipalityIndex,
        dLon: smallOffset,
        dLat: smallOffset,
        radiusKm: fc.integer({ min: 1, max: 8000 }).map((hundredths) => hundredths / 100),
      }),
      fc.record({ kind: fc.constant('municipality' as const), municipality: municipalityIndex }),
    ),
    { maxLength: 3 },
  ),
  markedUnsuitable: fc.boolean(),
  arrival: fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
});

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function expectedByTypeScript(example: Case): ReturnType<typeof fitRefusals> {
  const home = municipalities[example.facility.municipality]!;
  const position = example.facility.offset
    ? { lon: round6(home.lon + example.facility.offset.dLon), lat: round6(home.lat + example.facility.offset.dLat) }
    : { lon: home.lon, lat: home.lat };
  const zones: ExclusionZone[] = example.zones.map((zone) => {
    const m = municipalities[zone.municipality]!;
    return zone.kind === 'municipality'
      ? { kind: 'municipality', municipalityCode: m.code }
      : { kind: 'point', lon: round6(m.lon + zone.dLon), lat: round6(m.lat + zone.dLat), radiusKm: zone.radiusKm };
  });
  const input: FitInput = {
    client: { safetyLevel: example.client.level, gender: example.client.gender },
    children: example.children.filter((child) => child.comes).map((child) => ({ birthYear: child.birthYear, gender: child.gender })),
    facility: {
      active: example.facility.active,
      securityRating: example.facility.rating,
      genderPolicy: example.facility.policy,
      takesChildren: example.facility.takesChildren,
      boysMaxAge: example.facility.boysMaxAge,
      municipalityCode: home.code,
      position,
    },
    zones,
    markedUnsuitable: example.markedUnsuitable,
    arrival: example.arrival,
  };
  return fitRefusals(input);
}

async function decidedByDatabase(connection: pg.PoolClient, example: Case): Promise<unknown> {
  const home = municipalities[example.facility.municipality]!;
  await connection.query('begin');
  try {
    const facility = await connection.query<{ id: string }>(
      `insert into public.facilities (name, kind, municipality_code, security_rating, gender_policy, takes_children, boys_max_age, active)
       values ('Sopivuustesti', 'shelter', $1, $2, $3, $4, $5, $6) returning id`,
      [home.code, example.facility.rating, example.facility.policy, example.facility.takesChildren, example.facility.boysMaxAge, example.facility.active],
    );
    const facilityId = facility.rows[0]!.id;
    if (example.facility.offset) {
      await connection.query(
        `insert into public.facility_locations (facility_id, street_address, postal_code, lon, lat) values ($1, 'Testitie 1', '00100', $2, $3)`,
        [facilityId, round6(home.lon + example.facility.offset.dLon), round6(home.lat + example.facility.offset.dLat)],
      );
    }
    const client = await connection.query<{ id: string }>(
      `insert into public.clients (gender, birth_year, safety_level) values ($1, 1990, $2) returning id`,
      [example.client.gender, example.client.level],
    );
    const clientId = client.rows[0]!.id;
    const comingChildren: string[] = [];
    for (const child of example.children) {
      const inserted = await connection.query<{ id: string }>(
        'insert into public.client_children (client_id, birth_year, gender) values ($1, $2, $3) returning id',
        [clientId, child.birthYear, child.gender],
      );
      if (child.comes) comingChildren.push(inserted.rows[0]!.id);
    }
    for (const zone of example.zones) {
      const m = municipalities[zone.municipality]!;
      if (zone.kind === 'municipality') {
        await connection.query(`insert into public.exclusion_zones (client_id, kind, municipality_code) values ($1, 'municipality', $2)`, [clientId, m.code]);
      } else {
        await connection.query(
          `insert into public.exclusion_zones (client_id, kind, lon, lat, radius_km) values ($1, 'point', $2, $3, $4)`,
          [clientId, round6(m.lon + zone.dLon), round6(m.lat + zone.dLat), zone.radiusKm],
        );
      }
    }
    if (example.markedUnsuitable) {
      await connection.query(
        `insert into public.client_unsuitable_facilities (client_id, facility_id, reason) values ($1, $2, 'Testi')`,
        [clientId, facilityId],
      );
    }
    const result = await connection.query<{ refusals: unknown }>(
      'select private.fit_refusals($1, $2, $3::uuid[], $4::date) as refusals',
      [clientId, facilityId, comingChildren, example.arrival],
    );
    return result.rows[0]!.refusals;
  } finally {
    await connection.query('rollback');
  }
}

describe('the TypeScript fit rules agree with the database', () => {
  it('on generated clients, households, facilities, zones and dates', async () => {
    const connection = await db().connect();
    try {
      // Audit rows and broadcasts of the rolled-back rows vanish with them.
      await connection.query("set suoja.skip_broadcast = 'on'");
      let refusedCases = 0;
      await fc.assert(
        fc.asyncProperty(caseArbitrary, async (example) => {
          const expected = expectedByTypeScript(example);
          const actual = await decidedByDatabase(connection, example);
          if (expected.length > 0) refusedCases++;
          expect(actual, `the database and fit.ts disagree on ${JSON.stringify(example)}`).toEqual(expected);
        }),
        { numRuns: 300, seed: 20261127 },
      );
      expect(refusedCases, 'the generated cases exercise refusals, not only fits').toBeGreaterThan(100);
    } finally {
      connection.release();
    }
  }, 120_000);

  it('on the edge of a point zone: a facility at the radius is inside, just beyond it outside', async () => {
    const helsinki = municipalities.find((m) => m.code === '091')!;
    // 0.1 degrees north of the centre is about 11.12 km; the radius is set just either side of it
    const example = (radiusKm: number): Case => ({
      client: { level: 1, gender: 'female' },
      children: [],
      facility: { active: true, rating: 4, policy: 'any', takesChildren: true, boysMaxAge: null, municipality: municipalities.indexOf(helsinki), offset: { dLon: 0, dLat: 0.1 } },
      zones: [{ kind: 'point', municipality: municipalities.indexOf(helsinki), dLon: 0, dLat: 0, radiusKm }],
      markedUnsuitable: false,
      arrival: '2026-11-27',
    });
    const connection = await db().connect();
    try {
      for (const radius of [11.11, 11.12, 11.13]) {
        const expected = expectedByTypeScript(example(radius));
        expect(await decidedByDatabase(connection, example(radius)), `radius ${radius} km`).toEqual(expected);
      }
      expect(expectedByTypeScript(example(11.11))).toEqual([]);
      expect(expectedByTypeScript(example(11.13))).toEqual([{ code: 'inside_exclusion_zone', zone_kind: 'point' }]);
    } finally {
      connection.release();
    }
  });
});
