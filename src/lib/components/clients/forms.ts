// Reading the client, hold, move, end and zone forms: free of SvelteKit and Supabase so the
// rules can be unit-tested. Each returns either typed values or, per field, the name of the
// problem (the page turns it into words beside the field). The database checks everything
// again; these checks only give the answer before a round trip.
import { z } from 'zod';
import { fromHelsinkiLocalInput, isDateOnly } from '$lib/domain/dates';
import { CLIENT_GENDERS, RESPONSIBLE_PARTIES, type ClientGender, type ResponsibleParty } from './text';

export type FieldProblem = 'required' | 'invalid' | 'too_long' | 'out_of_range';
export type FieldErrors<Field extends string> = Partial<Record<Field, FieldProblem>>;

type Parsed<Values, Field extends string> = { ok: true; values: Values } | { ok: false; errors: FieldErrors<Field> };

const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};
const texts = (form: FormData, name: string): string[] =>
  form.getAll(name).map((value) => (typeof value === 'string' ? value : ''));
const checked = (form: FormData, name: string): boolean => form.get(name) === 'on';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------
export interface ChildRow {
  id: string | null;
  birthYear: string;
  gender: string;
}

export interface ClientValues {
  gender: ClientGender;
  birthYear: number;
  languages: string[];
  needsAccessibility: boolean;
  needsPets: boolean;
  needsOther: string;
  safetyLevel: number;
  levelChangeReason: string;
  responsibleParty: ResponsibleParty;
  asylumSeeker: boolean;
  children: { id: string | null; birth_year: number; gender: ClientGender }[];
  caseworkerIds: string[];
}

export type ClientField =
  | 'gender'
  | 'birth_year'
  | 'languages'
  | 'needs_other'
  | 'safety_level'
  | 'level_change_reason'
  | 'responsible_party'
  | 'children'
  | 'caseworkers';

/** What the form showed, so a refused form comes back as the user left it. */
export interface ClientFormEcho {
  gender: string;
  birthYear: string;
  languages: string;
  needsAccessibility: boolean;
  needsPets: boolean;
  needsOther: string;
  safetyLevel: string;
  levelChangeReason: string;
  responsibleParty: string;
  asylumSeeker: boolean;
  children: ChildRow[];
  caseworkerIds: string[];
}

export function clientFormEcho(form: FormData): ClientFormEcho {
  const ids = texts(form, 'child_id');
  const years = texts(form, 'child_birth_year');
  const genders = texts(form, 'child_gender');
  const children: ChildRow[] = years.map((birthYear, index) => ({
    id: ids[index] && isUuid(ids[index]) ? ids[index] : null,
    birthYear: birthYear.trim(),
    gender: genders[index] ?? ''
  }));
  return {
    gender: text(form, 'gender'),
    birthYear: text(form, 'birth_year').trim(),
    languages: text(form, 'languages'),
    needsAccessibility: checked(form, 'needs_accessibility'),
    needsPets: checked(form, 'needs_pets'),
    needsOther: text(form, 'needs_other'),
    safetyLevel: text(form, 'safety_level'),
    levelChangeReason: text(form, 'level_change_reason'),
    responsibleParty: text(form, 'responsible_party'),
    asylumSeeker: checked(form, 'asylum_seeker'),
    // A blank row the user added but did not fill is not a child.
    children: children.filter((child) => child.id !== null || child.birthYear !== ''),
    caseworkerIds: texts(form, 'caseworker')
  };
}

/** Language codes as typed ("en, RU ar") to ISO 639 codes; null when one is not a code. */
export function parseLanguages(raw: string): string[] | null {
  const codes = raw
    .split(/[\s,;]+/)
    .map((code) => code.trim().toLowerCase())
    .filter((code) => code !== '');
  if (codes.some((code) => !/^[a-z]{2,3}$/.test(code))) return null;
  return [...new Set(codes)];
}

export function parseClientForm(echo: ClientFormEcho, thisYear: number, currentLevel: number | null): Parsed<ClientValues, ClientField> {
  const errors: FieldErrors<ClientField> = {};
  const gender = (CLIENT_GENDERS as readonly string[]).includes(echo.gender) ? (echo.gender as ClientGender) : null;
  if (!gender) errors.gender = 'required';

  const birthYear = /^\d{4}$/.test(echo.birthYear) ? Number(echo.birthYear) : null;
  if (echo.birthYear === '') errors.birth_year = 'required';
  else if (birthYear === null || birthYear < thisYear - 100 || birthYear > thisYear) errors.birth_year = 'out_of_range';

  const languages = parseLanguages(echo.languages);
  if (languages === null) errors.languages = 'invalid';
  else if (languages.length > 20) errors.languages = 'too_long';

  if (echo.needsOther.length > 1000) errors.needs_other = 'too_long';

  const safetyLevel = /^[1-4]$/.test(echo.safetyLevel) ? Number(echo.safetyLevel) : null;
  if (safetyLevel === null) errors.safety_level = 'required';

  const reason = echo.levelChangeReason.trim();
  if (currentLevel !== null && safetyLevel !== null && safetyLevel !== currentLevel && reason === '') {
    errors.level_change_reason = 'required';
  } else if (reason.length > 1000) errors.level_change_reason = 'too_long';

  const responsibleParty = (RESPONSIBLE_PARTIES as readonly string[]).includes(echo.responsibleParty)
    ? (echo.responsibleParty as ResponsibleParty)
    : null;
  if (!responsibleParty) errors.responsible_party = 'required';

  const children: ClientValues['children'] = [];
  for (const child of echo.children) {
    const year = /^\d{4}$/.test(child.birthYear) ? Number(child.birthYear) : null;
    const childGender = (CLIENT_GENDERS as readonly string[]).includes(child.gender) ? (child.gender as ClientGender) : null;
    if (year === null || year < thisYear - 17 || year > thisYear || childGender === null) {
      errors.children = year === null || childGender === null ? 'required' : 'out_of_range';
      continue;
    }
    children.push({ id: child.id, birth_year: year, gender: childGender });
  }
  if (echo.children.length > 15) errors.children = 'too_long';

  if (echo.caseworkerIds.some((id) => !isUuid(id))) errors.caseworkers = 'invalid';

  if (Object.keys(errors).length > 0 || !gender || birthYear === null || safetyLevel === null || !responsibleParty || languages === null) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    values: {
      gender,
      birthYear,
      languages,
      needsAccessibility: echo.needsAccessibility,
      needsPets: echo.needsPets,
      needsOther: echo.needsOther.trim(),
      safetyLevel,
      levelChangeReason: reason,
      responsibleParty,
      asylumSeeker: echo.asylumSeeker,
      children,
      caseworkerIds: [...new Set(echo.caseworkerIds)]
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Hold and move
// ---------------------------------------------------------------------------------------------
export interface HoldValues {
  facilityId: string;
  persons: string[];
  plannedArrival: string;
  plannedEnd: string | null;
  holdExpiresAt: string;
  idempotencyKey: string;
}
export type HoldField = 'persons' | 'planned_arrival' | 'planned_end' | 'hold_expires_at' | 'form';

export function parseHoldForm(form: FormData, clientId: string, now: Date): Parsed<HoldValues, HoldField> {
  const errors: FieldErrors<HoldField> = {};
  const facilityId = text(form, 'facility_id');
  const idempotencyKey = text(form, 'idempotency_key');
  if (!isUuid(facilityId) || !isUuid(idempotencyKey)) errors.form = 'invalid';

  // The client always comes; only the children are chosen.
  const children = texts(form, 'person').filter((id) => id !== clientId);
  if (children.some((id) => !isUuid(id))) errors.persons = 'invalid';

  const plannedArrival = text(form, 'planned_arrival');
  if (!isDateOnly(plannedArrival)) errors.planned_arrival = plannedArrival === '' ? 'required' : 'invalid';

  const plannedEndRaw = text(form, 'planned_end');
  const plannedEnd = plannedEndRaw === '' ? null : plannedEndRaw;
  if (plannedEnd !== null && !isDateOnly(plannedEnd)) errors.planned_end = 'invalid';
  else if (plannedEnd !== null && isDateOnly(plannedArrival) && plannedEnd <= plannedArrival) errors.planned_end = 'out_of_range';

  const deadlineRaw = text(form, 'hold_expires_at');
  const deadline = fromHelsinkiLocalInput(deadlineRaw);
  if (deadline === null) errors.hold_expires_at = deadlineRaw === '' ? 'required' : 'invalid';
  else if (deadline.getTime() <= now.getTime()) errors.hold_expires_at = 'out_of_range';

  if (Object.keys(errors).length > 0 || deadline === null) return { ok: false, errors };
  return {
    ok: true,
    values: {
      facilityId,
      persons: [clientId, ...new Set(children)],
      plannedArrival,
      plannedEnd,
      holdExpiresAt: deadline.toISOString(),
      idempotencyKey
    }
  };
}

export interface MoveValues {
  facilityId: string;
  fromPlacementId: string;
  persons: string[];
  plannedEnd: string | null;
  reason: string;
  idempotencyKey: string;
}
export type MoveField = 'persons' | 'planned_end' | 'reason' | 'form';

export function parseMoveForm(form: FormData, clientId: string, today: string): Parsed<MoveValues, MoveField> {
  const errors: FieldErrors<MoveField> = {};
  const facilityId = text(form, 'facility_id');
  const fromPlacementId = text(form, 'from_placement_id');
  const idempotencyKey = text(form, 'idempotency_key');
  if (!isUuid(facilityId) || !isUuid(fromPlacementId) || !isUuid(idempotencyKey)) errors.form = 'invalid';
  const children = texts(form, 'person').filter((id) => id !== clientId);
  if (children.some((id) => !isUuid(id))) errors.persons = 'invalid';
  const plannedEndRaw = text(form, 'planned_end');
  const plannedEnd = plannedEndRaw === '' ? null : plannedEndRaw;
  if (plannedEnd !== null && !isDateOnly(plannedEnd)) errors.planned_end = 'invalid';
  else if (plannedEnd !== null && plannedEnd <= today) errors.planned_end = 'out_of_range';
  const reason = reasonProblem(text(form, 'reason'));
  if (reason.problem) errors.reason = reason.problem;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    values: { facilityId, fromPlacementId, persons: [clientId, ...new Set(children)], plannedEnd, reason: reason.value, idempotencyKey }
  };
}

/** A required free-text reason of at most 1000 characters. */
export function reasonProblem(raw: string, required = true): { value: string; problem?: FieldProblem } {
  const value = raw.trim();
  if (required && value === '') return { value, problem: 'required' };
  if (value.length > 1000) return { value, problem: 'too_long' };
  return { value };
}

// ---------------------------------------------------------------------------------------------
// Exclusion zone
// ---------------------------------------------------------------------------------------------
export type ZoneValues =
  | { kind: 'point'; lon: number; lat: number; radiusKm: number; reason: string }
  | { kind: 'municipality'; municipalityCode: string; reason: string };
export type ZoneField = 'kind' | 'lat' | 'lon' | 'radius_km' | 'municipality_code' | 'reason';

const decimal = z
  .string()
  .trim()
  .transform((value) => value.replace(',', '.'))
  .pipe(z.string().regex(/^-?\d+(\.\d+)?$/))
  .transform(Number);

export function parseZoneForm(form: FormData): Parsed<ZoneValues, ZoneField> {
  const errors: FieldErrors<ZoneField> = {};
  const kind = text(form, 'kind');
  const reason = reasonProblem(text(form, 'reason'));
  if (reason.problem) errors.reason = reason.problem;
  if (kind === 'point') {
    const lat = decimal.safeParse(text(form, 'lat'));
    const lon = decimal.safeParse(text(form, 'lon'));
    const radius = decimal.safeParse(text(form, 'radius_km'));
    if (!lat.success) errors.lat = text(form, 'lat').trim() === '' ? 'required' : 'invalid';
    else if (lat.data < 59.5 || lat.data > 70.2) errors.lat = 'out_of_range';
    if (!lon.success) errors.lon = text(form, 'lon').trim() === '' ? 'required' : 'invalid';
    else if (lon.data < 19 || lon.data > 32) errors.lon = 'out_of_range';
    if (!radius.success) errors.radius_km = text(form, 'radius_km').trim() === '' ? 'required' : 'invalid';
    else if (radius.data < 0.1 || radius.data > 500) errors.radius_km = 'out_of_range';
    if (Object.keys(errors).length > 0 || !lat.success || !lon.success || !radius.success) return { ok: false, errors };
    return { ok: true, values: { kind, lat: lat.data, lon: lon.data, radiusKm: radius.data, reason: reason.value } };
  }
  if (kind === 'municipality') {
    const code = text(form, 'municipality_code');
    if (!/^\d{3}$/.test(code)) errors.municipality_code = 'required';
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    return { ok: true, values: { kind, municipalityCode: code, reason: reason.value } };
  }
  errors.kind = 'required';
  return { ok: false, errors };
}
