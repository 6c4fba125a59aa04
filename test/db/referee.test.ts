import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refereeCalendar } from '../../src/calendar/referee.js';
import type { Violation } from '../../src/solver/model.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aPolicy, aTool, aUser, newRequestId } from '../support/scenario.js';

// The referee over the database must see what the exclusion constraint cannot: buffers,
// changeovers, quotas, qualifications, and overlaps that reached the table around the constraint.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'SEM-1', 'sem');
  await aTool(db, 'SEM-2', 'sem');
  await aTool(db, 'ETCH-1', 'etch');
  await aTool(db, 'EPI-1', 'epi');
  await aTool(db, 'AFM-1', 'afm');
  await aPolicy(db, 'sem');
  await aPolicy(db, 'etch', { bufferAfterMin: 15 });
  await aPolicy(db, 'epi');
  await aPolicy(db, 'afm', { weeklyQuotaMin: 60 });
  await db.setupRule.create({ data: { id: 'epi-sic-to-gan', toolTypeId: 'epi', dimension: 'material', fromGroup: 'SiC', toGroup: 'GaN', minutes: 60 } });
  await aUser(db, 'ann', 'uni-a', 'tenant_user', ['sem', 'etch', 'epi', 'afm']);
  await aUser(db, 'quinn', 'uni-q', 'tenant_user', ['afm']);
  await aUser(db, 'nick', 'uni-n', 'tenant_user', []);
});

afterAll(async () => {
  await database?.[Symbol.asyncDispose]();
});

function aBooking(toolId: string, start: string, minutes: number, extra: { userId?: string; tenantId?: string; material?: string } = {}) {
  const requestId = newRequestId();
  const startsAt = new Date(start);
  return {
    requestId,
    workflowId: `booking-${requestId}`,
    tenantId: extra.tenantId ?? 'uni-a',
    userId: extra.userId ?? 'ann',
    toolId,
    startsAt,
    endsAt: new Date(startsAt.getTime() + minutes * 60_000),
    state: 'confirmed' as const,
    material: extra.material ?? 'SiC',
    waferSize: 150,
  };
}

async function violationsOn(toolId: string): Promise<Violation[]> {
  return (await refereeCalendar(database.db)).violations.filter((v) => v.toolId === toolId);
}

/** The old check: overlaps among active rows of `reservations`, the table the constraint guards. */
async function reservationOverlaps(): Promise<number> {
  const [row] = await database.db.$queryRaw<Array<{ n: bigint }>>`
    SELECT count(*) AS n FROM reservations a JOIN reservations b
      ON a.tool_id = b.tool_id AND a.id < b.id AND a.active AND b.active
     AND tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)')`;
  return Number(row?.n ?? 0);
}

describe('the referee over the database', () => {
  it('finds nothing wrong with a sound calendar, and counts what it judged', async () => {
    await database.db.booking.create({ data: aBooking('SEM-1', '2030-06-03T01:00:00Z', 30) });
    await database.db.booking.create({ data: aBooking('SEM-1', '2030-06-03T01:30:00Z', 30) });
    const verdict = await refereeCalendar(database.db);
    expect(verdict.bookings).toBeGreaterThanOrEqual(2);
    expect(verdict.violations.filter((v) => v.toolId === 'SEM-1')).toEqual([]);
  });

  it('reports two bookings that overlap when they reached the table around the constraint', async () => {
    const first = await database.db.booking.create({ data: aBooking('SEM-2', '2030-06-03T01:00:00Z', 60) });
    // Rows written with the mirror trigger off never reach `reservations`: the constraint cannot see them.
    const second = await database.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('ALTER TABLE bookings DISABLE TRIGGER bookings_mirror_reservation');
      const row = await tx.booking.create({ data: aBooking('SEM-2', '2030-06-03T01:30:00Z', 60, { tenantId: 'uni-n', userId: 'nick' }) });
      await tx.$executeRawUnsafe('ALTER TABLE bookings ENABLE TRIGGER bookings_mirror_reservation');
      return row;
    });
    expect(await reservationOverlaps()).toBe(0);
    const found = await violationsOn('SEM-2');
    expect(found).toContainEqual(expect.objectContaining({ code: 'OVERLAP', reservationIds: [first.id, second.id] }));
    // Nick was never qualified on the SEM either.
    expect(found).toContainEqual(expect.objectContaining({ code: 'NOT_QUALIFIED', reservationIds: [second.id] }));
  });

  it('reports a booking inside the buffer after another, which the constraint allows', async () => {
    const first = await database.db.booking.create({ data: aBooking('ETCH-1', '2030-06-03T01:00:00Z', 30) });
    const next = await database.db.booking.create({ data: aBooking('ETCH-1', '2030-06-03T01:30:00Z', 30) });
    expect(await violationsOn('ETCH-1')).toEqual([expect.objectContaining({ code: 'OVERLAP', reservationIds: [first.id, next.id] })]);
  });

  it('reports a changeover too short between materials', async () => {
    await database.db.booking.create({ data: aBooking('EPI-1', '2030-06-03T01:00:00Z', 60, { material: 'SiC' }) });
    await database.db.booking.create({ data: aBooking('EPI-1', '2030-06-03T02:30:00Z', 60, { material: 'GaN' }) });
    expect(await violationsOn('EPI-1')).toEqual([expect.objectContaining({ code: 'CHANGEOVER' })]);
  });

  it('reports a tenant over its weekly quota on a tool type', async () => {
    await database.db.booking.create({ data: aBooking('AFM-1', '2030-06-03T01:00:00Z', 45, { tenantId: 'uni-q', userId: 'quinn' }) });
    await database.db.booking.create({ data: aBooking('AFM-1', '2030-06-04T01:00:00Z', 45, { tenantId: 'uni-q', userId: 'quinn' }) });
    const { violations } = await refereeCalendar(database.db);
    expect(violations.filter((v) => v.tenantId === 'uni-q')).toEqual([expect.objectContaining({ code: 'QUOTA_EXCEEDED' })]);
  });

  it('reports a booking that outlasts its user\'s qualification', async () => {
    await database.db.qualification.updateMany({ where: { userId: 'ann', toolTypeId: 'sem' }, data: { expiresAt: new Date('2030-06-03T01:15:00Z') } });
    try {
      expect(await violationsOn('SEM-1')).toContainEqual(expect.objectContaining({ code: 'QUALIFICATION_EXPIRED' }));
    } finally {
      await database.db.qualification.updateMany({ where: { userId: 'ann', toolTypeId: 'sem' }, data: { expiresAt: null } });
    }
  });
});
