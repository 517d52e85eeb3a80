// What the safe-place search screen shows is in its URL, so every view of it is a plain link
// (works without JavaScript, survives a reload, can be bookmarked): the arrival date and the
// reference municipality, how many suitable places are shown, which reason's left-out
// facilities are listed and which page of them, and the name asked about ("why is <name> not
// offered?"). This module reads those parameters and writes the links; free of SvelteKit.
import { addCalendarDays, isDateOnly } from '$lib/domain/dates';
import { isUuid } from './forms';

/** Suitable places shown at first and added by each "show more". */
export const SUITABLE_STEP = 50;
/** The most suitable places one page shows (the database's limit too). */
export const SUITABLE_MAX = 1000;
/** Left-out facilities per page of one reason. */
export const EXCLUDED_PAGE_SIZE = 50;
/** Facilities listed for a name (the database says when more match). */
export const FOUND_MAX = 20;
/** The longest name part searched for (the database refuses longer). */
export const FIND_MAX_LENGTH = 200;

/** The fit rules' codes in the order the database checks them (private.fit_refusals), then capacity. */
export const REFUSAL_CODES = [
  'facility_inactive',
  'rating_too_low',
  'inside_exclusion_zone',
  'marked_unsuitable',
  'gender_policy',
  'no_children',
  'boy_too_old',
  'not_enough_places'
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export const isRefusalCode = (value: string): value is RefusalCode => (REFUSAL_CODES as readonly string[]).includes(value);

export interface SearchState {
  arrival: string;
  /** Municipality code of the reference point, or '' for anywhere. */
  ref: string;
  /** Placement id when the search is for a move, else ''. */
  move: string;
  /** The facility that declined the last hold, else ''. */
  declined: string;
  urgent: boolean;
  /** How many suitable places to show: a multiple of SUITABLE_STEP. */
  shown: number;
  /** Whose left-out facilities to list, or null for none. */
  reason: RefusalCode | null;
  /** 1-based page of that reason's list. */
  reasonPage: number;
  /** The name (or part of it) asked about, trimmed; '' for none. */
  find: string;
}

function positiveInt(value: string | null): number | null {
  if (value === null || !/^\d{1,7}$/.test(value)) return null;
  const number = Number(value);
  return number >= 1 ? number : null;
}

/** The screen's state from its URL; anything malformed falls back to the default view. */
export function readSearchState(params: URLSearchParams, today: string): SearchState {
  const arrivalParam = params.get('arrival') ?? '';
  const arrival = isDateOnly(arrivalParam) && arrivalParam >= today && arrivalParam <= addCalendarDays(today, 365) ? arrivalParam : today;
  const shownParam = positiveInt(params.get('shown'));
  const shown = shownParam === null ? SUITABLE_STEP : Math.min(SUITABLE_MAX, Math.ceil(shownParam / SUITABLE_STEP) * SUITABLE_STEP);
  const reasonParam = params.get('reason') ?? '';
  const reason = isRefusalCode(reasonParam) ? reasonParam : null;
  const declined = params.get('declined') ?? '';
  return {
    arrival,
    ref: /^\d{3}$/.test(params.get('ref') ?? '') ? (params.get('ref') as string) : '',
    move: isUuid(params.get('move') ?? '') ? (params.get('move') as string) : '',
    declined: isUuid(declined) ? declined : '',
    urgent: params.has('urgent'),
    shown,
    reason,
    reasonPage: reason ? (positiveInt(params.get('page')) ?? 1) : 1,
    find: (params.get('find') ?? '').trim().slice(0, FIND_MAX_LENGTH)
  };
}

/**
 * The query string of a view of the screen: the current state with some parts changed. Default
 * values are left out, so the plain search stays `?arrival=…` as before.
 */
export function searchQuery(state: SearchState, changes: Partial<SearchState> = {}): string {
  const next = { ...state, ...changes };
  const params = new URLSearchParams();
  params.set('arrival', next.arrival);
  if (next.ref) params.set('ref', next.ref);
  if (next.move) params.set('move', next.move);
  if (next.declined) params.set('declined', next.declined);
  if (next.urgent) params.set('urgent', '');
  if (next.shown !== SUITABLE_STEP) params.set('shown', String(next.shown));
  if (next.reason) {
    params.set('reason', next.reason);
    if (next.reasonPage > 1) params.set('page', String(next.reasonPage));
  }
  if (next.find) params.set('find', next.find);
  return `?${params.toString()}`;
}

/** The 1-based range of rows a page of a list shows, e.g. 51–100 of 2,985. */
export function pageRange(page: number, pageSize: number, total: number): { from: number; to: number; pages: number } {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  return { from: total === 0 ? 0 : (current - 1) * pageSize + 1, to: Math.min(total, current * pageSize), pages };
}
