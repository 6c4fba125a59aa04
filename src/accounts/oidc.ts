import * as client from 'openid-client';
import type { OidcSettings } from './settings.js';

// Sign-in through an OpenID Connect issuer: authorization code flow with PKCE, state and nonce,
// all checked by openid-client. What comes back is the identity; who that is here is users.ts's job.

/** What the browser keeps (in a short-lived cookie) between leaving for the issuer and coming back. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
}

export class OidcStateMismatch extends Error {
  constructor() {
    super('The sign-in response does not belong to the sign-in this browser started');
    this.name = 'OidcStateMismatch';
  }
}

export interface OidcSignIn {
  start(): Promise<{ url: string; pending: PendingSignIn }>;
  /** `callbackUrl`: the whole URL the issuer sent the browser back to. */
  finish(callbackUrl: URL, pending: PendingSignIn): Promise<OidcIdentity>;
}

const loopback = new Set(['localhost', '127.0.0.1', '[::1]']);

export function createOidcSignIn(settings: OidcSettings, redirectUri: string): OidcSignIn {
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () => {
    if (!discovered) {
      const issuer = new URL(settings.issuer);
      // Plain http only to an issuer on this machine (a development or test issuer).
      const insecure = issuer.protocol === 'http:' && loopback.has(issuer.hostname);
      discovered = client.discovery(
        issuer,
        settings.clientId,
        undefined,
        client.ClientSecretBasic(settings.clientSecret),
        insecure ? { execute: [client.allowInsecureRequests] } : undefined,
      );
      // A failed discovery (issuer down) is tried again on the next sign-in.
      discovered.catch(() => (discovered = undefined));
    }
    return discovered;
  };

  return {
    async start() {
      const config = await configuration();
      const pending: PendingSignIn = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },

    async finish(callbackUrl, pending) {
      // openid-client checks the state too; checked first here to say precisely what went wrong.
      if (callbackUrl.searchParams.get('state') !== pending.state) throw new OidcStateMismatch();
      const config = await configuration();
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      let email = typeof claims.email === 'string' ? claims.email : undefined;
      let emailVerified = claims.email_verified === true;
      if (email === undefined) {
        // Many issuers give the e-mail at the userinfo endpoint only.
        const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
        email = typeof info.email === 'string' ? info.email : undefined;
        emailVerified = info.email_verified === true;
      }
      return { issuer: claims.iss, subject: claims.sub, email, emailVerified };
    },
  };
}
