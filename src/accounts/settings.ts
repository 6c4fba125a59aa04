// How sign-in behaves, from the configuration (src/runtime/config.ts) or a test.

export interface OidcSettings {
  /** The issuer's identifier (its discovery document is at /.well-known/openid-configuration). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The button's words: "Sign in with <label>". */
  label: string;
}

export interface AuthSettings {
  /** Where people reach Pilotline, without a trailing slash: links and the OIDC redirect start here. */
  publicUrl: string;
  sessionTtlMs: number;
  /** Sign-in attempts (password, link, password change) per client address per minute. */
  signInAttemptsPerMinute: number;
  /** How long a node remembers who holds a bearer token; a revocation elsewhere takes effect within it. */
  tokenCacheMs: number;
  oidc: OidcSettings | undefined;
}

export function authSettings(overrides: Partial<AuthSettings> = {}): AuthSettings {
  return {
    publicUrl: 'http://127.0.0.1:3000',
    sessionTtlMs: 12 * 3_600_000,
    signInAttemptsPerMinute: 10,
    tokenCacheMs: 5_000,
    oidc: undefined,
    ...overrides,
  };
}

/** Cookies are Secure when people reach Pilotline over https. */
export function secureCookies(settings: AuthSettings): boolean {
  return settings.publicUrl.startsWith('https:');
}

/** `__Host-` makes the browser refuse the cookie from any other host or path (https only). */
export function sessionCookieName(settings: AuthSettings): string {
  return secureCookies(settings) ? '__Host-pilotline_session' : 'pilotline_session';
}

export const oidcCallbackPath = '/auth/oidc/callback';
export const oidcStartPath = '/auth/oidc/start';
