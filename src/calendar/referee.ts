import { minuteFromDate } from '../domain/time.js';
import { validateSchedule } from '../solver/check.js';
import type { Violation } from '../solver/model.js';
import { loadCalendar, type DbReader } from './snapshot.js';

// The referee over the database: every active booking and maintenance window, read the way the
// solver reads them (buffers, changeovers, quotas, qualifications), judged by the solver's
// independent referee. The exclusion constraint only sees plain overlaps; this sees every rule.

export interface CalendarVerdict {
  /** Active bookings and maintenance windows judged. */
  bookings: number;
  maintenanceWindows: number;
  violations: Violation[];
}

const activeStates = ['held', 'confirmed', 'in_use'] as const;

/** Every broken rule among the calendar's active claims; an empty list means the calendar is sound. */
export async function refereeCalendar(db: DbReader): Promise<CalendarVerdict> {
  const activeBooking = { state: { in: [...activeStates] } };
  const [tools, bookingSpan, windowSpan, bookings, maintenanceWindows] = await Promise.all([
    db.tool.findMany({ select: { id: true } }),
    db.booking.aggregate({ where: activeBooking, _min: { startsAt: true }, _max: { endsAt: true } }),
    db.maintenanceWindow.aggregate({ where: { active: true }, _min: { startsAt: true }, _max: { endsAt: true } }),
    // Loads that joined a shared run hold no time of their own: their run's holder is judged.
    db.booking.count({ where: { ...activeBooking, sharedRunId: null } }),
    db.maintenanceWindow.count({ where: { active: true } }),
  ]);
  const starts = [bookingSpan._min.startsAt, windowSpan._min.startsAt].filter((d): d is Date => d !== null);
  const ends = [bookingSpan._max.endsAt, windowSpan._max.endsAt].filter((d): d is Date => d !== null);
  if (starts.length === 0 || ends.length === 0) return { bookings: 0, maintenanceWindows: 0, violations: [] };

  const { snapshot } = await loadCalendar(db, {
    toolIds: tools.map((t) => t.id),
    fromMinute: Math.min(...starts.map(minuteFromDate)),
    toMinute: Math.max(...ends.map(minuteFromDate)),
    userIds: 'all',
  });
  // A snapshot that silently missed a claim would make a clean verdict worthless.
  const seen = { booking: 0, maintenance: 0 };
  for (const r of snapshot.reservations) seen[r.kind]++;
  if (seen.booking !== bookings || seen.maintenance !== maintenanceWindows) {
    throw new Error(
      `the calendar snapshot holds ${seen.booking} of ${bookings} active bookings and ${seen.maintenance} of ${maintenanceWindows} active maintenance windows`,
    );
  }
  return { bookings, maintenanceWindows, violations: validateSchedule(snapshot) };
}
