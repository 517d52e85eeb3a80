// Where the app may send someone after sign-in or a language change. Only paths on this site:
// an open redirect on a login page is a classic phishing aid.

const PLACEHOLDER_ORIGIN = 'http://suoja.invalid';
const MAX_LENGTH = 2048;
/** Pages that would loop or undo the action that redirected here. */
const NOT_AFTER_SIGN_IN = new Set(['/login', '/logout', '/language']);

/**
 * The same-site relative path (with query and hash) that `value` names, or null when it is
 * missing, absolute, protocol-relative (`//evil.example`), contains backslashes or control
 * characters (browsers read `/\evil.example` as another host), or is too long.
 */
export function safeRedirectPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return null;
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return null;
  let parsed: URL;
  try {
    parsed = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return null;
  }
  if (parsed.origin !== PLACEHOLDER_ORIGIN) return null;
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/** The page to land on after signing in: the requested one when safe, otherwise home. */
export function afterSignInPath(value: unknown): string {
  const path = safeRedirectPath(value);
  if (path === null) return '/';
  const pathname = path.split(/[?#]/, 1)[0] ?? '/';
  return NOT_AFTER_SIGN_IN.has(pathname) ? '/' : path;
}

/** The login URL that brings the user back to `pathAndQuery` afterwards. */
export function loginUrlFor(pathAndQuery: string): string {
  const target = afterSignInPath(pathAndQuery);
  return target === '/' ? '/login' : `/login?redirectTo=${encodeURIComponent(target)}`;
}
