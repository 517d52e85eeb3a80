import { describe, expect, it } from 'vitest';
import { fitRefusals, placesRefusal, type FitFacility, type FitInput } from './fit';

const HELSINKI_CENTRE = { lon: 24.9384, lat: 60.1699 };

const shelter: FitFacility = {
  active: true,
  securityRating: 3,
  genderPolicy: 'any',
  takesChildren: true,
  boysMaxAge: 12,
  municipalityCode: '091',
  position: HELSINKI_CENTRE
};

function input(overrides: Partial<FitInput> = {}): FitInput {
  return {
    client: { safetyLevel: 2, gender: 'female' },
    children: [],
    facility: shelter,
    zones: [],
    markedUnsuitable: false,
    arrival: '2026-11-27',
    ...overrides
  };
}

describe('fit rules (mirror of the database’s fit_refusals)', () => {
  it('accepts a facility that satisfies every rule', () => {
    expect(fitRefusals(input())).toEqual([]);
  });

  it('refuses a rating below the client’s level and names both numbers', () => {
    expect(fitRefusals(input({ client: { safetyLevel: 4, gender: 'female' } }))).toEqual([
      { code: 'rating_too_low', rating: 3, level: 4 }
    ]);
  });

  it('accepts a rating equal to the level', () => {
    expect(fitRefusals(input({ client: { safetyLevel: 3, gender: 'female' } }))).toEqual([]);
  });

  it('refuses a facility inside a point zone (distance ≤ radius) and accepts one just outside', () => {
    const zoneCentre = { lon: HELSINKI_CENTRE.lon, lat: HELSINKI_CENTRE.lat + 0.09 }; // about 10 km north
    expect(fitRefusals(input({ zones: [{ kind: 'point', ...zoneCentre, radiusKm: 10.1 }] }))).toEqual([
      { code: 'inside_exclusion_zone', zone_kind: 'point' }
    ]);
    expect(fitRefusals(input({ zones: [{ kind: 'point', ...zoneCentre, radiusKm: 9.9 }] }))).toEqual([]);
  });

  it('refuses a facility in an excluded municipality, and reports the municipality when both kinds match', () => {
    expect(fitRefusals(input({ zones: [{ kind: 'municipality', municipalityCode: '091' }] }))).toEqual([
      { code: 'inside_exclusion_zone', zone_kind: 'municipality' }
    ]);
    expect(
      fitRefusals(
        input({ zones: [{ kind: 'point', ...HELSINKI_CENTRE, radiusKm: 1 }, { kind: 'municipality', municipalityCode: '091' }] })
      )
    ).toEqual([{ code: 'inside_exclusion_zone', zone_kind: 'municipality' }]);
    expect(fitRefusals(input({ zones: [{ kind: 'municipality', municipalityCode: '092' }] }))).toEqual([]);
  });

  it('refuses a facility marked unsuitable for this client', () => {
    expect(fitRefusals(input({ markedUnsuitable: true }))).toEqual([{ code: 'marked_unsuitable' }]);
  });

  it('applies the gender policy: women-only and men-only places', () => {
    const womenOnly = { ...shelter, genderPolicy: 'women' as const };
    const menOnly = { ...shelter, genderPolicy: 'men' as const };
    expect(fitRefusals(input({ facility: womenOnly }))).toEqual([]);
    expect(fitRefusals(input({ facility: womenOnly, client: { safetyLevel: 1, gender: 'other' } }))).toEqual([
      { code: 'gender_policy', policy: 'women', gender: 'other' }
    ]);
    expect(fitRefusals(input({ facility: menOnly }))).toEqual([{ code: 'gender_policy', policy: 'men', gender: 'female' }]);
    expect(fitRefusals(input({ facility: menOnly, client: { safetyLevel: 1, gender: 'male' } }))).toEqual([]);
  });

  it('refuses children where none are taken, counting the children who come along', () => {
    const noChildren = { ...shelter, takesChildren: false };
    expect(fitRefusals(input({ facility: noChildren }))).toEqual([]);
    expect(
      fitRefusals(input({ facility: noChildren, children: [{ birthYear: 2020, gender: 'female' }, { birthYear: 2018, gender: 'male' }] }))
    ).toEqual([{ code: 'no_children', children: 2 }]);
  });

  it('refuses a boy older than the facility accepts, by arrival year minus birth year, naming the oldest', () => {
    const children = [
      { birthYear: 2013, gender: 'male' as const }, // 13 in 2026
      { birthYear: 2011, gender: 'male' as const }, // 15
      { birthYear: 2010, gender: 'female' as const } // girls are not limited
    ];
    expect(fitRefusals(input({ children }))).toEqual([{ code: 'boy_too_old', max_age: 12, age: 15 }]);
    expect(fitRefusals(input({ children: [{ birthYear: 2014, gender: 'male' }] }))).toEqual([]);
    // the same boy fits when arriving a year earlier
    expect(fitRefusals(input({ children: [{ birthYear: 2013, gender: 'male' }], arrival: '2025-12-31' }))).toEqual([]);
    // no age limit when the facility sets none
    expect(fitRefusals(input({ children, facility: { ...shelter, boysMaxAge: null } }))).toEqual([]);
  });

  it('lists every reason in the database’s order', () => {
    const refusals = fitRefusals(
      input({
        client: { safetyLevel: 4, gender: 'male' },
        facility: { ...shelter, active: false, genderPolicy: 'women', takesChildren: false },
        zones: [{ kind: 'municipality', municipalityCode: '091' }],
        markedUnsuitable: true,
        children: [{ birthYear: 2010, gender: 'male' }]
      })
    );
    expect(refusals.map((refusal) => refusal.code)).toEqual([
      'facility_inactive',
      'rating_too_low',
      'inside_exclusion_zone',
      'marked_unsuitable',
      'gender_policy',
      'no_children'
    ]);
  });

  it('refuses an arrival that is not a date', () => {
    expect(() => fitRefusals(input({ arrival: '27.11.2026', children: [{ birthYear: 2013, gender: 'male' }] }))).toThrow(RangeError);
  });
});

describe('places', () => {
  it('needs as many free places as persons, and treats unknown figures as none', () => {
    expect(placesRefusal(3, 3)).toBeNull();
    expect(placesRefusal(2, 3)).toEqual({ code: 'not_enough_places', free: 2, requested: 3 });
    expect(placesRefusal(-1, 1)).toEqual({ code: 'not_enough_places', free: 0, requested: 1 });
    expect(placesRefusal(null, 1)).toEqual({ code: 'not_enough_places', free: 0, requested: 1 });
  });
});
