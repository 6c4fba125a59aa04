import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { CatalogueCache } from '../../src/calendar/catalogue.js';
import { loadCalendar, type SnapshotScope } from '../../src/calendar/snapshot.js';
import { minuteFromDate } from '../../src/domain/time.js';
import type { SolverSnapshot } from '../../src/solver/model.js';
import { seedHistory } from '../../src/seed/history.js';
import { seedCatalogue } from '../../src/seed/seed.js';
import { loadCalendarByQueries } from '../support/calendar-oracle.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// The calendar read in one statement must give the solver exactly what the Prisma queries it
// replaced gave (kept as the oracle in test/support/calendar-oracle.ts), on a seeded pilot line:
// three weeks of history (completed and no-show time, maintenance windows), active bookings ahead
// in every state, tool-level policies and setup rules, qualifications that expire, a tool being
// requalified and one down — and the facility's: training bookings (run under their trainer),
// revoked qualifications (which qualify no one) and a retired tool (down for placement and repair) —
// and linked tools (the seeded stepper and its reticle slot, a member booking) and a shared furnace
// run (a holder with its recipe, a load that joined it and holds no time).

let database: TestDatabase;
const now = new Date('2026-11-23T02:00:00Z');
const hour = 3_600_000;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const clock = fixedClock(now);
  await seedCatalogue(db, clock);
  await seedHistory(db, clock, { days: 21, seed: 3 });
  const tools = await db.tool.findMany({ orderBy: { id: 'asc' } });
  const users = await db.user.findMany({ where: { role: 'tenant_user' }, orderBy: { id: 'asc' } });
  const states = ['held', 'confirmed', 'in_use'] as const;
  const ahead = tools.flatMap((tool, t) =>
    Array.from({ length: 6 }, (_, i) => {
      const user = users[(t + i) % users.length]!;
      const startsAt = new Date(now.getTime() + (t % 5) * 24 * hour + i * 3 * hour + 17 * 60_000);
      const requestId = randomUUID();
      return {
        requestId,
        workflowId: `booking-${requestId}`,
        tenantId: user.tenantId,
        userId: user.id,
        toolId: tool.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + (1 + (i % 3)) * hour),
        state: states[i % 3]!,
        material: i % 2 ? 'GaN' : 'SiC',
        waferSize: 150,
        contaminationGroup: i % 4 === 3 ? 'au-metal' : 'standard',
        ...(i % 2
          ? {
              windowStart: new Date(startsAt.getTime() - 6 * hour),
              windowEnd: new Date(startsAt.getTime() + 30 * hour),
            }
          : {}),
      };
    }),
  );
  await db.booking.createMany({ data: ahead });
  // Maintenance ahead on a few tools (history's windows are all past and inactive), one cancelled.
  for (const [i, tool] of tools.filter((_, i) => i % 7 === 0).entries()) {
    const startsAt = new Date(now.getTime() + (30 + 24 * i) * hour);
    const requestId = randomUUID();
    const maintenance = await db.maintenance.create({
      data: {
        requestId,
        workflowId: `maintenance-${requestId}`,
        kind: i % 2 ? 'outage' : 'planned',
        state: 'scheduled',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 8 * hour),
        reason: 'PM',
        createdById: 'ops-ho',
      },
    });
    await db.maintenanceWindow.create({
      data: {
        maintenanceId: maintenance.id,
        toolId: tool.id,
        startsAt,
        endsAt: maintenance.endsAt,
        active: i !== 1,
      },
    });
  }
  await db.policy.create({
    data: {
      id: 'own-policy',
      toolId: tools[0]!.id,
      minDurationMin: 30,
      maxDurationMin: 600,
      maxAdvanceMin: 40_000,
      bufferAfterMin: 20,
    },
  });
  await db.setupRule.create({
    data: {
      id: 'own-rule',
      toolId: tools[1]!.id,
      dimension: 'contamination',
      fromGroup: 'au-metal',
      toGroup: 'any',
      minutes: 45,
    },
  });
  await db.qualification.updateMany({
    where: { userId: users[0]!.id },
    data: { expiresAt: new Date(now.getTime() + 36 * hour + 30_000) },
  });
  await db.tool.update({ where: { id: tools[2]!.id }, data: { status: 'requalifying' } });
  await db.tool.update({ where: { id: tools[3]!.id }, data: { status: 'down' } });
  await db.tool.update({ where: { id: tools[4]!.id }, data: { retiredAt: new Date(now.getTime() - 5 * hour) } });
  // Two people lose a qualification each (revoked), one of them also keeps others.
  const labManager = (await db.user.findFirst({ where: { role: 'lab_manager' }, orderBy: { id: 'asc' } }))!;
  for (const user of users.slice(1, 3)) {
    const held = (await db.qualification.findFirst({ where: { userId: user.id }, orderBy: { id: 'asc' } }))!;
    await db.qualification.update({
      where: { id: held.id },
      data: { revokedAt: new Date(now.getTime() - hour), revokedById: labManager.id, revokeReason: 'test' },
    });
  }
  // Training bookings ahead: the trainee is the booking's user, the lab manager trains.
  const trainings = await db.booking.findMany({ where: { state: 'confirmed', startsAt: { gt: now } }, orderBy: { id: 'asc' }, take: 4 });
  for (const booking of trainings) {
    await db.booking.update({ where: { id: booking.id }, data: { trainerId: labManager.id } });
  }
  // A member booking on the reticle slot, made with a stepper booking.
  const stepper = (await db.booking.findFirst({ where: { toolId: 'STEPPER-1', startsAt: { gt: now } }, orderBy: { startsAt: 'asc' } }))!;
  const member = (await db.booking.findFirst({ where: { toolId: 'RETICLE-1', startsAt: { gt: now } }, orderBy: { startsAt: 'asc' } }))!;
  await db.booking.update({ where: { id: member.id }, data: { primaryBookingId: stepper.id } });
  // A shared run on the furnace: its holder and a load that joined it.
  const holder = (await db.booking.findFirst({ where: { toolId: 'ANNEAL-1', state: 'confirmed', startsAt: { gt: now } }, orderBy: { startsAt: 'asc' } }))!;
  await db.booking.update({ where: { id: holder.id }, data: { recipe: 'activation-1700C-4h', waferCount: 5, material: 'SiC' } });
  const joinRequest = randomUUID();
  await db.booking.create({
    data: {
      requestId: joinRequest,
      workflowId: `booking-${joinRequest}`,
      tenantId: users[1]!.tenantId,
      userId: users[1]!.id,
      toolId: 'ANNEAL-1',
      startsAt: holder.startsAt,
      endsAt: holder.endsAt,
      state: 'confirmed',
      material: 'SiC',
      waferSize: 150,
      contaminationGroup: 'standard',
      recipe: 'activation-1700C-4h',
      waferCount: 3,
      sharedRunId: holder.id,
    },
  });
});

afterAll(async () => {
  await database?.[Symbol.asyncDispose]();
});

/** The snapshot with every list in one order: neither read promised an order where SQL gives none. */
function normalised(snapshot: SolverSnapshot) {
  const byKey = <T>(items: readonly T[]) =>
    [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    ...snapshot,
    reservations: byKey(snapshot.reservations),
    policies: byKey(snapshot.policies),
    setupRules: byKey(snapshot.setupRules),
    qualifications: byKey(snapshot.qualifications),
    tenants: byKey(snapshot.tenants),
    quotaUse: byKey(snapshot.quotaUse ?? []),
  };
}

/** The oracle's policy row cut to the columns the catalogue carries (charges and timestamps stay out). */
function columnsOf(row: object | null, like: object | null) {
  return row && like ? Object.fromEntries(Object.keys(like).map((key) => [key, (row as Record<string, unknown>)[key]])) : row;
}

async function scopes(): Promise<Array<[string, SnapshotScope]>> {
  const { db } = database;
  const types = await db.toolType.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
  const tools = await db.tool.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
  const user = (await db.user.findFirst({ where: { role: 'tenant_user' }, orderBy: { id: 'asc' } }))!.id;
  const past = { fromMinute: minuteFromDate(now) - 14 * 1_440, toMinute: minuteFromDate(now) - 6 * 1_440 };
  const ahead = { fromMinute: minuteFromDate(now) + 60, toMinute: minuteFromDate(now) + 5 * 1_440 };
  return [
    ...types.map((t): [string, SnapshotScope] => [
      `type ${t.id}, ahead, one user`,
      { toolTypeIds: [t.id], ...ahead, userIds: [user] },
    ]),
    ...types.map((t): [string, SnapshotScope] => [
      `type ${t.id}, in the history, everyone`,
      { toolTypeIds: [t.id], ...past, userIds: 'all' },
    ]),
    [
      'named tools of several types, everyone',
      { toolIds: tools.filter((_, i) => i % 3 === 0).map((t) => t.id), ...ahead, userIds: 'all' },
    ],
    [
      'a type and named tools, nobody',
      { toolTypeIds: [types[0]!.id], toolIds: [tools.at(-1)!.id], ...ahead, userIds: [] },
    ],
    [
      'every tool across the whole span',
      {
        toolIds: tools.map((t) => t.id),
        fromMinute: past.fromMinute,
        toMinute: ahead.toMinute,
        userIds: 'all',
      },
    ],
    ['a linked tool alone (its primary comes into scope)', { toolIds: ['RETICLE-1'], ...ahead, userIds: 'all' }],
    ['a primary alone (its linked tool comes into scope)', { toolIds: ['STEPPER-1'], ...ahead, userIds: [user] }],
    ['no tool at all', { toolIds: [], ...ahead, userIds: 'all' }],
    ['an unknown type', { toolTypeIds: ['no-such-type'], ...ahead, userIds: [user] }],
  ];
}

describe('the calendar read in one statement', () => {
  it('gives the solver what the per-table queries gave, for every scope', async () => {
    const { db } = database;
    const all = await scopes();
    let claims = 0;
    for (const [name, scope] of all) {
      const [mine, oracle] = await Promise.all([loadCalendar(db, scope), loadCalendarByQueries(db, scope)]);
      expect(normalised(mine.snapshot), name).toEqual(normalised(oracle.snapshot));
      for (const tool of mine.snapshot.tools) {
        const ours = mine.policyRowOf(tool.id);
        expect(ours, `${name}: policy of ${tool.id}`).toEqual(columnsOf(oracle.policyRowOf(tool.id), ours));
      }
      claims += mine.snapshot.reservations.length;
    }
    // The comparison means something only if the calendar was full of what it compares.
    const everything = (await loadCalendar(db, all.find(([n]) => n.startsWith('every tool'))![1])).snapshot;
    expect(claims).toBeGreaterThan(300);
    expect(everything.quotaUse?.length).toBeGreaterThan(100);
    expect(everything.reservations.filter((r) => r.kind === 'maintenance').length).toBeGreaterThan(0);
    expect(new Set(everything.reservations.map((r) => (r.kind === 'booking' ? r.state : r.kind)))).toEqual(
      new Set(['held', 'confirmed', 'in_use', 'maintenance']),
    );
    expect(everything.qualifications.some((q) => q.expiresAt !== undefined)).toBe(true);
    // …and of what the facility added to it.
    const training = everything.reservations.filter((r) => r.kind === 'booking' && r.userId.startsWith('training:'));
    expect(training.length).toBeGreaterThan(0);
    for (const booking of training) {
      expect(everything.qualifications.filter((q) => q.userId === (booking as { userId: string }).userId)).toHaveLength(1);
    }
    // …and of linked tools and shared runs.
    expect(everything.tools.find((t) => t.id === 'STEPPER-1')?.linkedToolIds).toEqual(['RETICLE-1']);
    expect(everything.reservations.filter((r) => r.kind === 'booking' && r.linkedTo !== undefined)).toHaveLength(1);
    const runs = everything.reservations.filter((r) => r.kind === 'booking' && r.recipe !== undefined);
    expect(runs.map((r) => (r.kind === 'booking' ? [r.toolId, r.runWafers] : []))).toEqual([['ANNEAL-1', 8]]);
    const joined = await db.booking.findFirstOrThrow({ where: { sharedRunId: { not: null } } });
    expect(everything.reservations.some((r) => r.id === joined.id)).toBe(false);
    for (const [name, scope] of all.filter(([n]) => n.includes(' alone '))) {
      const ids = (await loadCalendar(db, scope)).snapshot.tools.map((t) => t.id);
      expect(ids, name).toEqual(['RETICLE-1', 'STEPPER-1']);
    }
    const retired = (await db.tool.findFirstOrThrow({ where: { retiredAt: { not: null } } })).id;
    expect(everything.tools.find((t) => t.id === retired)?.status).toBe('down');
    const revoked = await db.qualification.findMany({ where: { revokedAt: { not: null } } });
    expect(revoked.length).toBe(2);
    const held = await db.qualification.count({ where: { revokedAt: null } });
    expect(everything.qualifications.length - training.length).toBe(held);
  });

  it('judges a change of rules as if made, on the catalogue read or cached, and leaves the cache as it was', async () => {
    const { db } = database;
    const [, scope] = (await scopes()).find(([n]) => n.startsWith('every tool'))!;
    const tools = await db.tool.findMany({ orderBy: { id: 'asc' } });
    // The same change for both reads' row types: a longer buffer, a tool losing GaN, a new changeover.
    const policies = <T extends { id: string; bufferAfterMin: number }>(rows: T[]) =>
      rows.map((p) => (p.id === 'own-policy' ? { ...p, bufferAfterMin: 240 } : p));
    const toolsAsIf = <T extends { id: string; materials: string[] }>(rows: T[]) =>
      rows.map((t) => (t.id === tools[5]!.id ? { ...t, materials: t.materials.filter((m) => m !== 'GaN') } : t));
    const rule = { id: 'as-if-rule', toolTypeId: tools[6]!.toolTypeId, toolId: null, dimension: 'material', fromGroup: 'SiC', toGroup: 'GaN', minutes: 90 };
    const setupRules = <T>(rows: T[]) => [...rows, rule as T];
    const oracle = await loadCalendarByQueries(db, scope, { policies, tools: toolsAsIf, setupRules });
    const cache = new CatalogueCache();
    const plain = await loadCalendar(db, scope, { catalogue: cache });
    for (const catalogue of [undefined, cache]) {
      const mine = await loadCalendar(db, scope, { catalogue, asIf: { policies, tools: toolsAsIf, setupRules } });
      expect(normalised(mine.snapshot)).toEqual(normalised(oracle.snapshot));
      expect(mine.policyRowOf(tools[0]!.id)?.bufferAfterMin).toBe(240);
    }
    // The change showed: it is not the calendar as it is…
    expect(normalised(oracle.snapshot)).not.toEqual(normalised(plain.snapshot));
    // …and the cached catalogue is still the database's.
    const after = await loadCalendar(db, scope, { catalogue: cache });
    expect(cache.reads).toBe(1);
    expect(normalised(after.snapshot)).toEqual(normalised((await loadCalendarByQueries(db, scope)).snapshot));
    expect(after.policyRowOf(tools[0]!.id)?.bufferAfterMin).toBe(20);
  });

  it('lists the claims in a fixed order: tool, start, id', async () => {
    const { db } = database;
    const [, scope] = (await scopes()).find(([n]) => n.startsWith('every tool'))!;
    const { snapshot } = await loadCalendar(db, scope);
    const bookings = snapshot.reservations.filter((r) => r.kind === 'booking');
    const sorted = [...bookings].sort((a, b) => a.toolId.localeCompare(b.toolId, 'en') || a.start - b.start);
    expect(bookings.map((b) => `${b.toolId}@${b.start}`)).toEqual(
      sorted.map((b) => `${b.toolId}@${b.start}`),
    );
  });

  it('reports the booking already made for a request id, in the same read', async () => {
    const { db } = database;
    const booking = (await db.booking.findFirst({ where: { state: 'confirmed' } }))!;
    const scope: SnapshotScope = {
      toolIds: [booking.toolId],
      fromMinute: minuteFromDate(now),
      toMinute: minuteFromDate(now) + 60,
      userIds: [],
    };
    expect((await loadCalendar(db, scope, { requestId: booking.requestId })).bookedId).toBe(booking.id);
    expect((await loadCalendar(db, scope, { requestId: randomUUID() })).bookedId).toBeNull();
    expect((await loadCalendar(db, scope)).bookedId).toBeNull();
  });
});
