import type { WaitListEntryView, WaitListOfferView, WaitListSnapshot } from '../domain/wait-list.js';
import type { Booking, WaitListEntry, WaitListOffer } from '../generated/prisma/client.js';

/** An entry with its open offer (and that offer's held booking), as reads include it. */
export const entryWithOpenOffer = {
  offers: { where: { state: 'open' as const }, include: { booking: true } },
} as const;

export type EntryRow = WaitListEntry & { offers: Array<WaitListOffer & { booking: Booking }> };

export function offerView(offer: WaitListOffer & { booking: Booking }): WaitListOfferView {
  return {
    id: offer.id,
    state: offer.state,
    toolId: offer.booking.toolId,
    startsAt: offer.booking.startsAt.toISOString(),
    endsAt: offer.booking.endsAt.toISOString(),
    expiresAt: offer.expiresAt.toISOString(),
    bookingId: offer.bookingId,
  };
}

export function waitListEntryView(row: EntryRow): WaitListEntryView {
  const open = row.offers.find((o) => o.state === 'open');
  return {
    id: row.id,
    requestId: row.requestId,
    tenantId: row.tenantId,
    userId: row.userId,
    state: row.state,
    toolTypeId: row.toolTypeId,
    toolIds: row.toolIds,
    durationMin: row.durationMin,
    earliestStart: row.earliestStart.toISOString(),
    latestEnd: row.latestEnd.toISOString(),
    material: row.material,
    waferSize: row.waferSize as WaitListEntryView['waferSize'],
    contaminationGroup: row.contaminationGroup,
    purpose: row.purpose,
    joinedAt: row.joinedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    closeReason: row.closeReason,
    bookingId: row.bookingId,
    offer: open ? offerView(open) : null,
  };
}

/** The latest instant the waiter's request could still start: past it, the entry expires. */
export function latestStartOf(row: Pick<WaitListEntry, 'latestEnd' | 'durationMin'>): Date {
  return new Date(row.latestEnd.getTime() - row.durationMin * 60_000);
}

/** The entry with its deadlines as offsets from `now`, for the workflow's timers. */
export function waitListSnapshot(row: EntryRow, now: Date, acceptedBookingRequestId: string | null = null): WaitListSnapshot {
  const open = row.offers.find((o) => o.state === 'open');
  return {
    entry: waitListEntryView(row),
    expiresInMs: latestStartOf(row).getTime() - now.getTime(),
    offerExpiresInMs: open ? open.expiresAt.getTime() - now.getTime() : null,
    acceptedBookingRequestId,
  };
}
