// The capacity form's rules, mirrored from public.update_capacity so that a mistake is shown
// beside its field before the database is asked; the database stays the judge (its codes are
// mapped to the same fields by fieldForCapacityCode). Free of SvelteKit and Supabase for tests.
import { z } from 'zod';

export const CAPACITY_MAX = 10_000;
export const OUT_OF_SERVICE_REASON_MAX = 500;

export type CapacityField = 'capacity' | 'out_of_service' | 'out_of_service_reason' | 'occupied_by_others';

/**
 * Problem codes shown beside a field. Most are the database's own codes, so one translation
 * serves both the form's check and the RPC's refusal.
 */
export type CapacityProblem =
  | 'required'
  | 'not_whole_number'
  | 'invalid_capacity'
  | 'invalid_out_of_service'
  | 'out_of_service_reason_required'
  | 'reason_too_long'
  | 'invalid_occupied_by_others'
  | 'figures_exceed_capacity';

export type CapacityFieldErrors = Partial<Record<CapacityField, CapacityProblem>>;

export interface CapacityInput {
  capacity: number;
  out_of_service: number;
  out_of_service_reason: string | null;
  occupied_by_others: number;
}

/** What the user typed, echoed back on an error so nothing they wrote is lost. */
export type CapacityFormValues = Record<CapacityField, string>;

const wholeNumber = z
  .string()
  .trim()
  .min(1, { error: 'required' })
  // Digits only: "1e3", "2.5", "-1" and "12 " typed by accident are refused, not guessed at.
  .regex(/^-?\d+$/, { error: 'not_whole_number' })
  .transform(Number);

const capacitySchema = z
  .object({
    capacity: wholeNumber.pipe(z.number().int().min(0, { error: 'invalid_capacity' }).max(CAPACITY_MAX, { error: 'invalid_capacity' })),
    out_of_service: wholeNumber.pipe(z.number().int().min(0, { error: 'invalid_out_of_service' })),
    out_of_service_reason: z
      .string()
      .trim()
      .max(OUT_OF_SERVICE_REASON_MAX, { error: 'reason_too_long' })
      .transform((value) => (value.length === 0 ? null : value)),
    occupied_by_others: wholeNumber.pipe(z.number().int().min(0, { error: 'invalid_occupied_by_others' }))
  })
  .superRefine((input, context) => {
    if (input.out_of_service > input.capacity) {
      context.addIssue({ code: 'custom', path: ['out_of_service'], message: 'invalid_out_of_service' });
    }
    if (input.out_of_service > 0 && input.out_of_service_reason === null) {
      context.addIssue({ code: 'custom', path: ['out_of_service_reason'], message: 'out_of_service_reason_required' });
    }
    if (input.occupied_by_others > input.capacity) {
      context.addIssue({ code: 'custom', path: ['occupied_by_others'], message: 'invalid_occupied_by_others' });
    } else if (input.out_of_service <= input.capacity && input.out_of_service + input.occupied_by_others > input.capacity) {
      context.addIssue({ code: 'custom', path: ['occupied_by_others'], message: 'figures_exceed_capacity' });
    }
  });

const FIELDS: readonly CapacityField[] = ['capacity', 'out_of_service', 'out_of_service_reason', 'occupied_by_others'];

const PROBLEMS: ReadonlySet<string> = new Set<CapacityProblem>([
  'required',
  'not_whole_number',
  'invalid_capacity',
  'invalid_out_of_service',
  'out_of_service_reason_required',
  'reason_too_long',
  'invalid_occupied_by_others',
  'figures_exceed_capacity'
]);

function textField(value: FormDataEntryValue | null): string {
  return typeof value === 'string' ? value : '';
}

export function capacityFormValues(form: FormData): CapacityFormValues {
  return {
    capacity: textField(form.get('capacity')),
    out_of_service: textField(form.get('out_of_service')),
    out_of_service_reason: textField(form.get('out_of_service_reason')),
    occupied_by_others: textField(form.get('occupied_by_others'))
  };
}

export function parseCapacityForm(
  form: FormData
): { ok: true; input: CapacityInput } | { ok: false; errors: CapacityFieldErrors; values: CapacityFormValues } {
  const values = capacityFormValues(form);
  const parsed = capacitySchema.safeParse(values);
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors: CapacityFieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = FIELDS.find((name) => name === issue.path[0]);
    if (!field || errors[field] !== undefined) continue;
    errors[field] = PROBLEMS.has(issue.message) ? (issue.message as CapacityProblem) : 'not_whole_number';
  }
  return { ok: false, errors, values };
}

/** The field a database refusal of update_capacity belongs beside; null = the whole form. */
export function fieldForCapacityCode(code: string): { field: CapacityField; problem: CapacityProblem } | null {
  switch (code) {
    case 'invalid_capacity':
      return { field: 'capacity', problem: 'invalid_capacity' };
    case 'invalid_out_of_service':
      return { field: 'out_of_service', problem: 'invalid_out_of_service' };
    case 'out_of_service_reason_required':
      return { field: 'out_of_service_reason', problem: 'out_of_service_reason_required' };
    case 'reason_too_long':
      return { field: 'out_of_service_reason', problem: 'reason_too_long' };
    case 'invalid_occupied_by_others':
      return { field: 'occupied_by_others', problem: 'invalid_occupied_by_others' };
    case 'figures_exceed_capacity':
      return { field: 'occupied_by_others', problem: 'figures_exceed_capacity' };
    default:
      return null;
  }
}
