import type { CapacityFieldErrors, CapacityFormValues } from './capacity-form';
import type { ReasonProblem } from './placement-forms';

/** Which form a result belongs to, so its message shows beside that form and nowhere else. */
export type StaffFormName = 'capacity' | 'confirm' | 'respond' | 'arrive' | 'end';

/** What every staff form action returns (with fail() on refusal). */
export interface StaffActionResult {
  form: StaffFormName;
  placementId?: string;
  /** a done action, announced in the form's status line */
  done?: 'capacity_saved' | 'confirmed' | 'accepted' | 'declined' | 'arrived' | 'ended';
  /** a refusal of the whole form: a database code, or 'unknown' */
  failure?: string;
  capacityErrors?: CapacityFieldErrors;
  capacityValues?: CapacityFormValues;
  reasonProblem?: ReasonProblem;
  reasonValue?: string;
}
