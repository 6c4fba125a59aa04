// What a person may do to a booking at a given instant, and why not — the same rules the booking
// workflow's Update validators apply, so a screen offers a button only where the workflow would accept
// it. Plain data and functions (no zod): the browser bundle uses it to re-decide as time passes.

export type BookingActionName = 'check-in' | 'check-out' | 'cancel' | 'decline-move' | 'reschedule' | 'approve' | 'reject';

/** The instants at which a booking's actions open or change, from its slot and its tool's policy. */
export interface ActionTimes {
  /** Check-in opens this long before the start. */
  checkInOpensAt: string;
  /** No check-in by then: a no-show, the slot released. */
  noShowAt: string;
  /** Cancelling a confirmed booking from then on is a late cancellation. */
  lateCancelFrom: string;
}

export interface ActingBooking {
  state: string;
  tenantId: string;
  userId: string;
  startsAt: string;
  lotStepId: string | null;
  movedByMaintenance: boolean;
}

export interface ActingViewer {
  userId: string;
  tenantId: string;
  role: string;
}

export interface ActionState {
  action: BookingActionName;
  allowed: boolean;
  /** Why it is refused, or what it means now, in a sentence. */
  note: string;
  /** When this answer changes by the clock alone (an action opens or turns late); null: never. */
  changesAt: string | null;
}

/** Check-in opens this long before the start (the workflow's default timing). */
export const earlyCheckInMinutes = 15;
/** Where a tool has no policy: the workflow's default grace and late-cancel lead. */
export const defaultActionPolicy = { checkInGraceMin: 15, lateCancelMin: 24 * 60 } as const;

const minuteMs = 60_000;
const staff = ['lab_manager', 'admin', 'ops'];
const managers = ['lab_manager', 'admin'];

/** The times of a booking starting at `startsAt` under a policy's check-in grace and late-cancel lead. */
export function actionTimesOf(startsAt: string, policy: { checkInGraceMin: number; lateCancelMin: number }): ActionTimes {
  const start = Date.parse(startsAt);
  return {
    checkInOpensAt: new Date(start - earlyCheckInMinutes * minuteMs).toISOString(),
    noShowAt: new Date(start + policy.checkInGraceMin * minuteMs).toISOString(),
    lateCancelFrom: new Date(start - policy.lateCancelMin * minuteMs).toISOString(),
  };
}

/** Whether a cancellation at `now` is late: only a confirmed booking, inside the policy's lead. */
export function isLateCancel(booking: Pick<ActingBooking, 'state'>, times: ActionTimes, now: number): boolean {
  return booking.state === 'confirmed' && now >= Date.parse(times.lateCancelFrom);
}

/** "Tue 4 Mar 09:00" in Hong Kong time (UTC+8 all year), for the notes. */
function hkt(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3_600_000);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day} ${d.getUTCDate()} ${month} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * Every action on `booking` as `viewer` may take it at `now`: allowed or not, and why. A step of a
 * lot route is driven through its route, so none of these apply to it.
 */
export function bookingActionsAt(booking: ActingBooking, times: ActionTimes, now: number, viewer: ActingViewer): ActionState[] {
  if (booking.lotStepId) return [];
  const ownTenant = viewer.role === 'tenant_user' && viewer.tenantId === booking.tenantId;
  const mayUse = ownTenant || staff.includes(viewer.role);
  const { state } = booking;
  const open = state === 'held' || state === 'confirmed';
  const result: ActionState[] = [];
  const add = (action: BookingActionName, allowed: boolean, note: string, changesAt: string | null = null) =>
    result.push({ action, allowed, note, changesAt });

  if (mayUse && (state === 'confirmed' || state === 'held')) {
    const opens = Date.parse(times.checkInOpensAt);
    const closes = Date.parse(times.noShowAt);
    if (state === 'held') add('check-in', false, 'Check-in opens once a lab manager approves the booking.');
    else if (now < opens) add('check-in', false, `Check-in opens ${hkt(times.checkInOpensAt)} (${earlyCheckInMinutes} min before the start).`, times.checkInOpensAt);
    else if (now < closes) add('check-in', true, `Check in by ${hkt(times.noShowAt)}, or the slot is released as a no-show.`, times.noShowAt);
    else add('check-in', false, 'Check-in closed: the booking is being released as a no-show.');
  }
  if (mayUse && state === 'in_use') add('check-out', true, 'Usage is billed from check-in to check-out.');
  if (mayUse && open) {
    const late = isLateCancel(booking, times, now);
    const changesAt = state === 'confirmed' && !late ? times.lateCancelFrom : null;
    add(
      'cancel',
      true,
      state === 'held'
        ? 'Cancelling a held booking is never late: it is not confirmed yet.'
        : late
          ? 'Cancelling now is a late cancellation.'
          : `Free of charge until ${hkt(times.lateCancelFrom)}; later it is a late cancellation.`,
      changesAt,
    );
  }
  if (ownTenant && open && booking.movedByMaintenance) {
    add('decline-move', true, 'Maintenance moved this booking: declining the move cancels it without penalty.');
  }
  if ((ownTenant || managers.includes(viewer.role)) && open) add('reschedule', true, 'Moves to the best slot of a new window; the old slot is kept until the new one is held.');
  if (managers.includes(viewer.role) && state === 'held') {
    add('approve', true, 'Confirms the booking.');
    add('reject', true, 'Frees the slot; the requester is told.');
  }
  return result;
}
