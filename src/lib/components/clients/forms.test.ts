import { describe, expect, it } from 'vitest';
import { clientFormEcho, parseClientForm, parseHoldForm, parseLanguages, parseMoveForm, parseZoneForm } from './forms';

const CLIENT = '11111111-1111-4111-8111-111111111111';
const CHILD = '22222222-2222-4222-8222-222222222222';
const FACILITY = '33333333-3333-4333-8333-333333333333';
const KEY = '44444444-4444-4444-8444-444444444444';
const PLACEMENT = '55555555-5555-4555-8555-555555555555';

function formOf(entries: [string, string][]): FormData {
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, value);
  return form;
}

const validClient: [string, string][] = [
  ['gender', 'female'],
  ['birth_year', '1990'],
  ['languages', 'EN, ru  ar'],
  ['safety_level', '2'],
  ['responsible_party', 'assistance_system'],
  ['child_id', ''],
  ['child_birth_year', '2020'],
  ['child_gender', 'male'],
  ['child_id', ''],
  ['child_birth_year', ''],
  ['child_gender', ''],
  ['caseworker', CLIENT]
];

describe('the client form', () => {
  it('reads a valid form, ignoring a blank child row the user added but did not fill', () => {
    const parsed = parseClientForm(clientFormEcho(formOf(validClient)), 2026, null);
    expect(parsed).toMatchObject({
      ok: true,
      values: { gender: 'female', birthYear: 1990, languages: ['en', 'ru', 'ar'], safetyLevel: 2, children: [{ id: null, birth_year: 2020, gender: 'male' }] }
    });
  });

  it('names each problem beside its field', () => {
    const parsed = parseClientForm(
      clientFormEcho(formOf([['birth_year', '1900'], ['languages', 'english'], ['child_birth_year', '2000'], ['child_gender', 'male']])),
      2026,
      null
    );
    expect(parsed).toEqual({
      ok: false,
      errors: { gender: 'required', birth_year: 'out_of_range', languages: 'invalid', safety_level: 'required', responsible_party: 'required', children: 'out_of_range' }
    });
  });

  it('asks for a reason only when the safety level changes', () => {
    const raised = validClient.map(([name, value]): [string, string] => [name, name === 'safety_level' ? '3' : value]);
    expect(parseClientForm(clientFormEcho(formOf(raised)), 2026, 2)).toEqual({ ok: false, errors: { level_change_reason: 'required' } });
    expect(parseClientForm(clientFormEcho(formOf([...raised, ['level_change_reason', 'Uhka kasvoi']])), 2026, 2).ok).toBe(true);
    expect(parseClientForm(clientFormEcho(formOf(validClient)), 2026, 2).ok).toBe(true);
  });

  it('reads language codes however they are separated, and refuses words', () => {
    expect(parseLanguages(' fi,SV;en  fi ')).toEqual(['fi', 'sv', 'en']);
    expect(parseLanguages('')).toEqual([]);
    expect(parseLanguages('finnish')).toBeNull();
  });
});

describe('the hold form', () => {
  const now = new Date('2026-11-27T10:00:00Z');
  const hold = (extra: [string, string][] = []): [string, string][] => [
    ['facility_id', FACILITY],
    ['idempotency_key', KEY],
    ['person', CHILD],
    ['planned_arrival', '2026-11-27'],
    ['hold_expires_at', '2026-11-28T12:00'],
    ...extra
  ];

  it('always places the client, with the chosen children, and reads the deadline on Helsinki’s clock', () => {
    expect(parseHoldForm(formOf(hold()), CLIENT, now)).toEqual({
      ok: true,
      values: {
        facilityId: FACILITY,
        persons: [CLIENT, CHILD],
        plannedArrival: '2026-11-27',
        plannedEnd: null,
        holdExpiresAt: '2026-11-28T10:00:00.000Z',
        idempotencyKey: KEY
      }
    });
  });

  it('refuses a deadline in the past and a planned end before the arrival', () => {
    const parsed = parseHoldForm(
      formOf([['facility_id', FACILITY], ['idempotency_key', KEY], ['planned_arrival', '2026-11-27'], ['planned_end', '2026-11-27'], ['hold_expires_at', '2026-11-27T11:59']]),
      CLIENT,
      now
    );
    expect(parsed).toEqual({ ok: false, errors: { planned_end: 'out_of_range', hold_expires_at: 'out_of_range' } });
  });

  it('refuses a form without its idempotency key, so a resubmission can never make a second hold', () => {
    expect(parseHoldForm(formOf(hold().filter(([name]) => name !== 'idempotency_key')), CLIENT, now)).toEqual({ ok: false, errors: { form: 'invalid' } });
  });
});

describe('the move form', () => {
  it('needs a reason and a planned end after today', () => {
    const form = formOf([['facility_id', FACILITY], ['from_placement_id', PLACEMENT], ['idempotency_key', KEY], ['planned_end', '2026-11-27']]);
    expect(parseMoveForm(form, CLIENT, '2026-11-27')).toEqual({ ok: false, errors: { planned_end: 'out_of_range', reason: 'required' } });
    form.set('planned_end', '2026-12-31');
    form.set('reason', ' Lähempänä koulua ');
    expect(parseMoveForm(form, CLIENT, '2026-11-27')).toMatchObject({ ok: true, values: { persons: [CLIENT], reason: 'Lähempänä koulua', plannedEnd: '2026-12-31' } });
  });
});

describe('the exclusion zone form', () => {
  it('reads a point zone with decimal commas', () => {
    expect(parseZoneForm(formOf([['kind', 'point'], ['lat', '60,17'], ['lon', '24.94'], ['radius_km', '12,5'], ['reason', 'Riskihenkilö']]))).toEqual({
      ok: true,
      values: { kind: 'point', lat: 60.17, lon: 24.94, radiusKm: 12.5, reason: 'Riskihenkilö' }
    });
  });

  it('refuses a point outside Finland, a zero radius and a missing reason', () => {
    expect(parseZoneForm(formOf([['kind', 'point'], ['lat', '52'], ['lon', '24'], ['radius_km', '0']]))).toEqual({
      ok: false,
      errors: { reason: 'required', lat: 'out_of_range', radius_km: 'out_of_range' }
    });
  });

  it('reads a municipality zone and refuses one without a municipality', () => {
    expect(parseZoneForm(formOf([['kind', 'municipality'], ['municipality_code', '091'], ['reason', 'x']]))).toMatchObject({ ok: true });
    expect(parseZoneForm(formOf([['kind', 'municipality'], ['reason', 'x']]))).toEqual({ ok: false, errors: { municipality_code: 'required' } });
    expect(parseZoneForm(formOf([['reason', 'x']]))).toEqual({ ok: false, errors: { kind: 'required' } });
  });
});
