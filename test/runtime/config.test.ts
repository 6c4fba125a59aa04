import { describe, expect, it } from 'vitest';
import { PilotlineError } from '../../src/errors.js';
import { loadConfig, redactUrl } from '../../src/runtime/config.js';

function configError(env: Record<string, string>): PilotlineError {
  try {
    loadConfig(env, '/srv/pilotline');
  } catch (err) {
    if (err instanceof PilotlineError) return err;
    throw err;
  }
  throw new Error('expected a configuration error');
}

describe('loadConfig', () => {
  it('fills defaults: embedded database and Temporal, data in ./.pilotline, port 3000', () => {
    const config = loadConfig({}, '/srv/pilotline');
    expect(config).toMatchObject({
      databaseUrl: undefined,
      dataDir: '/srv/pilotline/.pilotline',
      temporal: { address: undefined, namespace: 'default', taskQueue: 'pilotline' },
      http: { host: '127.0.0.1', port: 3000 },
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        DATABASE_URL: 'postgresql://u:p@db:5432/pilotline',
        PILOTLINE_DATA_DIR: '/var/lib/pilotline',
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        TEMPORAL_NAMESPACE: 'pilotline-prod',
        TEMPORAL_TASK_QUEUE: 'bookings',
        PORT: '8080',
        LOG_LEVEL: 'warn',
      },
      '/srv',
    );
    expect(config).toMatchObject({
      databaseUrl: 'postgresql://u:p@db:5432/pilotline',
      dataDir: '/var/lib/pilotline',
      temporal: { address: 'temporal.internal:7233', namespace: 'pilotline-prod', taskQueue: 'bookings' },
      http: { port: 8080 },
      logLevel: 'warn',
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', TEMPORAL_ADDRESS: ' ' }, '/srv')).toMatchObject({
      databaseUrl: undefined,
      temporal: { address: undefined },
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL'],
    [{ TEMPORAL_ADDRESS: 'http://temporal' }, 'TEMPORAL_ADDRESS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('refuses %o naming %s', (env, variable) => {
    const err = configError(env);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.issues?.map((i) => i.field)).toEqual([variable]);
    expect(err.message).toContain(variable);
  });

  it('names every bad variable at once', () => {
    const err = configError({ PORT: '0', LOG_LEVEL: 'loud' });
    expect(err.issues?.map((i) => i.field).sort()).toEqual(['LOG_LEVEL', 'PORT']);
  });

  it('derives sign-in settings: the public URL from HOST and PORT, 12 h sessions, no identity provider', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }, '/srv').auth).toEqual({
      publicUrl: 'http://127.0.0.1:8080',
      sessionTtlMs: 12 * 3_600_000,
      signInAttemptsPerMinute: 10,
      tokenCacheMs: 5_000,
      oidc: undefined,
    });
  });

  it('reads the public URL, the session lifetime and the identity provider', () => {
    const { auth } = loadConfig(
      {
        PUBLIC_URL: 'https://pilotline.example.org/',
        SESSION_TTL_HOURS: '8',
        SIGN_IN_ATTEMPTS_PER_MINUTE: '5',
        TOKEN_CACHE_SECONDS: '0.5',
        OIDC_ISSUER: 'https://login.institute.example/realms/staff',
        OIDC_CLIENT_ID: 'pilotline',
        OIDC_CLIENT_SECRET: 's3cret',
      },
      '/srv',
    );
    expect(auth).toEqual({
      publicUrl: 'https://pilotline.example.org',
      sessionTtlMs: 8 * 3_600_000,
      signInAttemptsPerMinute: 5,
      tokenCacheMs: 500,
      oidc: {
        issuer: 'https://login.institute.example/realms/staff',
        clientId: 'pilotline',
        clientSecret: 's3cret',
        label: 'login.institute.example',
      },
    });
  });

  it.each([
    [{ PUBLIC_URL: 'pilotline.example.org' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'https://example.org/pilotline' }, 'PUBLIC_URL'],
    [{ SESSION_TTL_HOURS: '0' }, 'SESSION_TTL_HOURS'],
    [{ SESSION_TTL_HOURS: 'a day' }, 'SESSION_TTL_HOURS'],
    [{ TOKEN_CACHE_SECONDS: '90' }, 'TOKEN_CACHE_SECONDS'],
    [{ OIDC_ISSUER: 'ftp://login.example', OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b' }, 'OIDC_ISSUER'],
  ])('refuses sign-in setting %o naming %s', (env, variable) => {
    expect(configError(env).issues?.map((i) => i.field)).toEqual([variable]);
  });

  it('sizes a node: worker slots and cache, shutdown grace, pool, HTTP drain (defaults, then as set)', () => {
    const defaults = loadConfig({}, '/srv');
    expect(defaults.worker).toEqual({ workflowTasks: 40, localActivities: 40, activities: 40, cachedWorkflows: 2_000, shutdownGraceMs: 10_000 });
    expect([defaults.databasePoolSize, defaults.http.drainMs]).toEqual([10, 30_000]);
    const sized = loadConfig(
      {
        WORKER_WORKFLOW_TASKS: '8',
        WORKER_LOCAL_ACTIVITIES: '16',
        WORKER_ACTIVITIES: '4',
        WORKER_CACHED_WORKFLOWS: '0',
        WORKER_SHUTDOWN_GRACE_SECONDS: '2.5',
        DATABASE_POOL_SIZE: '25',
        HTTP_DRAIN_SECONDS: '0',
      },
      '/srv',
    );
    expect(sized.worker).toEqual({ workflowTasks: 8, localActivities: 16, activities: 4, cachedWorkflows: 0, shutdownGraceMs: 2_500 });
    expect([sized.databasePoolSize, sized.http.drainMs]).toEqual([25, 0]);
  });

  it.each([
    [{ WORKER_WORKFLOW_TASKS: '0' }, 'WORKER_WORKFLOW_TASKS'],
    [{ WORKER_LOCAL_ACTIVITIES: '1.5' }, 'WORKER_LOCAL_ACTIVITIES'],
    [{ WORKER_ACTIVITIES: 'many' }, 'WORKER_ACTIVITIES'],
    [{ WORKER_CACHED_WORKFLOWS: '-1' }, 'WORKER_CACHED_WORKFLOWS'],
    [{ WORKER_SHUTDOWN_GRACE_SECONDS: '-1' }, 'WORKER_SHUTDOWN_GRACE_SECONDS'],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE'],
    [{ HTTP_DRAIN_SECONDS: 'a minute' }, 'HTTP_DRAIN_SECONDS'],
  ])('refuses node sizing %o naming %s', (env, variable) => {
    expect(configError(env).issues?.map((i) => i.field)).toEqual([variable]);
  });

  it('wants the identity provider whole: names the missing variables', () => {
    const err = configError({ OIDC_ISSUER: 'https://login.example' });
    expect(err.issues?.map((i) => i.field).sort()).toEqual(['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']);
    expect(err.message).toContain('OIDC_CLIENT_SECRET: is needed with OIDC_ISSUER');
  });

  it('writes mail as .eml files into the data folder without SMTP_HOST, links to http://127.0.0.1:PORT without PUBLIC_URL', () => {
    const config = loadConfig({ PORT: '8080' }, '/srv/pilotline');
    expect(config.mail).toEqual({ transport: { kind: 'files', dir: '/srv/pilotline/.pilotline/mail' }, from: 'Pilotline <pilotline@localhost>' });
    expect(config.publicUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://pilotline.example.org/' }, '/srv').publicUrl).toBe('https://pilotline.example.org');
  });

  it('reads the SMTP server, its TLS mode and credentials', () => {
    const env = { SMTP_HOST: 'smtp.example.org', SMTP_USER: 'pilotline', SMTP_PASSWORD: 's3cret', MAIL_FROM: 'Pilotline <pilotline@example.org>' };
    expect(loadConfig(env, '/srv').mail).toEqual({
      transport: { kind: 'smtp', host: 'smtp.example.org', port: 587, tls: 'starttls', auth: { user: 'pilotline', pass: 's3cret' } },
      from: 'Pilotline <pilotline@example.org>',
    });
    expect(loadConfig({ ...env, SMTP_PORT: '465' }, '/srv').mail.transport).toMatchObject({ port: 465, tls: 'implicit' });
    expect(loadConfig({ ...env, SMTP_PORT: '25', SMTP_TLS: 'none', SMTP_USER: '', SMTP_PASSWORD: '' }, '/srv').mail.transport).toMatchObject({ port: 25, tls: 'none', auth: undefined });
  });

  it.each([
    [{ SMTP_HOST: 'smtp.example.org' }, 'MAIL_FROM'],
    [{ SMTP_HOST: 'smtp.example.org', MAIL_FROM: 'pilotline@example.org', SMTP_USER: 'pilotline' }, 'SMTP_PASSWORD'],
    [{ SMTP_HOST: 'smtp.example.org', MAIL_FROM: 'pilotline@example.org', SMTP_PASSWORD: 'x' }, 'SMTP_USER'],
    [{ MAIL_FROM: 'not an address' }, 'MAIL_FROM'],
    [{ SMTP_TLS: 'ssl' }, 'SMTP_TLS'],
    [{ SMTP_HOST: 'smtp example' }, 'SMTP_HOST'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'https://x.org/app' }, 'PUBLIC_URL'],
  ])('refuses mail settings %o naming %s', (env, variable) => {
    const err = configError(env);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.issues?.map((i) => i.field)).toEqual([variable]);
  });

  it('never puts the SMTP password in an error', () => {
    const err = configError({ SMTP_HOST: 'smtp.example.org', SMTP_PASSWORD: 'hunter2-secret', SMTP_USER: 'u' });
    expect(JSON.stringify({ message: err.message, issues: err.issues })).not.toContain('hunter2-secret');
  });

  it('never prints a database password', () => {
    expect(redactUrl('postgresql://pilotline:s3cret@127.0.0.1:5432/pilotline')).toBe('postgresql://pilotline:***@127.0.0.1:5432/pilotline');
  });
});
