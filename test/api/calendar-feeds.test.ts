import ICAL from 'ical.js';
import { buildApiServer } from '../../src/api/server.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPolicy, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// Private iCalendar feeds, read back with a real parser (ical.js): they follow a reschedule, a
// tenant user's tool feed shows other tenants only as busy, and a revoked or rotated URL is 404.

const now = new Date('2042-06-02T00:00:00Z');
const day = (d: number, h: number) => new Date(now.getTime() + d * 86_400_000 + h * 3_600_000).toISOString();

let world: ApiWorld;
const people = {} as Record<'tess' | 'tom' | 'ulla' | 'otto', TestUser>;

beforeAll(async () => {
  world = await startApiWorld(now, async (db) => {
    await aTool(db, 'SEM-1', 'sem', { name: 'Scanning electron microscope', location: 'Bay 3' });
    await aTool(db, 'AFM-1', 'afm');
    await aPolicy(db, 'sem');
    people.tess = await aUser(db, 'tess', 'uni-t', 'tenant_user', ['sem']);
    people.tom = await aUser(db, 'tom', 'uni-t', 'tenant_user', ['sem']);
    people.ulla = await aUser(db, 'ulla', 'co-u', 'tenant_user', ['sem']);
    people.otto = await aUser(db, 'otto', 'institute', 'ops');
  });
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

async function book(user: TestUser, earliestStart: string, latestEnd: string, purpose?: string) {
  const response = await world.api.call('POST', '/api/bookings', {
    token: user.token,
    body: { requestId: newRequestId(), toolIds: ['SEM-1'], durationMin: 60, earliestStart, latestEnd, material: 'SiC', waferSize: 150, ...(purpose ? { purpose } : {}) },
  });
  expect(response.statusCode).toBe(201);
  return response.json().booking as { id: string; startsAt: string };
}

async function newFeed(user: TestUser, body: object): Promise<{ id: string; url: string }> {
  const response = await world.api.call('POST', '/api/calendar-feeds', { token: user.token, body });
  expect(response.statusCode).toBe(201);
  const { feed, url } = response.json();
  return { id: feed.id, url };
}

/** Fetches a feed URL without any credentials, as a calendar program does. */
function fetchFeed(url: string, etag?: string) {
  return world.api.call('GET', new URL(url).pathname, etag ? { headers: { 'if-none-match': etag } } : {});
}

function eventsOf(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return {
    name: calendar.getFirstPropertyValue('x-wr-calname'),
    events: calendar.getAllSubcomponents('vevent').map((v) => {
      const e = new ICAL.Event(v);
      return { uid: e.uid, summary: e.summary, description: e.description, start: e.startDate.toJSDate().toISOString(), end: e.endDate.toJSDate().toISOString() };
    }),
  };
}

describe('calendar feeds', () => {
  it("a person's feed parses and follows a reschedule; the ETag says when nothing changed", async () => {
    const mine = await book(people.tess, day(1, 1), day(1, 2), 'SEM of trench cross-sections');
    const feed = await newFeed(people.tess, { scope: 'user' });
    expect(feed.url).toMatch(/\/calendar\/plcal_[A-Za-z0-9_-]{32}\.ics$/);

    const first = await fetchFeed(feed.url);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/calendar/);
    const parsed = eventsOf(first.body);
    expect(parsed.name).toBe("Pilotline: tess's bookings");
    expect(parsed.events).toEqual([
      expect.objectContaining({ uid: `booking-${mine.id}@pilotline`, summary: 'Scanning electron microscope', start: day(1, 1), end: day(1, 2) }),
    ]);
    expect(parsed.events[0]!.description).toContain('SEM of trench cross-sections');
    const etag = first.headers.etag as string;
    expect((await fetchFeed(feed.url, etag)).statusCode).toBe(304);

    const moved = await world.api.call('POST', `/api/bookings/${mine.id}/reschedule`, {
      token: people.tess.token,
      body: { toolIds: ['SEM-1'], durationMin: 60, earliestStart: day(2, 3), latestEnd: day(2, 4) },
    });
    expect(moved.statusCode).toBe(200);
    const after = await fetchFeed(feed.url, etag);
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(eventsOf(after.body).events).toEqual([expect.objectContaining({ uid: `booking-${mine.id}@pilotline`, start: day(2, 3), end: day(2, 4) })]);
  });

  it("a tenant user's tool feed shows other tenants' bookings only as busy; staff see who", async () => {
    const own = await book(people.tess, day(3, 1), day(3, 2));
    const colleague = await book(people.tom, day(3, 2), day(3, 3));
    const other = await book(people.ulla, day(3, 4), day(3, 5), 'secret GaN HEMT process');
    const planned = await world.api.call('POST', '/api/maintenance', {
      token: people.otto.token,
      body: { requestId: newRequestId(), toolIds: ['SEM-1'], startsAt: day(3, 6), endsAt: day(3, 8), reason: 'filament change' },
    });
    const maintenanceId = planned.json().maintenance.id;
    expect((await world.api.call('POST', `/api/maintenance/${maintenanceId}/confirm`, { token: people.otto.token, body: {} })).statusCode).toBe(200);

    const tessFeed = await fetchFeed((await newFeed(people.tess, { scope: 'tool', toolId: 'SEM-1' })).url);
    const seen = eventsOf(tessFeed.body);
    expect(seen.name).toBe('Pilotline: Scanning electron microscope');
    const onDay3 = seen.events.filter((e) => e.start >= day(3, 0) && e.start < day(4, 0));
    expect(onDay3.map((e) => [e.summary, e.start])).toEqual([
      ['tess (uni-t)', day(3, 1)],
      ['tom (uni-t)', day(3, 2)],
      ['Busy', day(3, 4)],
      ['Maintenance (planned)', day(3, 6)],
    ]);
    expect(onDay3.map((e) => e.uid).slice(0, 2)).toEqual([`booking-${own.id}@pilotline`, `booking-${colleague.id}@pilotline`]);
    expect(tessFeed.body).not.toContain(other.id);
    for (const leak of ['ulla', 'co-u', 'GaN HEMT', 'SiC']) expect(onDay3[2]!.description ?? '', leak).not.toContain(leak);
    expect(tessFeed.body).not.toMatch(/ulla|co-u|GaN HEMT/);

    const ottoFeed = eventsOf((await fetchFeed((await newFeed(people.otto, { scope: 'tool', toolId: 'SEM-1' })).url)).body);
    expect(ottoFeed.events.find((e) => e.start === day(3, 4))).toMatchObject({ uid: `booking-${other.id}@pilotline`, summary: 'ulla (co-u)' });
  });

  it('a revoked URL answers 404, a rotated one only at its new address; feeds are their owner’s alone', async () => {
    const feed = await newFeed(people.tess, { scope: 'user' });
    expect((await fetchFeed(feed.url)).statusCode).toBe(200);
    // Another person cannot rotate or revoke it.
    for (const action of ['rotate', 'revoke']) {
      const refused = await world.api.call('POST', `/api/calendar-feeds/${feed.id}/${action}`, { token: people.ulla.token });
      expect(refused.statusCode).toBe(404);
    }
    const rotated = await world.api.call('POST', `/api/calendar-feeds/${feed.id}/rotate`, { token: people.tess.token });
    expect(rotated.statusCode).toBe(200);
    const newUrl = rotated.json().url as string;
    expect(newUrl).not.toBe(feed.url);
    const old = await fetchFeed(feed.url);
    expect(old.statusCode).toBe(404);
    expect(old.json().code).toBe('NOT_FOUND');
    expect((await fetchFeed(newUrl)).statusCode).toBe(200);

    const revoked = await world.api.call('POST', `/api/calendar-feeds/${feed.id}/revoke`, { token: people.tess.token });
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await fetchFeed(newUrl)).statusCode).toBe(404);
    expect((await world.api.call('POST', `/api/calendar-feeds/${feed.id}/rotate`, { token: people.tess.token })).statusCode).toBe(409);
    const listed = (await world.api.call('GET', '/api/calendar-feeds', { token: people.tess.token })).json().feeds;
    expect(listed.find((f: { id: string }) => f.id === feed.id).revokedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain('plcal_');
    // Only the hash is stored.
    const stored = await world.db.calendarFeed.findUniqueOrThrow({ where: { id: feed.id } });
    expect(newUrl).not.toContain(stored.tokenHash);
  });

  it('keeps the secret out of the request log', async () => {
    const lines: string[] = [];
    const logged = buildApiServer(
      { db: world.db, clock: world.clock, temporal: { client: world.temporal.client, namespace: 'default', taskQueue: 'none' } },
      { logLevel: 'trace', logStream: { write: (line) => void lines.push(line) } },
    );
    try {
      const { url } = await newFeed(people.tess, { scope: 'user' });
      const path = new URL(url).pathname;
      expect((await logged.inject({ method: 'GET', url: path })).statusCode).toBe(200);
      expect(lines.join('')).toContain('/calendar/***');
      expect(lines.join('')).not.toContain(path.split('/').pop()!.slice(0, 20));
    } finally {
      await logged.close();
    }
  });

  it('refuses a tool feed without a tool or for an unknown tool, writing nothing', async () => {
    const before = await world.db.calendarFeed.count();
    const missing = await world.api.call('POST', '/api/calendar-feeds', { token: people.tess.token, body: { scope: 'tool' } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().issues.map((i: { field: string }) => i.field)).toEqual(['body.toolId']);
    const unknown = await world.api.call('POST', '/api/calendar-feeds', { token: people.tess.token, body: { scope: 'tool', toolId: 'NOPE-1' } });
    expect(unknown.statusCode).toBe(404);
    const bad = await world.api.call('GET', '/calendar/plcal_short.ics');
    expect(bad.statusCode).toBe(422);
    expect(await world.db.calendarFeed.count()).toBe(before);
  });
});
