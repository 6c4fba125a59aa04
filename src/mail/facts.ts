import type { Role } from '../domain/roles.js';

// What a mail is written from: the notification as the activity wrote it, and the rows it names
// as the database holds them when the mail is written. Plain data: rendering does no I/O.

export interface NotificationFacts {
  kind: string;
  /** The one-line summary the activity stored (UTC times in older rows). */
  subject: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface Slot {
  toolId: string;
  startsAt: Date;
  endsAt: Date;
}

export interface BookingFacts extends Slot {
  id: string;
  state: string;
  purpose: string | null;
  checkedOutAt: Date | null;
  requester: { name: string; tenantName: string };
}

export interface LotFacts {
  id: string;
  name: string;
  state: string;
  requester: { name: string; tenantName: string };
  steps: Array<{ seq: number; name: string; slot: Slot | null }>;
}

export interface MaintenanceFacts {
  id: string;
  reason: string;
  kind: string;
  startsAt: Date;
  endsAt: Date;
  toolIds: string[];
}

export interface RelatedFacts {
  booking?: BookingFacts;
  lot?: LotFacts;
  maintenance?: MaintenanceFacts;
  /** Tool id → name, for every tool the notification names. */
  toolNames: ReadonlyMap<string, string>;
}

export interface Recipient {
  userId: string;
  name: string;
  email: string;
  role: Role;
  /** The booking's or lot's own user (not reached through a role). */
  isOwner: boolean;
}

export interface MailContext {
  /** Where people open Pilotline, without a trailing slash. */
  publicUrl: string;
  now: Date;
}
