import { describe, expect, it } from 'vitest';
import { EXCLUDED_PAGE_SIZE, FIND_MAX_LENGTH, pageRange, readSearchState, searchQuery, SUITABLE_MAX, SUITABLE_STEP } from './search-page';

const TODAY = '2026-12-02';
const PLACEMENT = '55555555-5555-4555-8555-555555555555';
const FACILITY = '33333333-3333-4333-8333-333333333333';

const read = (query: string) => readSearchState(new URLSearchParams(query), TODAY);

describe('readSearchState', () => {
  it('gives the plain search for an empty URL', () => {
    expect(read('')).toEqual({
      arrival: TODAY, ref: '', move: '', declined: '', urgent: false,
      shown: SUITABLE_STEP, reason: null, reasonPage: 1, find: ''
    });
  });

  it('reads every part of a full URL', () => {
    expect(read(`arrival=2026-12-10&ref=398&move=${PLACEMENT}&declined=${FACILITY}&urgent&shown=100&reason=rating_too_low&page=3&find=%20Harju%20`)).toEqual({
      arrival: '2026-12-10', ref: '398', move: PLACEMENT, declined: FACILITY, urgent: true,
      shown: 100, reason: 'rating_too_low', reasonPage: 3, find: 'Harju'
    });
  });

  it('keeps the arrival date between today and a year ahead', () => {
    expect(read('arrival=2026-12-01').arrival).toBe(TODAY);
    expect(read('arrival=2027-12-02').arrival).toBe('2027-12-02');
    expect(read('arrival=2027-12-03').arrival).toBe(TODAY);
    expect(read('arrival=tomorrow').arrival).toBe(TODAY);
  });

  it('rounds the number shown up to whole steps, within the limit', () => {
    expect(read('shown=1').shown).toBe(SUITABLE_STEP);
    expect(read(`shown=${SUITABLE_STEP + 1}`).shown).toBe(2 * SUITABLE_STEP);
    expect(read('shown=99999').shown).toBe(SUITABLE_MAX);
    for (const bad of ['0', '-50', '1e3', 'many', '12345678']) expect(read(`shown=${bad}`).shown).toBe(SUITABLE_STEP);
  });

  it('lists left-out facilities only for a known reason, from page 1', () => {
    expect(read('reason=not_enough_places').reason).toBe('not_enough_places');
    expect(read('reason=no_such_rule&page=2')).toMatchObject({ reason: null, reasonPage: 1 });
    expect(read('page=4').reasonPage).toBe(1);
    expect(read('reason=no_children&page=0').reasonPage).toBe(1);
  });

  it('drops malformed ids and codes, and cuts a long name', () => {
    expect(read('move=x&declined=1234&ref=91')).toMatchObject({ move: '', declined: '', ref: '' });
    expect(read(`find=${'a'.repeat(FIND_MAX_LENGTH + 50)}`).find).toHaveLength(FIND_MAX_LENGTH);
    expect(read('find=%20%20').find).toBe('');
  });
});

describe('searchQuery', () => {
  it('writes the plain search as before, and reads back what it writes', () => {
    const plain = read('');
    expect(searchQuery(plain)).toBe(`?arrival=${TODAY}`);
    const full = read(`arrival=2026-12-10&ref=398&move=${PLACEMENT}&declined=${FACILITY}&urgent&shown=100&reason=rating_too_low&page=3&find=Harju`);
    expect(read(searchQuery(full).slice(1))).toEqual(full);
  });

  it('changes one part and keeps the rest', () => {
    const state = read(`arrival=2026-12-10&ref=398&declined=${FACILITY}&reason=no_children&page=2`);
    const more = new URLSearchParams(searchQuery(state, { shown: 100 }));
    expect(Object.fromEntries(more)).toEqual({ arrival: '2026-12-10', ref: '398', declined: FACILITY, shown: '100', reason: 'no_children', page: '2' });
    const otherReason = new URLSearchParams(searchQuery(state, { reason: 'rating_too_low', reasonPage: 1 }));
    expect(otherReason.get('reason')).toBe('rating_too_low');
    expect(otherReason.has('page')).toBe(false);
    expect(new URLSearchParams(searchQuery(state, { reason: null })).has('page')).toBe(false);
  });
});

describe('pageRange', () => {
  it('numbers the rows of a page and counts the pages', () => {
    expect(pageRange(1, EXCLUDED_PAGE_SIZE, 2985)).toEqual({ from: 1, to: 50, pages: 60 });
    expect(pageRange(60, EXCLUDED_PAGE_SIZE, 2985)).toEqual({ from: 2951, to: 2985, pages: 60 });
    expect(pageRange(99, EXCLUDED_PAGE_SIZE, 120)).toEqual({ from: 101, to: 120, pages: 3 });
    expect(pageRange(1, EXCLUDED_PAGE_SIZE, 0)).toEqual({ from: 0, to: 0, pages: 1 });
  });
});
