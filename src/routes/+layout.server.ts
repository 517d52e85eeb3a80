import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ cookies }) => ({
  // Whether the browser holds a session (@supabase/ssr's `sb-<ref>-auth-token` cookies, split
  // into .0, .1, … when long): the universal load creates a browser client only then. Only
  // that: the tokens themselves are read by the browser client from the cookies.
  signedIn: cookies.getAll().some(({ name }) => /^sb-.+-auth-token(\.\d+)?$/.test(name))
});
