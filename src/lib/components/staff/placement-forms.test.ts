import { describe, expect, it } from 'vitest';
import { parseDecision, parseReason, placementIdFrom, rpcErrorCode } from './placement-forms';

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.set(name, value);
  return data;
}

describe('the hold, arrival and departure forms', () => {
  it('takes only a well-formed placement id', () => {
    expect(placementIdFrom(form({ placement_id: 'F0000000-0000-4000-8000-000000000003' }))).toBe('f0000000-0000-4000-8000-000000000003');
    expect(placementIdFrom(form({ placement_id: "1' or '1'='1" }))).toBeNull();
    expect(placementIdFrom(form({}))).toBeNull();
  });

  it('needs a reason of 1 to 1000 characters, trimmed', () => {
    expect(parseReason(form({ reason: '  Muutti omaan asuntoon ' }))).toEqual({ ok: true, reason: 'Muutti omaan asuntoon' });
    expect(parseReason(form({ reason: '   ' }))).toMatchObject({ ok: false, problem: 'reason_required' });
    expect(parseReason(form({ reason: 'x'.repeat(1001) }))).toMatchObject({ ok: false, problem: 'reason_too_long' });
  });

  it('knows only accept and decline', () => {
    expect(parseDecision(form({ decision: 'accept' }))).toBe('accept');
    expect(parseDecision(form({ decision: 'decline' }))).toBe('decline');
    expect(parseDecision(form({ decision: 'maybe' }))).toBeNull();
  });

  it('reads a code only from the RPCs’ own errors, never from other failures', () => {
    expect(rpcErrorCode({ code: 'P0001', message: 'hold_expired' })).toBe('hold_expired');
    expect(rpcErrorCode({ code: '22P02', message: 'invalid input syntax for type uuid' })).toBeNull();
    expect(rpcErrorCode({ code: 'P0001', message: 'Something with spaces' })).toBeNull();
    expect(rpcErrorCode(null)).toBeNull();
  });
});
