// The README's schedule screenshot: a throwaway Pilotline (embedded PostgreSQL, Temporal dev server,
// worker, API + UI) with the seed catalogue, maintenance and a week of live bookings made through the
// API, seen by a lab manager in the week view.
//
//   npx tsx src/web/screenshot.ts [--out src/web/docs/schedule.png] [--chromium /usr/bin/chromium]
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startPilotline } from '../runtime/app.js';
import { loadConfig } from '../runtime/config.js';
import { createConsoleLog } from '../runtime/log.js';
import { freePort } from '../runtime/ports.js';
import { withDatabase } from '../runtime/app.js';
import { policyTemplates, tenants, toolTypes } from '../seed/catalogue.js';
import { seedCatalogue } from '../seed/seed.js';
import { defaultChromiumPath, launchChromium } from './chromium.js';
import { dayMs, hourMs, isoDay, startOfWeek } from './client/time.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, chromium: { type: 'string' } } });
const out = path.resolve(values.out ?? path.join(import.meta.dirname, 'docs', 'schedule.png'));
const log = createConsoleLog('warn');
const minuteMs = 60_000;

/** The parts of the API's answers used here (a placed booking, a booking, or a problem). */
interface Answer {
  booking: { id: string; state: string };
  approvalRequired?: boolean;
}

// "Now" in the picture: Monday 10:20 of next week (HKT), so the whole week lies ahead.
const now = startOfWeek(Date.now()) + 7 * dayMs + 10 * hourMs + 20 * minuteMs;
const weekStart = startOfWeek(now);
const weekEnd = weekStart + 7 * dayMs;
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };
const setNow = (at: number) => (offset = at - Date.now());

/** A small seeded generator: the same picture every run. */
let seed = 20_240_917;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const quarter = (ms: number) => Math.ceil(ms / (15 * minuteMs)) * 15 * minuteMs;
const iso = (ms: number) => new Date(ms).toISOString();

const purposes = [
  'p-GaN gate HEMT, lot 24-117',
  'JBS diode drift layer',
  'MOSFET gate oxide DOE',
  'trench depth split',
  'ohmic contact anneal',
  'buffer leakage study',
  'µLED mesa',
  'SBD field plate',
  'wafer-level burn-in prep',
  'thesis samples',
  'customer qualification lot',
  'process monitor wafers',
];

/** Tools taken out of service this week, and planned maintenance (ops' API is not there yet: rows written directly). */
const maintenance = [
  {
    toolId: 'EPI-SIC-2',
    kind: 'outage',
    state: 'in_progress',
    from: now - 5 * hourMs,
    to: now + 30 * hourMs,
    status: 'down',
    reason: 'Susceptor crack: replacing graphite parts',
  },
  {
    toolId: 'MOCVD-2',
    kind: 'recurring',
    state: 'awaiting_requalification',
    from: weekStart,
    to: weekStart + 8 * hourMs,
    status: 'requalifying',
    reason: 'Two-weekly PM: showerhead clean',
  },
  {
    toolId: 'IMP-1',
    kind: 'recurring',
    state: 'scheduled',
    from: weekStart + 3 * dayMs + 8 * hourMs,
    to: weekStart + 5 * dayMs + 8 * hourMs,
    reason: 'Monthly PM: ion source',
  },
  {
    toolId: 'STEPPER-1',
    kind: 'planned',
    state: 'scheduled',
    from: weekStart + 2 * dayMs + 13 * hourMs,
    to: weekStart + 2 * dayMs + 21 * hourMs,
    reason: 'Lens calibration',
  },
  {
    toolId: 'PECVD-2',
    kind: 'planned',
    state: 'scheduled',
    from: weekStart + 4 * dayMs + 9 * hourMs,
    to: weekStart + 4 * dayMs + 15 * hourMs,
    reason: 'Chamber wet clean',
  },
  {
    toolId: 'ANNEAL-1',
    kind: 'recurring',
    state: 'scheduled',
    from: weekStart + dayMs + 8 * hourMs,
    to: weekStart + dayMs + 16 * hourMs,
    reason: 'Quarterly PM: heater check',
  },
] as const;

/** Tools in use at "now": booked with the clock set back, then checked in. */
const inUse = ['SEM-1', 'ICP-SIC-1', 'PECVD-1', 'RTA-1', 'TRACK-1', 'MOCVD-1', 'XRD-1', 'EBEAM-2'];

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pilotline-screenshot-'));
// The embedded server runs as the `postgres` user when started by root: it must reach its folder.
await chmod(dataDir, 0o755);
const config = loadConfig(
  {
    PILOTLINE_DATA_DIR: dataDir,
    PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    TEMPORAL_TASK_QUEUE: 'screenshot',
  },
  process.cwd(),
);

try {
  setNow(now - 100 * minuteMs);
  const tokens = await withDatabase(config, log, async (db) => {
    const { issuedTokens } = await seedCatalogue(db, clock);
    const inUseTypes = toolTypes
      .filter((t) => t.tools.some((tool) => inUse.includes(tool.id)))
      .map((t) => t.id);
    await db.policy.updateMany({ where: { toolTypeId: { in: inUseTypes } }, data: { minNoticeMin: 0 } });
    for (const [i, m] of maintenance.entries()) {
      const requestId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const row = await db.maintenance.create({
        data: {
          requestId,
          workflowId: `maintenance-${requestId}`,
          kind: m.kind,
          state: m.state,
          startsAt: new Date(m.from),
          endsAt: new Date(m.to),
          reason: m.reason,
          requiresRequalification: m.state === 'awaiting_requalification',
          createdById: 'ops-ho',
        },
      });
      await db.maintenanceWindow.create({
        data: { maintenanceId: row.id, toolId: m.toolId, startsAt: new Date(m.from), endsAt: new Date(m.to) },
      });
      if ('status' in m) await db.tool.update({ where: { id: m.toolId }, data: { status: m.status } });
    }
    return new Map(issuedTokens.map((t) => [t.userId, t.token]));
  });
  const manager = tokens.get('mgr-chan')!;

  const running = await startPilotline(config, log, clock);
  try {
    const call = async (token: string, url: string, body: unknown) => {
      const response = await fetch(running.url + url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as Answer };
    };
    const tools = toolTypes.flatMap((type) => type.tools.map((tool) => ({ type, tool })));
    const usersOf = (typeId: string) =>
      tenants.flatMap((t) =>
        t.users.filter((u) => u.role === 'tenant_user' && u.qualifiedOn.includes(typeId)).map((u) => u.id),
      );
    const lotFor = (tool: (typeof tools)[number]['tool']) => ({
      material: pick(tool.materials),
      waferSize: pick(tool.waferSizes),
      contaminationGroup:
        tool.contaminationClass === 'cmos-clean'
          ? 'cmos-clean'
          : tool.contaminationClass === 'au-metal' && random() < 0.3
            ? 'au-metal'
            : 'standard',
      purpose: pick(purposes),
    });
    const busyUntil = new Map<string, number>();
    const held: string[] = [];

    // In use now: booked 90 minutes ago (by the clock), approved where needed, checked in at "now".
    const checkIns: Array<{ token: string; id: string }> = [];
    for (const id of inUse) {
      const { type, tool } = tools.find((t) => t.tool.id === id)!;
      const user = pick(usersOf(type.id));
      const policy = policyTemplates[type.policy];
      const duration = Math.min(
        policy.maxDurationMin,
        Math.max(policy.minDurationMin, pick([150, 180, 240, 300])),
      );
      const start = now - 90 * minuteMs;
      const { status, json } = await call(tokens.get(user)!, '/api/bookings', {
        requestId: crypto.randomUUID(),
        toolIds: [id],
        durationMin: duration,
        earliestStart: iso(start),
        latestEnd: iso(start + duration * minuteMs),
        ...lotFor(tool),
      });
      if (status !== 201) throw new Error(`in-use booking on ${id}: ${JSON.stringify(json)}`);
      if (json.approvalRequired) await call(manager, `/api/bookings/${json.booking.id}/approve`, {});
      checkIns.push({ token: tokens.get(user)!, id: json.booking.id });
      busyUntil.set(id, start + duration * minuteMs);
    }
    setNow(now);
    for (const c of checkIns) {
      const { status, json } = await call(c.token, `/api/bookings/${c.id}/check-in`, {});
      if (status !== 200) throw new Error(`check-in: ${JSON.stringify(json)}`);
    }

    // The rest of the week: per tool, bookings one after another with gaps, in daytime mostly.
    const requests: Array<() => Promise<void>> = [];
    for (const { type, tool } of tools) {
      const users = usersOf(type.id);
      if (
        !users.length ||
        maintenance.some((m) => m.toolId === tool.id && 'status' in m && m.status === 'requalifying')
      )
        continue;
      const policy = policyTemplates[type.policy];
      const share =
        type.policy === 'epitaxy' || type.policy === 'bottleneck'
          ? 0.75
          : type.policy === 'metrology'
            ? 0.55
            : 0.45;
      const longest = Math.min(policy.maxDurationMin, policy.minDurationMin * 6);
      let cursor = quarter(
        Math.max(busyUntil.get(tool.id) ?? 0, now + policy.minNoticeMin * minuteMs) + random() * 3 * hourMs,
      );
      while (cursor < weekEnd) {
        const duration =
          Math.round((policy.minDurationMin + random() * (longest - policy.minDurationMin)) / 15) * 15;
        const hour = new Date(cursor + 8 * hourMs).getUTCHours();
        // Short jobs happen in office hours; epitaxy and furnaces run around the clock.
        if (duration < 240 && (hour < 8 || hour >= 20)) {
          cursor = quarter(cursor + ((32 - hour) % 24) * hourMs + random() * hourMs);
          continue;
        }
        const slack = Math.max(policy.bufferAfterMin, 30) + 30;
        const start = cursor;
        const user = pick(users);
        const body = {
          requestId: crypto.randomUUID(),
          toolIds: [tool.id],
          durationMin: duration,
          earliestStart: iso(start),
          latestEnd: iso(start + (duration + slack) * minuteMs),
          ...lotFor(tool),
        };
        requests.push(async () => {
          const { status, json } = await call(tokens.get(user)!, '/api/bookings', body);
          if (status === 201 && json.booking.state === 'held') held.push(json.booking.id);
        });
        const gap = (-Math.log(1 - random()) * duration * (1 - share)) / share;
        cursor = quarter(start + (duration + slack + gap) * minuteMs);
      }
    }
    let next = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < requests.length) {
          await requests[next++]!();
          if (++done % 50 === 0) log.warn(`screenshot: ${done}/${requests.length} requests`);
        }
      }),
    );
    // Most epitaxy requests approved; some left held for the picture.
    for (const id of held)
      if (random() < 0.7) await call(manager, `/api/bookings/${id}/approve`, { note: 'ok' });

    const browser = await launchChromium(values.chromium ?? defaultChromiumPath);
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 800 }, deviceScaleFactor: 1 });
      await page.clock.setFixedTime(new Date(now));
      await page.goto(running.url);
      await page.locator('#token').fill(manager);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('header.topbar').waitFor();
      await page.goto(`${running.url}/#/schedule?view=week&date=${isoDay(now)}`);
      await page.locator('.gantt .tool-row').first().waitFor();
      await mkdir(path.dirname(out), { recursive: true });
      await page.screenshot({ path: out });
      process.stdout.write(`${out}\n`);
    } finally {
      await browser.close();
    }
  } finally {
    await running.stop();
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
