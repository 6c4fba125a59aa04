import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlStateOf as sqlState } from '../../src/data/sql-state.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await db.toolType.create({ data: { id: 'implanter', name: 'Ion implanter', area: 'implant' } });
  await db.tool.create({
    data: { id: 'IMP-1', name: 'Implanter', toolTypeId: 'implanter', materials: ['SiC'], waferSizes: [150], contaminationClass: 'standard' },
  });
  await db.tenant.create({ data: { id: 'uni-a', name: 'University A', class: 'university' } });
  await db.user.create({ data: { id: 'u1', tenantId: 'uni-a', name: 'U One', email: 'u1@example.org', role: 'tenant_user' } });
});

afterAll(async () => {
  await database?.[Symbol.asyncDispose]();
});

let seq = 0;
function bookingRow(start: string, end: string, state: 'held' | 'confirmed' | 'in_use' | 'cancelled' | 'completed' = 'held') {
  seq += 1;
  return {
    requestId: `req-${seq}`,
    workflowId: `booking-req-${seq}`,
    tenantId: 'uni-a',
    userId: 'u1',
    toolId: 'IMP-1',
    startsAt: new Date(start),
    endsAt: new Date(end),
    state,
    material: 'SiC',
    waferSize: 150,
  } as const;
}

describe('the reservation exclusion constraint', () => {
  it('rejects a second active booking overlapping the first on the same tool', async () => {
    await database.db.booking.create({ data: bookingRow('2027-01-04T01:00:00Z', '2027-01-04T03:00:00Z') });
    const err = await database.db.booking
      .create({ data: bookingRow('2027-01-04T02:59:00Z', '2027-01-04T04:00:00Z', 'confirmed') })
      .catch((e: unknown) => e);
    expect(sqlState(err)).toBe('23P01');
  });

  it('allows back-to-back bookings (intervals are half-open)', async () => {
    await database.db.booking.create({ data: bookingRow('2027-01-05T01:00:00Z', '2027-01-05T02:00:00Z') });
    await expect(
      database.db.booking.create({ data: bookingRow('2027-01-05T02:00:00Z', '2027-01-05T03:00:00Z') }),
    ).resolves.toBeTruthy();
  });

  it('ignores cancelled and completed bookings, and frees the slot when a booking is cancelled', async () => {
    const first = await database.db.booking.create({ data: bookingRow('2027-01-06T01:00:00Z', '2027-01-06T02:00:00Z') });
    await database.db.booking.create({ data: bookingRow('2027-01-06T01:00:00Z', '2027-01-06T02:00:00Z', 'cancelled') });
    await database.db.booking.update({ where: { id: first.id }, data: { state: 'cancelled' } });
    await expect(
      database.db.booking.create({ data: bookingRow('2027-01-06T01:30:00Z', '2027-01-06T02:30:00Z', 'confirmed') }),
    ).resolves.toBeTruthy();
  });

  it('rejects re-activating a cancelled booking whose slot was taken meanwhile', async () => {
    const old = await database.db.booking.create({
      data: bookingRow('2027-01-07T01:00:00Z', '2027-01-07T02:00:00Z', 'cancelled'),
    });
    await database.db.booking.create({ data: bookingRow('2027-01-07T01:00:00Z', '2027-01-07T02:00:00Z') });
    const err = await database.db.booking
      .update({ where: { id: old.id }, data: { state: 'confirmed' } })
      .catch((e: unknown) => e);
    expect(sqlState(err)).toBe('23P01');
  });

  it('keeps bookings out of an active maintenance window, and the window out of bookings', async () => {
    const { db } = database;
    const maintenance = await db.maintenance.create({
      data: {
        requestId: 'pm-1',
        workflowId: 'maintenance-pm-1',
        kind: 'planned',
        state: 'scheduled',
        startsAt: new Date('2027-01-08T00:00:00Z'),
        endsAt: new Date('2027-01-09T00:00:00Z'),
        reason: 'PM',
        createdById: 'u1',
      },
    });
    await db.maintenanceWindow.create({
      data: {
        maintenanceId: maintenance.id,
        toolId: 'IMP-1',
        startsAt: maintenance.startsAt,
        endsAt: maintenance.endsAt,
      },
    });
    const bookingErr = await db.booking
      .create({ data: bookingRow('2027-01-08T23:00:00Z', '2027-01-09T01:00:00Z') })
      .catch((e: unknown) => e);
    expect(sqlState(bookingErr)).toBe('23P01');

    await db.booking.create({ data: bookingRow('2027-01-09T01:00:00Z', '2027-01-09T02:00:00Z') });
    const extendErr = await db.maintenanceWindow
      .update({
        where: { maintenanceId_toolId: { maintenanceId: maintenance.id, toolId: 'IMP-1' } },
        data: { endsAt: new Date('2027-01-09T01:30:00Z') },
      })
      .catch((e: unknown) => e);
    expect(sqlState(extendErr)).toBe('23P01');
  });

  it('lets exactly one of two concurrent transactions take an overlapping slot', async () => {
    // Two raw connections, both inside open transactions, racing for overlapping intervals.
    const a = new pg.Client({ connectionString: database.url });
    const b = new pg.Client({ connectionString: database.url });
    await Promise.all([a.connect(), b.connect()]);
    try {
      const insert = (client: pg.Client, id: string, start: string, end: string) =>
        client.query(
          `INSERT INTO bookings (id, request_id, workflow_id, tenant_id, user_id, tool_id, starts_at, ends_at, state, material, wafer_size)
           VALUES (gen_random_uuid(), $1, $2, 'uni-a', 'u1', 'IMP-1', $3, $4, 'held', 'SiC', 150)`,
          [id, `booking-${id}`, start, end],
        );
      await a.query('BEGIN');
      await b.query('BEGIN');
      await insert(a, 'race-a', '2027-01-10T01:00:00Z', '2027-01-10T03:00:00Z');
      // b blocks on a's uncommitted row, then fails once a commits.
      const bResult = insert(b, 'race-b', '2027-01-10T02:00:00Z', '2027-01-10T04:00:00Z').then(
        () => 'ok',
        (e: unknown) => sqlState(e),
      );
      await new Promise((r) => setTimeout(r, 200));
      await a.query('COMMIT');
      expect(await bResult).toBe('23P01');
      await b.query('ROLLBACK');

      const rows = await database.db.booking.findMany({
        where: { requestId: { in: ['race-a', 'race-b'] } },
        select: { requestId: true },
      });
      expect(rows.map((r) => r.requestId)).toEqual(['race-a']);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('never holds an overlap after many concurrent writers race for the same hour', async () => {
    const { db } = database;
    const attempts = Array.from({ length: 20 }, (_, i) =>
      db.booking
        .create({ data: bookingRow(`2027-01-11T01:${String(i).padStart(2, '0')}:00Z`, '2027-01-11T02:30:00Z') })
        .then(
          () => 'ok' as const,
          (e: unknown) => sqlState(e),
        ),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r !== 'ok').every((r) => r === '23P01')).toBe(true);

    const overlaps = await db.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM reservations r1 JOIN reservations r2
        ON r1.tool_id = r2.tool_id AND r1.id < r2.id AND r1.active AND r2.active
       AND tstzrange(r1.starts_at, r1.ends_at, '[)') && tstzrange(r2.starts_at, r2.ends_at, '[)')`;
    expect(Number(overlaps[0]?.n)).toBe(0);
  });
});
