import net from 'node:net';
import { PilotlineError } from '../errors.js';
import { redactUrl, type Config } from './config.js';

// A part that fails to start is told in one sentence naming the part, what it said and what to
// change; the stack stays for LOG_LEVEL=debug.

export type Part = 'database' | 'temporal' | 'worker' | 'http' | 'maintenance schedules' | 'allocation rounds' | 'statements';

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
]);
// PostgreSQL: wrong password, unknown role, unknown database.
const loginCodes = new Set(['28P01', '28000', '3D000']);

/** `err` (thrown while starting `part`) as one PilotlineError sentence with its remedy. */
export function startFailure(part: Part, err: unknown, config: Config): PilotlineError {
  if (err instanceof PilotlineError) return err;
  const code = errorCode(err);
  const said = firstLine(err);
  const cause = { cause: err };
  switch (part) {
    case 'database': {
      if (!config.databaseUrl) {
        return new PilotlineError(
          'DEPENDENCY_UNAVAILABLE',
          `The embedded PostgreSQL failed (${said}); move ${config.dataDir} away to start afresh, or set DATABASE_URL.`,
          cause,
        );
      }
      if ((code && connectionCodes.has(code)) || (code && loginCodes.has(code))) {
        return new PilotlineError(
          'DEPENDENCY_UNAVAILABLE',
          `PostgreSQL at ${redactUrl(config.databaseUrl)} refused Pilotline (${said}); check DATABASE_URL and that the server is up.`,
          cause,
        );
      }
      return new PilotlineError(
        'DEPENDENCY_UNAVAILABLE',
        `Preparing the database at ${redactUrl(config.databaseUrl)} failed (${said}); check that DATABASE_URL names a PostgreSQL 15 or later that Pilotline may write to.`,
        cause,
      );
    }
    case 'temporal':
      return config.temporal.address
        ? new PilotlineError(
            'DEPENDENCY_UNAVAILABLE',
            `Temporal at ${config.temporal.address} did not answer (${said}); check TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE.`,
            cause,
          )
        : new PilotlineError(
            'DEPENDENCY_UNAVAILABLE',
            `The Temporal dev server did not start (${said}); set TEMPORAL_CLI_PATH to a working \`temporal\` CLI, or TEMPORAL_ADDRESS to a running cluster.`,
            cause,
          );
    case 'http':
      return httpFailure(code, said, config, cause);
    case 'worker':
      return new PilotlineError(
        'DEPENDENCY_UNAVAILABLE',
        `The Temporal worker did not start (${said}); check TEMPORAL_TASK_QUEUE and that Temporal is reachable, or run with LOG_LEVEL=debug for details.`,
        cause,
      );
    case 'maintenance schedules':
      return new PilotlineError(
        'DEPENDENCY_UNAVAILABLE',
        `Putting the preventive-maintenance plans on their Temporal Schedules failed (${said}); check that Temporal is reachable and TEMPORAL_NAMESPACE exists.`,
        cause,
      );
    case 'allocation rounds':
      return new PilotlineError(
        'DEPENDENCY_UNAVAILABLE',
        `Creating the weekly Schedule that opens allocation rounds failed (${said}); check that Temporal is reachable and TEMPORAL_NAMESPACE exists.`,
        cause,
      );
    case 'statements':
      return new PilotlineError(
        'DEPENDENCY_UNAVAILABLE',
        `Creating the monthly Schedule that drafts usage statements failed (${said}); check that Temporal is reachable and TEMPORAL_NAMESPACE exists.`,
        cause,
      );
  }
}

function httpFailure(
  code: string | undefined,
  said: string,
  config: Config,
  cause: { cause: unknown },
): PilotlineError {
  const { host, port } = config.http;
  if (code === 'EADDRINUSE') {
    return new PilotlineError(
      'DEPENDENCY_UNAVAILABLE',
      `Port ${port} on ${host} is already in use (another Pilotline?); stop that process or set PORT to a free port.`,
      cause,
    );
  }
  if (code === 'EACCES') {
    return new PilotlineError(
      'DEPENDENCY_UNAVAILABLE',
      `Listening on port ${port} needs privileges this process does not have; set PORT to 1024 or above.`,
      cause,
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new PilotlineError(
      'CONFIG_INVALID',
      `HOST ${host} is not an address of this machine; set HOST to one (127.0.0.1, or 0.0.0.0 for every interface).`,
      cause,
    );
  }
  return new PilotlineError(
    'DEPENDENCY_UNAVAILABLE',
    `The HTTP API could not listen on ${host}:${port} (${said}); set HOST and PORT to a free address.`,
    cause,
  );
}

/** Fails fast, before the database and Temporal take their seconds, when HOST:PORT is taken. */
export async function checkPortFree(config: Config): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err) => reject(startFailure('http', err, config)));
    server.listen(config.http.port, config.http.host, () => server.close(() => resolve()));
  });
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** The first line of what was thrown, without trailing punctuation (it goes inside parentheses). */
export function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const line =
    message.split('\n').find((l) => l.trim()) ?? (err instanceof Error ? err.name : 'unknown error');
  return line.trim().replace(/[.;:]+$/, '');
}
