import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

// A real OpenID Connect issuer (panva's oidc-provider) on a local port, for sign-in tests. Its login
// page is replaced by `logInAs`: whoever the test says is at the keyboard signs in at once.

/** The issuer's storage: a Map, as its own development adapter, without its warning. */
class MemoryAdapter {
  private static readonly rows = new Map<string, { payload: Record<string, unknown>; expiresAt: number }>();
  constructor(private readonly model: string) {}
  private key = (id: string) => `${this.model}:${id}`;
  private live(key: string) {
    const row = MemoryAdapter.rows.get(key);
    return row && row.expiresAt > Date.now() ? row.payload : undefined;
  }
  async upsert(id: string, payload: Record<string, unknown>, expiresIn: number) {
    MemoryAdapter.rows.set(this.key(id), { payload, expiresAt: Date.now() + expiresIn * 1000 });
    for (const [name, value] of [['uid', payload.uid], ['userCode', payload.userCode]] as const) {
      if (typeof value === 'string') MemoryAdapter.rows.set(`${this.model}:${name}:${value}`, { payload, expiresAt: Date.now() + expiresIn * 1000 });
    }
  }
  async find(id: string) {
    return this.live(this.key(id));
  }
  async findByUid(uid: string) {
    return this.live(`${this.model}:uid:${uid}`);
  }
  async findByUserCode(userCode: string) {
    return this.live(`${this.model}:userCode:${userCode}`);
  }
  async consume(id: string) {
    const payload = this.live(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    MemoryAdapter.rows.delete(this.key(id));
  }
  async revokeByGrantId(grantId: string) {
    for (const [key, row] of MemoryAdapter.rows) if (row.payload.grantId === grantId) MemoryAdapter.rows.delete(key);
  }
}

export interface IdpAccount {
  subject: string;
  email: string;
  emailVerified: boolean;
}

export interface TestIssuer extends AsyncDisposable {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The person who signs in at the issuer next. */
  logInAs(account: IdpAccount): void;
}

/** `host`: the name the issuer is reached by (it listens on 127.0.0.1; `localhost` makes it another site). */
export async function startTestIssuer(redirectUri: string, host: '127.0.0.1' | 'localhost' = '127.0.0.1'): Promise<TestIssuer> {
  const accounts = new Map<string, IdpAccount>();
  let next: IdpAccount | undefined;
  const clientId = 'pilotline';
  const clientSecret = randomBytes(24).toString('base64url');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], response_types: ['code'], grant_types: ['authorization_code'] }],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'test' }] as never },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: false } },
    // Set, so the issuer does not warn about its defaults on every test run.
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    adapter: MemoryAdapter,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // A first-party issuer: no consent screen.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account
        ? { accountId: sub, claims: () => ({ sub, email: account.email, email_verified: account.emailVerified }) }
        : undefined;
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) return void callback(req, res);
    void (async () => {
      await provider.interactionDetails(req, res);
      if (!next) throw new Error('the test did not say who logs in at the issuer');
      accounts.set(next.subject, next);
      await provider.interactionFinished(req, res, { login: { accountId: next.subject } }, { mergeWithLastSubmission: false });
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    logInAs: (account) => (next = account),
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Just enough of a browser for redirects across two sites: a cookie jar per host, no JavaScript. */
export class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  header(url: URL): string {
    return [...(this.jars.get(url.host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(url: URL, setCookies: readonly string[]): void {
    const jar = this.jars.get(url.host) ?? new Map<string, string>();
    this.jars.set(url.host, jar);
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      const expired = /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0\b/i.test(line);
      if (!value || expired) jar.delete(name);
      else jar.set(name, value);
    }
  }
}
