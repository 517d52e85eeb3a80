// Tells "the service could not be reached" apart from a refusal. supabase-js answers a request
// that never got a response with status 0; PostgREST answers 503 while it has no database
// connection; a gateway or proxy in front answers 502 or 504. Then nothing was written, and the
// user is told so (and the app-wide notice checks the connection), rather than shown a refusal.

export function isUnavailableStatus(status: number): boolean {
  return status === 0 || status === 502 || status === 503 || status === 504;
}
