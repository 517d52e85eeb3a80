import { describe, expect, it } from 'vitest';
import { fieldForCapacityCode, parseCapacityForm } from './capacity-form';

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.set(name, value);
  return data;
}

const valid = { capacity: '12', out_of_service: '1', out_of_service_reason: ' Vesivahinko ', occupied_by_others: '2' };

describe('the capacity form', () => {
  it('accepts whole numbers within capacity and trims the reason', () => {
    expect(parseCapacityForm(form(valid))).toEqual({
      ok: true,
      input: { capacity: 12, out_of_service: 1, out_of_service_reason: 'Vesivahinko', occupied_by_others: 2 }
    });
  });

  it('sends no reason when no places are out of service and the reason is blank', () => {
    const parsed = parseCapacityForm(form({ ...valid, out_of_service: '0', out_of_service_reason: '   ' }));
    expect(parsed.ok && parsed.input.out_of_service_reason).toBeNull();
  });

  it('refuses an empty or non-numeric capacity, beside the capacity field', () => {
    expect(parseCapacityForm(form({ ...valid, capacity: '' }))).toMatchObject({ ok: false, errors: { capacity: 'required' } });
    for (const typed of ['abc', '2.5', '1e3', '12 paikkaa']) {
      expect(parseCapacityForm(form({ ...valid, capacity: typed })), typed).toMatchObject({
        ok: false,
        errors: { capacity: 'not_whole_number' }
      });
    }
  });

  it('refuses a negative capacity or one above 10 000', () => {
    expect(parseCapacityForm(form({ ...valid, capacity: '-1' }))).toMatchObject({ errors: { capacity: 'invalid_capacity' } });
    expect(parseCapacityForm(form({ ...valid, capacity: '10001' }))).toMatchObject({ errors: { capacity: 'invalid_capacity' } });
  });

  it('refuses more places out of service than the facility has', () => {
    expect(parseCapacityForm(form({ ...valid, capacity: '3', out_of_service: '4' }))).toMatchObject({
      ok: false,
      errors: { out_of_service: 'invalid_out_of_service' }
    });
  });

  it('asks for a reason when places are out of service', () => {
    expect(parseCapacityForm(form({ ...valid, out_of_service_reason: '' }))).toMatchObject({
      ok: false,
      errors: { out_of_service_reason: 'out_of_service_reason_required' }
    });
  });

  it('refuses a reason longer than 500 characters', () => {
    expect(parseCapacityForm(form({ ...valid, out_of_service_reason: 'x'.repeat(501) }))).toMatchObject({
      errors: { out_of_service_reason: 'reason_too_long' }
    });
  });

  it('refuses out-of-service and occupied-by-others places that add up to more than the capacity', () => {
    expect(parseCapacityForm(form({ ...valid, capacity: '5', out_of_service: '3', occupied_by_others: '3' }))).toMatchObject({
      errors: { occupied_by_others: 'figures_exceed_capacity' }
    });
  });

  it('gives back what the user typed, so a correction starts from their entries', () => {
    const parsed = parseCapacityForm(form({ ...valid, capacity: 'kaksitoista' }));
    expect(parsed.ok === false && parsed.values.capacity).toBe('kaksitoista');
  });

  it('puts each database refusal of update_capacity beside the field it concerns', () => {
    expect(fieldForCapacityCode('invalid_capacity')).toEqual({ field: 'capacity', problem: 'invalid_capacity' });
    expect(fieldForCapacityCode('out_of_service_reason_required')?.field).toBe('out_of_service_reason');
    expect(fieldForCapacityCode('figures_exceed_capacity')?.field).toBe('occupied_by_others');
    expect(fieldForCapacityCode('facility_not_found')).toBeNull();
  });
});
