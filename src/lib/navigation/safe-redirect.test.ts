import { describe, expect, it } from 'vitest';
import { afterSignInPath, loginUrlFor, safeRedirectPath } from './safe-redirect';

describe('redirect after sign-in stays on this site', () => {
  it('keeps a same-site path with its query and hash', () => {
    expect(safeRedirectPath('/clients?level=4#list')).toBe('/clients?level=4#list');
    expect(afterSignInPath('/facilities/abc')).toBe('/facilities/abc');
  });

  it.each([
    ['an absolute URL', 'https://evil.example/login'],
    ['a protocol-relative URL', '//evil.example'],
    ['a backslash trick', '/\\evil.example'],
    ['a backslash later in the path', '/a\\b'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path without a leading slash', 'clients'],
    ['a tab that browsers strip', '/\t/evil.example'],
    ['a newline', '/ok\n'],
    ['an empty value', ''],
    ['a missing value', null],
    ['a non-string', 42],
    ['an overlong value', `/${'a'.repeat(3000)}`]
  ])('refuses %s', (_description, value) => {
    expect(safeRedirectPath(value)).toBeNull();
    expect(afterSignInPath(value)).toBe('/');
  });

  it('normalises dot segments without leaving the site', () => {
    expect(safeRedirectPath('/a/../../b')).toBe('/b');
  });

  it('does not send a freshly signed-in user back to the login or logout page', () => {
    expect(afterSignInPath('/login?redirectTo=/x')).toBe('/');
    expect(afterSignInPath('/logout')).toBe('/');
  });

  it('builds the login URL that returns to the page asked for', () => {
    expect(loginUrlFor('/clients?level=4')).toBe('/login?redirectTo=%2Fclients%3Flevel%3D4');
    expect(loginUrlFor('/')).toBe('/login');
  });
});
