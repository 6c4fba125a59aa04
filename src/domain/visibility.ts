import { actsForAllTenants, type Actor } from './actor.js';
import type { AffectedBooking, AffectedListing } from './affected.js';
import type { Impact, MaintenanceAnswer } from './maintenance.js';

// What one actor may see of bookings: staff see every tenant's; a tenant user sees their own
// tenant's in full and everyone else's only as busy time. Every view that embeds bookings goes through here.

type Slot = Impact['moves'][number]['from'];

/** A maintenance's impact as `actor` may see it. */
export function impactSeenBy(actor: Actor, impact: Impact): Impact {
  const slot = (s: Slot): Slot => ({ toolId: s.toolId, startsAt: s.startsAt, endsAt: s.endsAt });
  const { metrics } = impact;
  const all = actsForAllTenants(actor);
  const mine = (entry: { tenantId: string }) => all || entry.tenantId === actor.tenantId;
  const view: Impact = {
    moves: impact.moves.filter(mine).map((m) => ({ bookingId: m.bookingId, tenantId: m.tenantId, from: slot(m.from), to: slot(m.to) })),
    unplaceable: impact.unplaceable
      .filter(mine)
      .map((u) => ({ bookingId: u.bookingId, tenantId: u.tenantId, from: slot(u.from), explanation: u.explanation })),
    conflicts: impact.conflicts.filter(mine).map((c) => ({ bookingId: c.bookingId, tenantId: c.tenantId, at: slot(c.at) })),
    lots: impact.lots.filter(mine).map((l) => ({
      lotId: l.lotId,
      tenantId: l.tenantId,
      name: l.name,
      outcome: l.outcome,
      steps: l.steps.map((s) => ({ seq: s.seq, bookingId: s.bookingId, from: slot(s.from), to: s.to ? slot(s.to) : null })),
      detail: l.detail,
      qtimeAlert: l.qtimeAlert ? { ...l.qtimeAlert } : null,
    })),
    metrics: { ...metrics },
  };
  if (all) return view;
  const busy = [
    ...impact.moves.filter((m) => !mine(m)).map((m) => slot(m.from)),
    ...impact.unplaceable.filter((u) => !mine(u)).map((u) => slot(u.from)),
    ...impact.conflicts.filter((c) => !mine(c)).map((c) => slot(c.at)),
    ...impact.lots.filter((l) => !mine(l)).flatMap((l) => l.steps.map((s) => slot(s.from))),
  ].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.toolId.localeCompare(b.toolId));
  return { ...view, busy };
}

/** A maintenance and its impact, as every maintenance endpoint answers `actor`. */
export function maintenanceAnswerSeenBy(actor: Actor, answer: MaintenanceAnswer): MaintenanceAnswer {
  return { maintenance: answer.maintenance, impact: answer.impact ? impactSeenBy(actor, answer.impact) : null };
}

export interface BookingOnSchedule {
  id: string;
  startsAt: string;
  endsAt: string;
  state: string;
  tenantId: string;
  userId: string;
  material: string;
}

/** A booking on the schedule: in full for staff and its own tenant, else only as busy. */
export function bookingBlockSeenBy<B extends BookingOnSchedule>(actor: Actor, booking: B) {
  if (actsForAllTenants(actor) || booking.tenantId === actor.tenantId) return { kind: 'booking' as const, ...booking };
  return { kind: 'busy' as const, startsAt: booking.startsAt, endsAt: booking.endsAt };
}

/** Bookings a change affects, as `actor` may see them: other tenants' only as busy time. */
export function affectedSeenBy(actor: Actor, bookings: readonly AffectedBooking[]): AffectedListing {
  if (actsForAllTenants(actor)) return { bookings: bookings.map((b) => ({ ...b })) };
  const mine = bookings.filter((b) => b.tenantId === actor.tenantId).map((b) => ({ ...b }));
  const busy = bookings
    .filter((b) => b.tenantId !== actor.tenantId)
    .map((b) => ({ toolId: b.toolId, startsAt: b.startsAt, endsAt: b.endsAt }))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.toolId.localeCompare(b.toolId));
  return { bookings: mine, busy };
}
