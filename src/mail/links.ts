import type { RelatedFacts, Recipient } from './facts.js';

// Where a mail sends its reader in the UI (the hash routes of src/web/client/app/views.ts).

const finishedLot = new Set(['completed', 'cancelled', 'rejected', 'expired']);

export interface Link {
  label: string;
  href: string;
}

function bookingsPage(publicUrl: string, focus: string, finished: boolean, staffView: boolean): string {
  const query = new URLSearchParams({ show: finished ? 'finished' : 'active' });
  if (staffView) query.set('scope', 'all');
  query.set('focus', focus);
  return `${publicUrl}/#/bookings?${query.toString()}`;
}

export function bookingPage(publicUrl: string, bookingId: string): string {
  return `${publicUrl}/#/booking?id=${encodeURIComponent(bookingId)}`;
}

export function preferencesLink(publicUrl: string): string {
  return `${publicUrl}/#/notifications`;
}

/** The page that shows what the notification is about, as its recipient opens it. */
export function linkFor(kind: string, related: RelatedFacts, recipient: Recipient, publicUrl: string): Link {
  if (kind === 'approval.needed') return { label: 'Open the approval queue', href: `${publicUrl}/#/approvals` };
  if (kind.startsWith('tool.') || kind.startsWith('maintenance.')) {
    const focus = related.maintenance ? `?focus=${encodeURIComponent(related.maintenance.id)}` : '';
    return { label: 'Open the maintenance planner', href: `${publicUrl}/#/maintenance${focus}` };
  }
  // Lab managers review rounds; tenants follow their requests (a granted one also as its booking).
  if (kind.startsWith('round.') && (recipient.role === 'lab_manager' || recipient.role === 'admin')) {
    return { label: 'Open the round review', href: `${publicUrl}/#/round-review` };
  }
  if (kind.startsWith('round.') && !related.booking) return { label: 'Open your round requests', href: `${publicUrl}/#/rounds` };
  const staffView = !recipient.isOwner;
  if (related.lot && kind.startsWith('lot.')) {
    return { label: 'Open the lot route', href: bookingsPage(publicUrl, related.lot.id, finishedLot.has(related.lot.state), staffView) };
  }
  // A booking's own page: its state, history and what each action would cost, for owner and staff alike.
  if (related.booking) return { label: 'Open the booking', href: bookingPage(publicUrl, related.booking.id) };
  return { label: 'Open Pilotline', href: `${publicUrl}/` };
}
