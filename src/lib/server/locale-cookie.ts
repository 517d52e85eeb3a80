import type { Cookies } from '@sveltejs/kit';
import { cookieMaxAge, cookieName, isLocale, type Locale } from '$lib/paraglide/runtime';
import { secureCookies } from './cookies';

export { isLocale, type Locale };

/**
 * Stores the language choice where Paraglide's `cookie` strategy reads it, on the server
 * (next request) and in the browser (`document.cookie`), so it must not be httpOnly.
 */
export function setLocaleCookie(cookies: Cookies, url: URL, locale: Locale): void {
  cookies.set(cookieName, locale, {
    path: '/',
    maxAge: cookieMaxAge,
    sameSite: 'lax',
    httpOnly: false,
    secure: secureCookies(url)
  });
}
