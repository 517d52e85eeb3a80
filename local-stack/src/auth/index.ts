// The local stack's GoTrue: /auth/v1 as hosted Supabase serves it, for the endpoints the app
// uses. The gateway (gateway.ts) has already refused requests without a valid apikey, answered
// CORS preflights and mapped `Bearer sb_...`; what arrives here is what GoTrue would receive.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthService, StackContext } from '../context.ts';
import { createUser, deleteUserById, getUserById, listUsers, updateUserById } from './admin.ts';
import { API_VERSION_2024_01_01, API_VERSION_HEADER, HttpError, notFound, unprocessable, wantsDatedErrors, writeError, writeJson } from './errors.ts';
import { type EndpointInput, getUser, logout, type Reply, token, updateUser } from './handlers.ts';
import { mfaRoutes } from './mfa.ts';
import { createSignInLimiter, DEFAULT_SIGN_IN_RATE_LIMITS, type SignInLimiter } from './rate-limit.ts';
import { clientIp, headerValue } from './request.ts';

type Route = (input: EndpointInput & { path: string }, params: string[]) => Promise<Reply>;

interface RouteEntry {
  pattern: RegExp;
  methods: Partial<Record<string, Route>>;
}

function routes(ctx: StackContext, limiter: SignInLimiter): RouteEntry[] {
  return [
    { pattern: /^\/token$/, methods: { POST: (input) => limiter.token(input, token) } },
    ...mfaRoutes(limiter),
    { pattern: /^\/user$/, methods: { GET: (input) => getUser(input), PUT: (input) => updateUser(input) } },
    { pattern: /^\/logout$/, methods: { POST: (input) => logout(input) } },
    {
      pattern: /^\/admin\/users$/,
      methods: { GET: (input) => listUsers(input), POST: (input) => createUser(input) },
    },
    {
      pattern: /^\/admin\/users\/([^/]+)$/,
      methods: {
        GET: (input, [id]) => getUserById(input, id ?? ''),
        PUT: (input, [id]) => updateUserById(input, id ?? ''),
        DELETE: (input, [id]) => deleteUserById(input, id ?? ''),
      },
    },
    {
      pattern: /^\/\.well-known\/jwks\.json$/,
      methods: {
        GET: async () => ({ status: 200, body: ctx.keys.publicJwks, headers: { 'Cache-Control': 'public, max-age=600' } }),
      },
    },
    {
      pattern: /^\/health$/,
      methods: {
        GET: async () => ({
          status: 200,
          body: { version: 'local-stack', name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' },
        }),
      },
    },
    { pattern: /^\/settings$/, methods: { GET: async () => ({ status: 200, body: settings() }) } },
    {
      // Sign-up needs email confirmation flows, which the local stack leaves out; /settings says
      // so (disable_signup) and this is GoTrue's answer when sign-ups are disabled.
      pattern: /^\/signup$/,
      methods: {
        POST: async () => {
          throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
        },
      },
    },
  ];
}

/** GoTrue's /settings for what this stack offers: email and password only. */
function settings(): Record<string, unknown> {
  const providers = [
    'anonymous_users', 'apple', 'azure', 'bitbucket', 'discord', 'facebook', 'snapchat', 'figma', 'fly', 'github',
    'gitlab', 'google', 'keycloak', 'kakao', 'linkedin', 'linkedin_oidc', 'notion', 'spotify', 'slack', 'slack_oidc',
    'workos', 'twitch', 'twitter', 'email', 'phone', 'zoom',
  ];
  return {
    external: Object.fromEntries(providers.map((provider) => [provider, provider === 'email'])),
    disable_signup: true,
    mailer_autoconfirm: false,
    phone_autoconfirm: false,
    sms_provider: '',
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  };
}

/** A malformed escape cannot name a user; leaving it as sent makes it fail the UUID check (404). */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function createAuthService(ctx: StackContext): AuthService {
  const table = routes(ctx, createSignInLimiter(ctx.config.signInRateLimits ?? DEFAULT_SIGN_IN_RATE_LIMITS));
  const log = (message: string) => ctx.log('auth', message);

  async function handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const datedErrors = wantsDatedErrors(headerValue(req, API_VERSION_HEADER));
    res.setHeader(API_VERSION_HEADER, API_VERSION_2024_01_01);
    // GoTrue's routes are mounted with and without a trailing slash.
    const routePath = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path || '/';
    try {
      const method = (req.method ?? 'GET').toUpperCase();
      for (const entry of table) {
        const match = entry.pattern.exec(routePath);
        if (!match) continue;
        const route = entry.methods[method === 'HEAD' ? 'GET' : method];
        if (!route) {
          res.setHeader('Allow', Object.keys(entry.methods).join(', '));
          throw new HttpError(405, 'validation_failed', `Method ${method} not allowed on ${routePath}`);
        }
        const input = { ctx, req, query, client: { ip: clientIp(req), userAgent: headerValue(req, 'user-agent') ?? null }, path: routePath };
        const reply = await route(input, match.slice(1).map(decodePathSegment));
        if (reply.status === 204 || reply.body === undefined) {
          res.statusCode = reply.status;
          for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
          res.end();
        } else {
          writeJson(res, reply.status, reply.body, reply.headers);
        }
        return;
      }
      throw notFound('not_found', `No such Auth endpoint: ${routePath}`);
    } catch (error) {
      if (res.headersSent) {
        log(`error after the response started: ${error instanceof Error ? error.message : String(error)}`);
        res.destroy();
        return;
      }
      writeError(res, error, datedErrors, log);
    }
  }

  return {
    handle,
    // The pool belongs to the stack core, which ends it; nothing here outlives a request.
    close: async () => {},
  };
}
