import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSlots, placementRequestOf } from '../../src/calendar/placement.js';
import { refereeCalendar } from '../../src/calendar/referee.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aPolicy, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';

// A weekly quota counts the time a tenant already had that week (completed runs, no-shows), not only
// what it still holds: 90 minutes used on Monday leave 30 of a 2-hour quota for Wednesday.

let database: TestDatabase;
let ann: TestUser;
// Quota weeks start Monday 00:00 Hong Kong time; 2035-03-05 is a Monday.
const monday = '2035-03-05T02:00:00Z';
const wednesday = { earliestStart: '2035-03-07T01:00:00Z', latestEnd: '2035-03-07T09:00:00Z' };
const now = new Date('2035-03-06T00:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'AFM-1', 'afm');
  await aPolicy(db, 'afm', { weeklyQuotaMin: 120 });
  ann = await aUser(db, 'ann', 'uni-a', 'tenant_user', ['afm']);
});

afterAll(async () => {
  await database?.[Symbol.asyncDispose]();
});

async function pastBooking(state: 'completed' | 'no_show' | 'cancelled', minutes: number) {
  const requestId = newRequestId();
  const startsAt = new Date(monday);
  return database.db.booking.create({
    data: {
      requestId,
      workflowId: `booking-${requestId}`,
      tenantId: 'uni-a',
      userId: 'ann',
      toolId: 'AFM-1',
      startsAt,
      endsAt: new Date(startsAt.getTime() + minutes * 60_000),
      state,
      material: 'GaN',
      waferSize: 100,
    },
  });
}

async function place(durationMin: number) {
  const request = placementRequestOf(newRequestId(), { toolIds: ['AFM-1'], durationMin, ...wednesday }, { material: 'GaN', waferSize: 100, contaminationGroup: 'standard' }, ann.actor);
  return (await findSlots(database.db, request, now)).answer;
}

describe('weekly quotas', () => {
  it('count what the tenant already had that week: completed and no-show time, not cancelled', async () => {
    const cancelled = await pastBooking('cancelled', 90);
    expect((await place(60)).kind).toBe('options');

    const completed = await pastBooking('completed', 60);
    const noShow = await pastBooking('no_show', 30);
    const refused = await place(60);
    expect(refused.kind).toBe('unplaced');
    expect(JSON.stringify(refused)).toContain('QUOTA_EXCEEDED');
    expect((await place(30)).kind).toBe('options');

    await database.db.booking.deleteMany({ where: { id: { in: [cancelled.id, completed.id, noShow.id] } } });
  });

  it('are judged by the referee with the time already had', async () => {
    await pastBooking('completed', 90);
    const requestId = newRequestId();
    await database.db.booking.create({
      data: {
        requestId,
        workflowId: `booking-${requestId}`,
        tenantId: 'uni-a',
        userId: 'ann',
        toolId: 'AFM-1',
        startsAt: new Date(wednesday.earliestStart),
        endsAt: new Date(Date.parse(wednesday.earliestStart) + 60 * 60_000),
        state: 'confirmed',
        material: 'GaN',
        waferSize: 100,
      },
    });
    const { violations } = await refereeCalendar(database.db);
    expect(violations.map((v) => v.code)).toEqual(['QUOTA_EXCEEDED']);
  });
});
