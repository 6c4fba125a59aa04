#!/usr/bin/env node
// pilotline start | api | worker | migrate | seed [--history DAYS] [--seed N] | user add|reset|token | statements
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { systemClock } from './clock.js';
import { PilotlineError } from './errors.js';
import { startApiOnly, startPilotline, startWorkerOnly, withDatabase, type Running } from './runtime/app.js';
import { loadConfig } from './runtime/config.js';
import { takeOverShutdownSignals } from './runtime/database/embedded.js';
import { createConsoleLog } from './runtime/log.js';
import { runUserCommand, userUsage } from './runtime/user-command.js';
import { firstLine } from './runtime/start-failure.js';
import { seedHistory } from './seed/history.js';
import { seedCatalogue } from './seed/seed.js';
// usage statements (issue 14)
import { runStatementsCommand, statementsUsage } from './runtime/statements-command.js';
import { parseInput } from './validation.js';

const usage = `Usage: pilotline <command>

  start                 everything in one process: database, Temporal, worker, HTTP API
  api                   the HTTP API only (needs DATABASE_URL and TEMPORAL_ADDRESS); run any number
  worker                a worker only, /healthz on PORT (needs DATABASE_URL and TEMPORAL_ADDRESS); run any number
  migrate               apply pending database migrations
  seed [--history N]    write the pilot line catalogue; with --history, N days of past bookings
       [--seed S]       the random seed of the history (default 1)
${userUsage}${statementsUsage}`;

const seedFlags = z.object({
  history: z.coerce.number<string | undefined>().int().min(0).max(3_650).default(0),
  seed: z.coerce.number<string | undefined>().int().min(0).default(1),
});

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        history: { type: 'string' },
        seed: { type: 'string' },
        name: { type: 'string' },
        tenant: { type: 'string' },
        role: { type: 'string' },
        'expires-days': { type: 'string' },
        // usage statements (issue 14)
        month: { type: 'string' },
        format: { type: 'string' },
        draft: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  const { positionals, values } = parsed;
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(usage);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig(process.env, process.cwd());
  const log = createConsoleLog(config.logLevel, process.stdout);

  switch (command) {
    case 'start':
      return runUntilSignal(await startPilotline(config, log, systemClock), log);
    case 'api':
      return runUntilSignal(await startApiOnly(config, log, systemClock), log);
    case 'worker':
      return runUntilSignal(await startWorkerOnly(config, log, systemClock), log);
    case 'migrate':
      // Opening the database applies pending migrations; nothing more to do.
      await withDatabase(config, log, async () => undefined);
      return 0;
    case 'seed': {
      const flags = parseInput(seedFlags, values, 'flags');
      await withDatabase(config, log, async (db) => {
        const report = await seedCatalogue(db, systemClock);
        log.info(`seed: ${report.tools} tools of ${report.toolTypes} types, ${report.tenants} tenants, ${report.users} users`);
        log.info('seed: nobody has a password or a token yet: `pilotline user reset <email>` or `user token <email>`');
        if (flags.history > 0) {
          const started = Date.now();
          const history = await seedHistory(db, systemClock, {
            days: flags.history,
            seed: flags.seed,
            onProgress: (_done, line) => log.info(line),
          });
          log.info(
            history.skipped
              ? `seed: history already present (${history.bookings} bookings); nothing added`
              : `seed: ${history.bookings} bookings, ${history.usageLines} usage lines, ${history.maintenances} PM windows in ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
        }
      });
      return 0;
    }
    case 'user': {
      const [, action, email] = positionals;
      const { name, tenant, role } = values;
      const lines = await withDatabase(config, log, (db) =>
        runUserCommand(db, systemClock, {
          action,
          email,
          flags: { name, tenant, role, 'expires-days': values['expires-days'] },
          publicUrl: config.auth.publicUrl,
        }),
      );
      // The link or token goes to stdout whatever LOG_LEVEL says: it is what the command is for.
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    }
    // usage statements (issue 14)
    case 'statements': {
      const { month, tenant, format, draft } = values;
      // The statements alone go to stdout (for a pipe or a file); what starting the database says, to stderr.
      const text = await withDatabase(config, createConsoleLog(config.logLevel, process.stderr), (db) => runStatementsCommand(db, systemClock, { month, tenant, format, draft }));
      process.stdout.write(text);
      return 0;
    }
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${usage}`);
      return 2;
  }
}

const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Keeps running until Ctrl-C / SIGTERM, then drains and stops every part (and every child process). */
async function runUntilSignal(running: Running, log: ReturnType<typeof createConsoleLog>): Promise<number> {
  takeOverShutdownSignals();
  // `npm start` relays the terminal's Ctrl-C once more: a signal while stopping must not cut the stop short.
  let stopping = false;
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info(`\n${signal}: draining and stopping…`);
      resolve();
    };
    for (const s of signals) process.on(s, onSignal);
  });
  await running.stop();
  log.info('stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // One sentence for a person; the stack only when asked for (LOG_LEVEL=debug or trace).
    const verbose = ['debug', 'trace'].includes(process.env.LOG_LEVEL?.trim() ?? '');
    if (verbose && err instanceof Error) process.stderr.write(`${err.stack ?? err.message}\n`);
    if (err instanceof PilotlineError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`pilotline failed: ${firstLine(err)}; run with LOG_LEVEL=debug for details.\n`);
    process.exit(1);
  },
);
