import path from 'node:path';
import { z } from 'zod';
import type { AuthSettings } from '../accounts/settings.js';
import { PilotlineError } from '../errors.js';
import type { SmtpTls } from '../mail/smtp.js';
import { fieldIssues } from '../validation.js';

const port = z.coerce.number<string | undefined>().int().min(1).max(65_535);
const count = (min: number, max: number) => z.coerce.number<string | undefined>().int().min(min).max(max);
const seconds = (max: number) => z.coerce.number<string | undefined>().min(0).max(max);
const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();
const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' });
/** A sender: `pilotline@lab.example.org` or `Pilotline <pilotline@lab.example.org>`. */
const mailAddress = z
  .string()
  .trim()
  .regex(/^(?:[^<>@\p{Cc}]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/u, 'must be an e-mail address, optionally as "Name <address>"');

/** Environment variables Pilotline reads, all of them, parsed once at start-up. */
export const envSchema = z.object({
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  PILOTLINE_DATA_DIR: z.string().trim().min(1).default('./.pilotline'),
  TEMPORAL_ADDRESS: optionalText.pipe(
    z
      .string()
      .regex(/^[\w.-]+:\d{1,5}$/, 'must be host:port')
      .optional(),
  ),
  TEMPORAL_NAMESPACE: z.string().trim().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().trim().min(1).default('pilotline'),
  WORKER_WORKFLOW_TASKS: count(1, 1_000).default(40),
  WORKER_LOCAL_ACTIVITIES: count(1, 1_000).default(40),
  WORKER_ACTIVITIES: count(1, 1_000).default(40),
  WORKER_CACHED_WORKFLOWS: count(0, 100_000).default(2_000),
  WORKER_SHUTDOWN_GRACE_SECONDS: seconds(3_600).default(10),
  DATABASE_POOL_SIZE: count(1, 1_000).default(10),
  HTTP_DRAIN_SECONDS: seconds(3_600).default(30),
  TEMPORAL_CLI_PATH: optionalText,
  TEMPORAL_UI_PORT: optionalText.pipe(port.optional()),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: optionalText.pipe(
    httpUrl
      .pipe(z.string().regex(/^https?:\/\/[^/?#]+\/?$/, 'must be the origin only, e.g. https://pilotline.example.org'))
      .optional(),
  ),
  SESSION_TTL_HOURS: z.coerce.number<string | undefined>().min(0.25).max(720).default(12),
  SIGN_IN_ATTEMPTS_PER_MINUTE: z.coerce.number<string | undefined>().int().min(1).max(10_000).default(10),
  TOKEN_CACHE_SECONDS: z.coerce.number<string | undefined>().min(0).max(60).default(5),
  OIDC_ISSUER: optionalText.pipe(httpUrl.optional()),
  OIDC_CLIENT_ID: optionalText.pipe(z.string().max(500).optional()),
  OIDC_CLIENT_SECRET: optionalText.pipe(z.string().max(500).optional()),
  OIDC_LABEL: optionalText.pipe(z.string().max(60).optional()),
  SMTP_HOST: optionalText.pipe(z.string().regex(/^[\w.-]+$|^\[[\da-fA-F:.]+\]$/, 'must be a host name or address').optional()),
  SMTP_PORT: optionalText.pipe(port.optional()),
  SMTP_TLS: optionalText.pipe(z.enum(['starttls', 'implicit', 'none']).optional()),
  SMTP_USER: optionalText,
  SMTP_PASSWORD: optionalText,
  MAIL_FROM: optionalText.pipe(mailAddress.optional()),
});

/** The identity provider is configured whole or not at all. */
const oidcVariables = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
const completeEnvSchema = envSchema.superRefine((env, ctx) => {
  const given = oidcVariables.filter((name) => env[name] !== undefined);
  if (given.length === 0 || given.length === oidcVariables.length) return;
  for (const name of oidcVariables.filter((n) => env[n] === undefined)) {
    ctx.addIssue({ code: 'custom', path: [name], message: `is needed with ${given.join(' and ')}` });
  }
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  /** Absent: Pilotline starts an embedded PostgreSQL server in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  temporal: {
    /** Absent: Pilotline starts `temporal server start-dev` with its SQLite file in `dataDir`. */
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    cliPath: string | undefined;
    uiPort: number | undefined;
  };
  /** What one worker process takes on at once (the SDK's slots) and keeps in memory. */
  worker: {
    workflowTasks: number;
    localActivities: number;
    activities: number;
    cachedWorkflows: number;
    /** On shutdown, how long running activities get before they are cancelled. */
    shutdownGraceMs: number;
  };
  /** Connections each process keeps to PostgreSQL. */
  databasePoolSize: number;
  /** `drainMs`: on SIGTERM, how long requests in flight get to finish before their connections close. */
  http: { host: string; port: number; drainMs: number };
  logLevel: Env['LOG_LEVEL'];
  auth: AuthSettings;
  /** Where people open Pilotline (links in e-mails, calendar feed URLs), without a trailing slash. */
  publicUrl: string;
  mail: MailConfig;
}

export interface MailConfig {
  /** `smtp`: through a server; `files`: each mail as an .eml file in `dir` (development, no SMTP_HOST). */
  transport:
    | { kind: 'smtp'; host: string; port: number; tls: SmtpTls; auth: { user: string; pass: string } | undefined }
    | { kind: 'files'; dir: string };
  from: string;
}

/** Builds the config from env vars; a bad value throws CONFIG_INVALID naming the variable. */
export function loadConfig(env: Record<string, string | undefined>, cwd: string): Config {
  const parsed = completeEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error);
    const said = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    const names = [...new Set(issues.map((i) => i.field))].join(', ');
    throw new PilotlineError('CONFIG_INVALID', `Invalid configuration (${said}); correct ${names} in the environment.`, { issues });
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.PILOTLINE_DATA_DIR);
  const host = e.HOST === '0.0.0.0' || e.HOST === '::' ? '127.0.0.1' : e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST;
  const publicUrl = (e.PUBLIC_URL ?? `http://${host}:${e.PORT}`).replace(/\/$/, '');
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      cliPath: e.TEMPORAL_CLI_PATH,
      uiPort: e.TEMPORAL_UI_PORT,
    },
    worker: {
      workflowTasks: e.WORKER_WORKFLOW_TASKS,
      localActivities: e.WORKER_LOCAL_ACTIVITIES,
      activities: e.WORKER_ACTIVITIES,
      cachedWorkflows: e.WORKER_CACHED_WORKFLOWS,
      shutdownGraceMs: Math.round(e.WORKER_SHUTDOWN_GRACE_SECONDS * 1000),
    },
    databasePoolSize: e.DATABASE_POOL_SIZE,
    http: { host: e.HOST, port: e.PORT, drainMs: Math.round(e.HTTP_DRAIN_SECONDS * 1000) },
    logLevel: e.LOG_LEVEL,
    publicUrl,
    auth: {
      publicUrl,
      sessionTtlMs: Math.round(e.SESSION_TTL_HOURS * 3_600_000),
      signInAttemptsPerMinute: e.SIGN_IN_ATTEMPTS_PER_MINUTE,
      tokenCacheMs: Math.round(e.TOKEN_CACHE_SECONDS * 1000),
      oidc:
        e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
          ? {
              issuer: e.OIDC_ISSUER,
              clientId: e.OIDC_CLIENT_ID,
              clientSecret: e.OIDC_CLIENT_SECRET,
              label: e.OIDC_LABEL ?? new URL(e.OIDC_ISSUER).host,
            }
          : undefined,
    },
    mail: mailConfig(e, dataDir),
  };
}

/** SMTP when SMTP_HOST is set (then MAIL_FROM too, and SMTP_USER with SMTP_PASSWORD), else .eml files. */
function mailConfig(e: Env, dataDir: string): MailConfig {
  const missing = (field: string, message: string) =>
    new PilotlineError('CONFIG_INVALID', `Invalid configuration (${field}: ${message}); correct ${field} in the environment.`, {
      issues: [{ field, message }],
    });
  if (!e.SMTP_HOST) {
    return { transport: { kind: 'files', dir: path.join(dataDir, 'mail') }, from: e.MAIL_FROM ?? 'Pilotline <pilotline@localhost>' };
  }
  if (!e.MAIL_FROM) throw missing('MAIL_FROM', 'is required with SMTP_HOST: the sender of every e-mail');
  if (Boolean(e.SMTP_USER) !== Boolean(e.SMTP_PASSWORD)) {
    throw missing(e.SMTP_USER ? 'SMTP_PASSWORD' : 'SMTP_USER', 'SMTP_USER and SMTP_PASSWORD go together');
  }
  const tls = e.SMTP_TLS ?? (e.SMTP_PORT === 465 ? 'implicit' : 'starttls');
  return {
    transport: {
      kind: 'smtp',
      host: e.SMTP_HOST,
      port: e.SMTP_PORT ?? (tls === 'implicit' ? 465 : 587),
      tls,
      auth: e.SMTP_USER && e.SMTP_PASSWORD ? { user: e.SMTP_USER, pass: e.SMTP_PASSWORD } : undefined,
    },
    from: e.MAIL_FROM,
  };
}

/** A connection string safe to print: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
