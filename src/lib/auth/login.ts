// Sign-in form rules, kept free of SvelteKit and Supabase so they can be unit-tested.
import { z } from 'zod';

export type EmailProblem = 'required' | 'invalid';
export type PasswordProblem = 'required';

export interface LoginFieldErrors {
  email?: EmailProblem;
  password?: PasswordProblem;
}

/**
 * What the form says when Auth refuses. One reason covers both an unknown address and a wrong
 * password, so the form never tells anyone which addresses have accounts.
 */
export type LoginFailure = 'invalid_credentials' | 'too_many_attempts' | 'unavailable';

const loginSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, { error: 'required' })
    .max(320, { error: 'invalid' })
    .pipe(z.email({ error: 'invalid' })),
  password: z.string().min(1, { error: 'required' })
});

export type LoginInput = z.infer<typeof loginSchema>;

function textField(value: FormDataEntryValue | null): string {
  return typeof value === 'string' ? value : '';
}

export function parseLoginForm(
  form: FormData
): { ok: true; input: LoginInput } | { ok: false; errors: LoginFieldErrors; email: string } {
  const raw = { email: textField(form.get('email')), password: textField(form.get('password')) };
  const parsed = loginSchema.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors: LoginFieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (field === 'email' && errors.email === undefined) {
      errors.email = issue.message === 'required' ? 'required' : 'invalid';
    } else if (field === 'password' && errors.password === undefined) {
      errors.password = 'required';
    }
  }
  return { ok: false, errors, email: raw.email.trim() };
}

/** Maps an Auth error (`AuthError.code` / `.status`) to what the form may tell the user. */
export function loginFailureFor(error: { code?: string | undefined; status?: number | undefined }): LoginFailure {
  if (error.status === 429 || error.code === 'over_request_rate_limit') return 'too_many_attempts';
  switch (error.code) {
    // Not confirmed or banned would each reveal that the account exists.
    case 'invalid_credentials':
    case 'email_not_confirmed':
    case 'user_banned':
    case 'user_not_found':
    case 'validation_failed':
      return 'invalid_credentials';
  }
  if (error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 408) {
    return 'invalid_credentials';
  }
  // 5xx, timeouts and network failures: Auth is down, not the user's mistake.
  return 'unavailable';
}
