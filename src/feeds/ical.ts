import { createHash } from 'node:crypto';
import ical, { ICalEventBusyStatus, ICalEventStatus, type ICalEventData } from 'ical-generator';
import type { Db } from '../data/db.js';
import type { Actor } from '../domain/actor.js';
import { bookingBlockSeenBy } from '../domain/visibility.js';
import type { CalendarFeed } from '../generated/prisma/client.js';

// A feed's iCalendar text, built from the database on every request, so it follows every move.
// Each event keeps its UID across requests (clients update it in place); nothing in it depends on
// the time of the request, so an unchanged calendar has an unchanged ETag. A tenant user's tool
// feed shows other tenants' bookings as "Busy" only, under a UID that does not reveal the booking.

const dayMs = 86_400_000;
/** What a feed covers: the recent past and the bookable future. */
const horizon = { pastDays: 90, futureDays: 400 };
const shown = ['held', 'confirmed', 'in_use', 'completed'] as const;

export interface RenderedFeed {
  body: string;
  etag: string;
}

function stateWords(state: string): string {
  return state === 'held' ? 'held, waiting for approval' : state.replace('_', ' ');
}

function bookingsPage(publicUrl: string, id: string): string {
  return `${publicUrl}/#/bookings?show=active&focus=${id}`;
}

/** The feed's calendar as its owner may see it now (their current role and tenant). */
export async function renderFeed(db: Db, feed: CalendarFeed, owner: Actor & { name: string }, now: Date, publicUrl: string): Promise<RenderedFeed> {
  const window = { endsAt: { gt: new Date(now.getTime() - horizon.pastDays * dayMs) }, startsAt: { lt: new Date(now.getTime() + horizon.futureDays * dayMs) } };
  const events: ICalEventData[] = [];
  let name: string;

  if (feed.scope === 'user') {
    name = `Pilotline: ${owner.name}'s bookings`;
    const bookings = await db.booking.findMany({
      where: { userId: owner.userId, state: { in: [...shown] }, ...window },
      include: { tool: { select: { name: true, location: true } } },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    });
    for (const b of bookings) {
      events.push({
        id: `booking-${b.id}@pilotline`,
        start: b.startsAt,
        end: b.endsAt,
        summary: `${b.tool.name}${b.state === 'held' ? ' (awaiting approval)' : ''}`,
        description: [`Booking ${stateWords(b.state)}`, b.purpose ? `Purpose: ${b.purpose}` : '', bookingsPage(publicUrl, b.id)].filter(Boolean).join('\n'),
        location: b.tool.location ?? null,
        url: bookingsPage(publicUrl, b.id),
        status: b.state === 'held' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
        stamp: b.updatedAt,
        created: b.createdAt,
        lastModified: b.updatedAt,
      });
    }
  } else {
    const tool = await db.tool.findUniqueOrThrow({ where: { id: feed.toolId! } });
    name = `Pilotline: ${tool.name}`;
    const bookings = await db.booking.findMany({
      where: { toolId: tool.id, state: { in: [...shown] }, ...window },
      include: { user: { select: { name: true } }, tenant: { select: { name: true } } },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    });
    for (const b of bookings) {
      const seen = bookingBlockSeenBy(owner, {
        id: b.id,
        startsAt: b.startsAt.toISOString(),
        endsAt: b.endsAt.toISOString(),
        state: b.state,
        tenantId: b.tenantId,
        userId: b.userId,
        material: b.material,
      });
      if (seen.kind === 'busy') {
        const hidden = createHash('sha256').update(`${feed.id}/${b.id}`).digest('hex').slice(0, 32);
        events.push({ id: `busy-${hidden}@pilotline`, start: b.startsAt, end: b.endsAt, summary: 'Busy', busystatus: ICalEventBusyStatus.BUSY, stamp: b.createdAt });
        continue;
      }
      events.push({
        id: `booking-${b.id}@pilotline`,
        start: b.startsAt,
        end: b.endsAt,
        summary: `${b.user.name} (${b.tenant.name})${b.state === 'held' ? ', awaiting approval' : ''}`,
        description: [`Booking ${stateWords(b.state)}, ${b.material}`, b.purpose ? `Purpose: ${b.purpose}` : '', bookingsPage(publicUrl, b.id)].filter(Boolean).join('\n'),
        url: bookingsPage(publicUrl, b.id),
        status: b.state === 'held' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
        busystatus: ICalEventBusyStatus.BUSY,
        stamp: b.updatedAt,
        created: b.createdAt,
        lastModified: b.updatedAt,
      });
    }
    const windows = await db.maintenanceWindow.findMany({
      where: { toolId: tool.id, active: true, ...window },
      include: { maintenance: { select: { kind: true, state: true, updatedAt: true, createdAt: true } } },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    });
    for (const w of windows) {
      events.push({
        id: `maintenance-${w.id}@pilotline`,
        start: w.startsAt,
        end: w.endsAt,
        summary: w.maintenance.kind === 'outage' ? 'Down (outage)' : `Maintenance (${w.maintenance.kind})`,
        description: `Maintenance ${w.maintenance.state.replace('_', ' ')}: ${tool.name} cannot be booked`,
        url: `${publicUrl}/#/maintenance?focus=${w.maintenanceId}`,
        status: ICalEventStatus.CONFIRMED,
        busystatus: ICalEventBusyStatus.BUSY,
        stamp: w.maintenance.updatedAt,
        created: w.maintenance.createdAt,
        lastModified: w.maintenance.updatedAt,
      });
    }
  }

  const calendar = ical({ name, prodId: { company: 'Pilotline', product: 'Pilotline', language: 'EN' }, ttl: 15 * 60, events });
  const body = calendar.toString();
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url')}"` };
}
