// The README's screenshots: a throwaway Pilotline (embedded PostgreSQL, Temporal dev server, worker,
// API + UI) with the seed catalogue, maintenance planned and outages reported by ops, a week of live
// bookings and a lot route from a seed template — all through the API — then each named shot
// (screenshot-shots.ts) as its person sees it: the 7-day schedule, the approvals workspace, the lot's
// route on the Gantt, a phone.
//
//   npx tsx src/web/screenshot.ts [--shot NAME]... [--out-dir src/web/docs] [--chromium PATH]
//   (every shot without --shot; Chromium as the tests find it, see chromium.ts)
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApiToken } from '../accounts/api-tokens.js';
import { hashPassword } from '../accounts/passwords.js';
import { startPilotline } from '../runtime/app.js';
import { loadConfig } from '../runtime/config.js';
import { createConsoleLog } from '../runtime/log.js';
import { freePort } from '../runtime/ports.js';
import { withDatabase } from '../runtime/app.js';
import { policyTemplates, tenants, toolTypes } from '../seed/catalogue.js';
import { seedCatalogue } from '../seed/seed.js';
import { launchChromium } from './chromium.js';
import { shots } from './screenshot-shots.js';
import { settle, trackApiRequests } from './settle.js';
import { dayMs, hourMs, isoDay, startOfWeek } from './client/time.js';

const { values } = parseArgs({
  options: { shot: { type: 'string', multiple: true }, 'out-dir': { type: 'string' }, chromium: { type: 'string' } },
});
const outDir = path.resolve(values['out-dir'] ?? path.join(import.meta.dirname, 'docs'));
const chosen = values.shot ?? Object.keys(shots);
const unknown = chosen.filter((name) => !(name in shots));
if (unknown.length) throw new Error(`No shot named ${unknown.join(', ')}; the shots: ${Object.keys(shots).join(', ')}`);
const log = createConsoleLog('warn');
const minuteMs = 60_000;

/** The parts of the API's answers used here (a placed booking, a maintenance, or a problem). */
interface Answer {
  booking: { id: string; state: string };
  approvalRequired?: boolean;
  maintenance: { id: string; state: string };
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

/**
 * This week's maintenance, made by ops through the API with the clock set to when each happened:
 * an outage reported 5 h ago, a PM this morning now waiting for requalification, planned work ahead.
 */
const maintenance = {
  outage: {
    toolId: 'EPI-SIC-2',
    reportedAt: now - 5 * hourMs,
    estimatedEnd: now + 30 * hourMs,
    reason: 'Susceptor crack: replacing graphite parts',
  },
  requalifying: {
    toolId: 'MOCVD-2',
    from: weekStart,
    to: weekStart + 8 * hourMs,
    reason: 'Two-weekly PM: showerhead clean',
  },
  planned: [
    {
      toolId: 'IMP-1',
      from: weekStart + 3 * dayMs + 8 * hourMs,
      to: weekStart + 5 * dayMs + 8 * hourMs,
      reason: 'Monthly PM: ion source',
    },
    {
      toolId: 'STEPPER-1',
      from: weekStart + 2 * dayMs + 13 * hourMs,
      to: weekStart + 2 * dayMs + 21 * hourMs,
      reason: 'Lens calibration',
    },
    {
      toolId: 'PECVD-2',
      from: weekStart + 4 * dayMs + 9 * hourMs,
      to: weekStart + 4 * dayMs + 15 * hourMs,
      reason: 'Chamber wet clean',
    },
    {
      toolId: 'ANNEAL-1',
      from: weekStart + dayMs + 8 * hourMs,
      to: weekStart + dayMs + 16 * hourMs,
      reason: 'Quarterly PM: heater check',
    },
  ],
} as const;
/** How long the PM that goes into requalification waits, in real time, before its start. */
const pmLeadMs = 8_000;

/** A throwaway instance's throwaway password, everyone's. */
const password = 'screenshot-only-password';

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
  setNow(weekStart - hourMs);
  const tokens = await withDatabase(config, log, async (db) => {
    await seedCatalogue(db, clock);
    const inUseTypes = toolTypes
      .filter((t) => t.tools.some((tool) => inUse.includes(tool.id)))
      .map((t) => t.id);
    await db.policy.updateMany({ where: { toolTypeId: { in: inUseTypes } }, data: { minNoticeMin: 0 } });
    // Everyone books through the API with a token, and may sign in to the browser for a shot.
    await db.user.updateMany({ data: { passwordHash: await hashPassword(password) } });
    const issued = new Map<string, string>();
    for (const user of await db.user.findMany({ select: { id: true } })) {
      issued.set(user.id, (await createApiToken(db, { userId: user.id, name: 'screenshot', now: clock.now() })).secret);
    }
    return issued;
  });
  const manager = tokens.get('mgr-chan')!;
  const ops = tokens.get('ops-ho')!;

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
    const expectOk = async (what: string, answer: Promise<{ status: number; json: Answer }>) => {
      const { status, json } = await answer;
      if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(json)}`);
      return json;
    };
    const stateOf = async (id: string) => {
      const response = await fetch(`${running.url}/api/maintenance/${id}`, {
        headers: { authorization: `Bearer ${ops}` },
      });
      return ((await response.json()) as Answer).maintenance.state;
    };
    const planAndConfirm = async (
      m: { toolId: string; from: number; to: number; reason: string },
      requalify = false,
    ) => {
      const { maintenance: planned } = await expectOk(
        `maintenance on ${m.toolId}`,
        call(ops, '/api/maintenance', {
          requestId: crypto.randomUUID(),
          kind: 'planned',
          toolIds: [m.toolId],
          startsAt: iso(m.from),
          endsAt: iso(m.to),
          reason: m.reason,
          requiresRequalification: requalify,
        }),
      );
      await expectOk(`confirm on ${m.toolId}`, call(ops, `/api/maintenance/${planned.id}/confirm`, {}));
      return planned.id;
    };

    // This morning's PM on MOCVD-2: confirmed just before its start, down when it starts (the
    // workflow's timer runs in real time), completed at 08:00, and then waiting for requalification.
    const pm = maintenance.requalifying;
    setNow(pm.from - pmLeadMs);
    const pmId = await planAndConfirm(pm, true);
    for (let waited = 0; (await stateOf(pmId)) !== 'in_progress'; waited += 250) {
      if (waited > pmLeadMs + 20_000) throw new Error(`PM on ${pm.toolId} never started`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // The outage, reported at 05:20: the tool goes down at once.
    const outage = maintenance.outage;
    setNow(outage.reportedAt);
    await expectOk(
      `outage on ${outage.toolId}`,
      call(ops, `/api/tools/${outage.toolId}/outage`, {
        estimatedEnd: iso(outage.estimatedEnd),
        reason: outage.reason,
      }),
    );
    setNow(pm.to);
    const completed = await expectOk(
      `complete ${pm.toolId}`,
      call(ops, `/api/maintenance/${pmId}/complete`, {}),
    );
    if (completed.maintenance.state !== 'awaiting_requalification')
      throw new Error(`PM on ${pm.toolId} is ${completed.maintenance.state}`);
    // Planned work later in the week, before any bookings: nothing to move yet.
    setNow(now - 100 * minuteMs);
    for (const m of maintenance.planned) await planAndConfirm(m);

    // A lot route from the seed's GaN HEMT flow, by someone qualified on every step, left held
    // (placed before the week fills up).
    const templates = (await (await fetch(`${running.url}/api/route-templates`, { headers: { authorization: `Bearer ${manager}` } })).json()) as {
      templates: Array<{ name: string; material: string; waferSize: number; contaminationGroup: string; steps: Array<{ toolTypeId: string }> }>;
    };
    const hemt = templates.templates.find((t) => t.name === 'GaN HEMT')!;
    const runner = tenants
      .flatMap((t) => t.users)
      .find((u) => u.role === 'tenant_user' && hemt.steps.every((s) => u.qualifiedOn.includes(s.toolTypeId)))!;
    const lotStart = quarter(now + 20 * hourMs);
    const { status: lotStatus, json: lotAnswer } = await call(tokens.get(runner.id)!, '/api/lots', {
      requestId: crypto.randomUUID(),
      name: 'HEMT lot 24-121',
      material: hemt.material,
      waferSize: hemt.waferSize,
      contaminationGroup: hemt.contaminationGroup,
      earliestStart: iso(lotStart),
      latestEnd: iso(weekEnd),
      steps: hemt.steps,
    });
    if (lotStatus !== 201) throw new Error(`lot: ${JSON.stringify(lotAnswer)}`);
    const lotId = (lotAnswer as unknown as { lot: { id: string } }).lot.id;

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
      if (!users.length || tool.id === maintenance.requalifying.toolId) continue;
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


    const browser = await launchChromium(values.chromium);
    try {
      await mkdir(outDir, { recursive: true });
      for (const name of chosen) {
        const shot = shots[name]!;
        const page = await browser.newPage({ viewport: shot.viewport, deviceScaleFactor: 1 });
        const requests = trackApiRequests(page);
        await page.clock.setFixedTime(new Date(now));
        await page.goto(running.url);
        await page.locator('#email').fill(`${shot.as ?? 'mgr-chan'}@pilotline.example`);
        await page.locator('#password').fill(password);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.locator('header.topbar').waitFor();
        await page.goto(`${running.url}/#/${shot.view({ now, day: isoDay(now), lotId })}`);
        if (shot.ready) await page.locator(shot.ready).first().waitFor();
        await settle(page, requests);
        await shot.prepare?.(page);
        const out = path.join(outDir, shot.file ?? `${name}.png`);
        await page.screenshot({ path: out });
        await page.close();
        process.stdout.write(`${out}\n`);
      }
    } finally {
      await browser.close();
    }
  } finally {
    await running.stop();
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
