import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ cookies }) => ({
  // The universal load rebuilds the server-side Supabase client from these during SSR. Only the
  // auth cookies: nothing else the browser sends needs to be echoed into the page.
  cookies: cookies.getAll().filter(({ name }) => name.startsWith('sb-'))
});
