import { parseArgs } from 'node:util';
import { Connection, Client } from '@temporalio/client';
import { createApiToken } from '../src/accounts/api-tokens.js';
import { hashPassword } from '../src/accounts/passwords.js';
import { authSettings } from '../src/accounts/settings.js';
import { buildApiServer } from '../src/api/server.js';
import { systemClock } from '../src/clock.js';
import { freePort } from '../src/runtime/ports.js';
import { launchChromium } from '../src/web/chromium.js';
import { dayMs, isoDay, startOfDay } from '../src/web/client/time.js';
import { environment, measure, median, progress, round, summary } from './support/runner.js';
import { openSeededHistory } from './support/seeded-history.js';

// The schedule board with a year of history on the seed's 40 tools: GET /api/schedule for the
// periods the board shows (7 days from today, a month from a week back, a dense month in the past),
// and in Chromium the time from the answer to the board drawn (the page's own performance measure)
// with the number of blocks it holds. No Temporal: the schedule never reaches a workflow.

const BENCH = 'schedule';
const { values: args } = parseArgs({
  options: { days: { type: 'string' }, time: { type: 'string' }, renders: { type: 'string' } },
  strict: true,
});
const historyDays = Number(args.days ?? 365);
const timeMs = Number(args.time ?? 3_000);
const renders = Number(args.renders ?? 8);
if (!Number.isInteger(historyDays) || historyDays < 1 || historyDays > 730) throw new Error(`--days: 1 to 730, not ${args.days}`);

await using seededHistory = await openSeededHistory(BENCH, { days: historyDays, poolSize: 10 });
const { db, history } = seededHistory;
const stops: Array<() => Promise<unknown>> = [];
try {
  const tools = await db.tool.count();
  progress(BENCH, `${history.bookings} past bookings, ${history.maintenances} maintenance windows on ${tools} tools`);

  // A lab manager sees every tenant in full: the largest answer (names of everyone shown).
  const manager = await db.user.findFirstOrThrow({ where: { role: 'lab_manager' }, orderBy: { id: 'asc' } });
  const password = 'bench password 1';
  await db.user.update({ where: { id: manager.id }, data: { passwordHash: await hashPassword(password) } });
  const token = (await createApiToken(db, { userId: manager.id, name: 'bench', now: systemClock.now() })).secret;

  // The API never calls Temporal for the schedule: a lazy connection that is never opened.
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const port = await freePort();
  const app = buildApiServer(
    { db, clock: systemClock, temporal: { client, namespace: 'default', taskQueue: 'bench-unused' } },
    { logLevel: 'silent', auth: { ...authSettings({ publicUrl: `http://127.0.0.1:${port}` }), signInAttemptsPerMinute: 1_000 } },
  );
  await app.listen({ host: '127.0.0.1', port });
  stops.push(() => app.close());

  const today = startOfDay(Date.now());
  const periods = {
    next7Days: { from: today, days: 7 },
    monthFromAWeekBack: { from: today - 7 * dayMs, days: 30 },
    pastMonth: { from: today - Math.min(historyDays, 180) * dayMs, days: 30 },
  };
  const api: Record<string, unknown> = {};
  for (const [name, period] of Object.entries(periods)) {
    const query = new URLSearchParams({ from: new Date(period.from).toISOString(), to: new Date(period.from + period.days * dayMs).toISOString() });
    const get = async () => {
      const answer = await app.inject({ method: 'GET', url: `/api/schedule?${query}`, headers: { authorization: `Bearer ${token}` } });
      if (answer.statusCode !== 200) throw new Error(`GET /api/schedule: ${answer.statusCode} ${answer.body}`);
      return answer;
    };
    const first = await get();
    const blocks = (first.json() as { tools: Array<{ blocks: unknown[] }> }).tools.reduce((n, t) => n + t.blocks.length, 0);
    progress(BENCH, `GET /api/schedule ${name}: ${blocks} blocks, ${Math.round(first.body.length / 1024)} KiB`);
    const timed = await measure(`schedule-${name}`, get, { timeMs, minRuns: 10 });
    api[name] = { blocks, kib: Math.round(first.body.length / 1024), p50Ms: round(timed.p50Micros / 1000, 2), p99Ms: round(timed.p99Micros / 1000, 2), runs: timed.runs };
  }

  progress(BENCH, 'Chromium: drawing the board from the answer');
  const browser = await launchChromium();
  stops.push(() => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.locator('#email').fill(manager.email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('header.topbar').waitFor();
  const render: Record<string, unknown> = {};
  for (const [name, period] of Object.entries(periods)) {
    const view = period.days === 7 ? '7d' : 'month';
    const samples: number[] = [];
    let inDom = 0;
    for (let i = 0; i < renders; i++) {
      // Away and back: each visit fetches and draws the period afresh.
      await page.goto(`http://127.0.0.1:${port}/#/profile`);
      await page.evaluate(() => performance.clearMeasures('pilotline:schedule-render'));
      await page.goto(`http://127.0.0.1:${port}/#/schedule?view=${view}&from=${isoDay(period.from)}`);
      const ms = await page.waitForFunction(() => performance.getEntriesByName('pilotline:schedule-render')[0]?.duration, undefined, { timeout: 30_000 });
      samples.push(Number(await ms.jsonValue()));
      inDom = await page.locator('.gantt .block').count();
    }
    render[name] = { medianMs: round(median(samples), 1), maxMs: round(Math.max(...samples), 1), blocksInDom: inDom, renders };
    progress(BENCH, `render ${name}: median ${round(median(samples), 1)} ms, ${inDom} blocks in the DOM (rows windowed)`);
  }

  summary({ bench: BENCH, ...environment(), historyDays, tools, pastBookings: history.bookings, api, render });
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
