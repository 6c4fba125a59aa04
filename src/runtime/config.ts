import path from 'node:path';
import { z } from 'zod';
import { PilotlineError } from '../errors.js';
import { fieldIssues } from '../validation.js';

const port = z.coerce.number<string | undefined>().int().min(1).max(65_535);
const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

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
  TEMPORAL_CLI_PATH: optionalText,
  TEMPORAL_UI_PORT: optionalText.pipe(port.optional()),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  http: { host: string; port: number };
  logLevel: Env['LOG_LEVEL'];
}

/** Builds the config from env vars; a bad value throws CONFIG_INVALID naming the variable. */
export function loadConfig(env: Record<string, string | undefined>, cwd: string): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error);
    const said = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    const names = [...new Set(issues.map((i) => i.field))].join(', ');
    throw new PilotlineError('CONFIG_INVALID', `Invalid configuration (${said}); correct ${names} in the environment.`, { issues });
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(cwd, e.PILOTLINE_DATA_DIR),
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      cliPath: e.TEMPORAL_CLI_PATH,
      uiPort: e.TEMPORAL_UI_PORT,
    },
    http: { host: e.HOST, port: e.PORT },
    logLevel: e.LOG_LEVEL,
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
