import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { lockToolTypes } from '../../activities/locks.js';
import { bookingById } from '../../src/data/booking-insert.js';
import { poolOf } from '../../src/data/sql.js';
import { CatalogueCache } from '../../src/calendar/catalogue.js';
import { systemClock } from '../../src/clock.js';
import type { BookingRequest } from '../../src/domain/booking.js';
import { countingDb, type CountingDb } from '../support/counting-db.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aPolicy, aProject, aTool, aUser, type TestUser } from '../support/scenario.js';

// The booking's hot path: how many statements one placement sends, counted at the driver, and
// what the worker's catalogue cache may and may not save.

let database: TestDatabase;
let counting: CountingDb;
let ann: TestUser;
let tess: TestUser;
let lena: TestUser;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'SEM-1', 'sem');
  await aTool(db, 'SEM-2', 'sem');
  await aPolicy(db, 'sem');
  ann = await aUser(db, 'ann', 'uni-a', 'tenant_user', ['sem']);
  // A trainee with no qualification, charged to her one project, and the lab manager who trains her.
  tess = await aUser(db, 'tess', 'uni-t', 'tenant_user');
  lena = await aUser(db, 'lena', 'facility', 'lab_manager');
  counting = countingDb(database.url);
});

afterAll(async () => {
  await counting?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

let day = 0;
/** A request for an hour of SEM on a day of its own, so every placement finds room. */
function aRequest(): BookingRequest {
  const start = Date.UTC(2031, 0, 5) + day++ * 86_400_000;
  return {
    requestId: randomUUID(),
    toolTypeId: 'sem',
    durationMin: 60,
    earliestStart: new Date(start).toISOString(),
    latestEnd: new Date(start + 8 * 3_600_000).toISOString(),
    material: 'GaN',
    waferSize: 150,
    contaminationGroup: 'standard',
  };
}

/** A statement by its verb and table: `INSERT bookings`, `lock`… (`INSERT a+b` for one statement writing both). */
function kindOf(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  const verb = text.split(/[ ;]/)[0]!.toUpperCase();
  if (verb === 'BEGIN' && /pg_advisory_xact_lock/.test(text)) return 'BEGIN+lock';
  if (verb === 'WITH' && /INSERT INTO/.test(text)) return `INSERT ${[...text.matchAll(/INSERT INTO (\w+)/g)].map((m) => m[1]).join('+')}`;
  if (/pg_advisory_xact_lock/.test(text)) return 'lock';
  if (/FROM catalogue_version/.test(text)) return 'calendar';
  const table = /(?:INSERT INTO|UPDATE|FROM) "?(?:public"?\."?)?"?(\w+)"?/i.exec(text)?.[1];
  return table ? `${verb} ${table}` : verb;
}

describe('placeAndHold', () => {
  // Four round trips: the types to lock come from the cached catalogue (checked under the lock
  // against the catalogue the read returns) and are locked with the BEGIN, and the booking, its
  // audit entry and its notifications are one statement.
  it('places a booking in four round trips once the catalogue is cached', async () => {
    const { placeAndHold } = createActivities({ db: counting.db, clock: systemClock });
    await placeAndHold({ request: aRequest(), actor: ann.actor, timingOverrides: {} });
    counting.reset();
    const result = await placeAndHold({ request: aRequest(), actor: ann.actor, timingOverrides: {} });
    expect(result.kind).toBe('placed');
    expect(counting.statements().map(kindOf)).toEqual([
      'BEGIN+lock',
      'calendar',
      'INSERT bookings+bookings+audit_log+notifications',
      'COMMIT',
    ]);
  });

  it('writes the booking as Prisma reads it, with its audit entry and its notification, in the one statement', async () => {
    const { db } = database;
    const { placeAndHold } = createActivities({ db, clock: systemClock });
    const request = { ...aRequest(), purpose: 'SEM of a trench cross-section' };
    const result = await placeAndHold({ request, actor: ann.actor, timingOverrides: {} });
    if (result.kind !== 'placed') throw new Error('the request should be placed');
    const row = await db.booking.findUniqueOrThrow({ where: { requestId: request.requestId } });
    // The hot path's column list against Prisma's own reading of the same row, field by field.
    expect(await bookingById(poolOf(db), row.id)).toEqual(row);
    expect(row).toMatchObject({ userId: 'ann', tenantId: 'uni-a', state: 'confirmed', purpose: request.purpose, waferCount: 1, projectId: null });
    expect(result.snapshot.booking.id).toBe(row.id);
    expect(result.linkedToolIds).toEqual([]);
    const audit = await db.auditLog.findMany({ where: { entityType: 'booking', entityId: row.id } });
    expect(audit).toMatchObject([{ actorId: 'ann', actorRole: 'tenant_user', action: 'booking.confirmed', data: { toolId: row.toolId, startsAt: row.startsAt.toISOString() } }]);
    const notifications = await db.notification.findMany({ where: { recipientId: 'ann', payload: { path: ['bookingId'], equals: row.id } } });
    expect(notifications).toMatchObject([{ tenantId: 'uni-a', kind: 'booking.confirmed', state: 'pending', payload: { toolId: row.toolId, endsAt: row.endsAt.toISOString() } }]);
  });

  it('locks the types a link added since the catalogue was cached reaches, and holds the linked tool with the booking', async () => {
    const { db } = database;
    const locked: string[][] = [];
    const { placeAndHold } = createActivities({
      db,
      clock: systemClock,
      catalogue: new CatalogueCache(),
      placementLock: async (tx, types) => {
        locked.push([...types]);
        await lockToolTypes(tx, types);
      },
    });
    await placeAndHold({ request: aRequest(), actor: ann.actor, timingOverrides: {} });
    expect(locked).toEqual([['sem']]);
    // Another node links a tool of another type to SEM-1, and qualifies Ann on it.
    await aTool(db, 'DETECTOR-1', 'edx');
    await db.toolLink.create({ data: { toolId: 'SEM-1', linkedToolId: 'DETECTOR-1' } });
    await db.qualification.create({ data: { userId: 'ann', toolTypeId: 'edx', grantedAt: new Date('2020-01-01T00:00:00Z') } });
    try {
      locked.length = 0;
      const request = { ...aRequest(), toolTypeId: undefined, toolIds: ['SEM-1'] };
      const result = await placeAndHold({ request, actor: ann.actor, timingOverrides: {} });
      if (result.kind !== 'placed') throw new Error('the request should be placed');
      // The cached catalogue said SEM alone; under that lock the read showed the link: locked again, wider.
      expect(locked).toEqual([['sem'], ['edx', 'sem']]);
      expect(result.linkedToolIds).toEqual(['DETECTOR-1']);
      const member = await db.booking.findFirstOrThrow({ where: { primaryBookingId: result.snapshot.booking.id } });
      expect(member).toMatchObject({
        toolId: 'DETECTOR-1',
        requestId: `${request.requestId}/DETECTOR-1`,
        state: 'confirmed',
        startsAt: new Date(result.snapshot.booking.startsAt),
        endsAt: new Date(result.snapshot.booking.endsAt),
        userId: 'ann',
      });
    } finally {
      await db.booking.deleteMany({ where: { toolId: 'DETECTOR-1' } });
      await db.toolLink.deleteMany({ where: { linkedToolId: 'DETECTOR-1' } });
      await db.qualification.deleteMany({ where: { toolTypeId: 'edx' } });
    }
  });

  it('places a training booking for an unqualified trainee, charged to her project; a retry answers with it, even once her tenant is suspended', async () => {
    const { db } = database;
    const project = await aProject(db, 'uni-t', 'T-1', ['tess']);
    const trainingRequest = await db.trainingRequest.create({ data: { userId: 'tess', tenantId: 'uni-t', toolTypeId: 'sem' } });
    const training = { trainingRequestId: trainingRequest.id, traineeId: 'tess', traineeTenantId: 'uni-t', trainerId: 'lena' };
    const { placeAndHold } = createActivities({ db: database.db, clock: systemClock });
    const request = aRequest();
    // Without the trainer beside her she is not qualified: no slot.
    expect((await placeAndHold({ request: aRequest(), actor: tess.actor, timingOverrides: {} })).kind).toBe('unplaced');
    const first = await placeAndHold({ request, actor: lena.actor, timingOverrides: {}, training });
    if (first.kind !== 'placed') throw new Error('the training booking should be placed');
    const row = await db.booking.findUniqueOrThrow({ where: { requestId: request.requestId } });
    expect(row).toMatchObject({ userId: 'tess', tenantId: 'uni-t', trainerId: 'lena', projectId: project.id, state: 'confirmed' });
    expect(await db.trainingRequest.findUniqueOrThrow({ where: { id: trainingRequest.id } })).toMatchObject({ status: 'scheduled', bookingId: row.id });
    await db.tenant.update({ where: { id: 'uni-t' }, data: { status: 'suspended' } });
    try {
      const again = await placeAndHold({ request, actor: lena.actor, timingOverrides: {}, training });
      if (again.kind !== 'placed') throw new Error('the retry should answer with the booking');
      expect(again.snapshot.booking).toEqual(first.snapshot.booking);
      expect(await db.booking.count({ where: { requestId: request.requestId } })).toBe(1);
      // A new request of the suspended tenant is refused.
      await expect(placeAndHold({ request: aRequest(), actor: lena.actor, timingOverrides: {}, training })).rejects.toThrow(/suspended/);
    } finally {
      await db.tenant.update({ where: { id: 'uni-t' }, data: { status: 'active' } });
    }
  });

  it('answers a retried placement with the booking its first attempt made, once', async () => {
    const { placeAndHold } = createActivities({ db: database.db, clock: systemClock });
    const request = aRequest();
    const first = await placeAndHold({ request, actor: ann.actor, timingOverrides: {} });
    const again = await placeAndHold({ request, actor: ann.actor, timingOverrides: {} });
    if (first.kind !== 'placed' || again.kind !== 'placed')
      throw new Error('both attempts should answer with a booking');
    expect(again.snapshot.booking).toEqual(first.snapshot.booking);
    expect(again.timing).toEqual(first.timing);
    expect(await database.db.booking.count({ where: { requestId: request.requestId } })).toBe(1);
  });

  it('reads the catalogue once, and again as soon as a change to it is committed', async () => {
    const catalogue = new CatalogueCache();
    const { placeAndHold } = createActivities({ db: database.db, clock: systemClock, catalogue });
    for (let i = 0; i < 3; i++)
      await placeAndHold({ request: aRequest(), actor: ann.actor, timingOverrides: {} });
    expect(catalogue.reads).toBe(1);
    // Another node takes Ann's qualification away: her next request must not be placed.
    await database.db.qualification.deleteMany({ where: { userId: 'ann' } });
    try {
      const refused = await placeAndHold({ request: aRequest(), actor: ann.actor, timingOverrides: {} });
      expect(refused.kind).toBe('unplaced');
      expect(catalogue.reads).toBe(2);
    } finally {
      await database.db.qualification.create({
        data: { userId: 'ann', toolTypeId: 'sem', grantedAt: new Date('2020-01-01T00:00:00Z') },
      });
    }
  });
});
