/** The small logger the runtime uses outside HTTP (Fastify brings its own pino logger). */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

const levels = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
type Level = (typeof levels)[number];

export function createConsoleLog(level: Level, stream: NodeJS.WritableStream = process.stderr): Log {
  const rank = levels.indexOf(level);
  const write = (at: Level, message: string) => {
    if (levels.indexOf(at) <= rank) stream.write(`${message}\n`);
  };
  return {
    error: (m) => write('error', m),
    warn: (m) => write('warn', m),
    info: (m) => write('info', m),
    debug: (m) => write('debug', m),
  };
}

export const silentLog: Log = { info() {}, warn() {}, error() {}, debug() {} };
