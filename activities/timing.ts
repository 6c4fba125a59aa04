import type { Policy } from '../src/generated/prisma/client.js';
import type { BookingTiming } from '../src/domain/booking.js';
import { defaultActionPolicy, earlyCheckInMinutes } from '../src/domain/booking-actions.js';

/** Used where a tool has no policy at all. */
export const defaultTiming: BookingTiming = {
  approvalTimeoutMs: 24 * 3_600_000,
  checkInGraceMs: defaultActionPolicy.checkInGraceMin * 60_000,
  earlyCheckInMs: earlyCheckInMinutes * 60_000,
  overrunGraceMs: 60 * 60_000,
  lateCancelMs: defaultActionPolicy.lateCancelMin * 60_000,
  reminderOffsetsMs: [24 * 3_600_000, 3_600_000],
};

/** A booking's durations from its tool's policy, then the overrides (tests, configuration). */
export function resolveTiming(
  policy: Pick<Policy, 'approvalTimeoutMin' | 'checkInGraceMin' | 'lateCancelMin' | 'reminderOffsetsMin'> | null,
  overrides: Partial<BookingTiming>): BookingTiming {
  const fromPolicy: Partial<BookingTiming> = policy
    ? {
        approvalTimeoutMs: policy.approvalTimeoutMin * 60_000,
        checkInGraceMs: policy.checkInGraceMin * 60_000,
        lateCancelMs: policy.lateCancelMin * 60_000,
        reminderOffsetsMs: policy.reminderOffsetsMin.map((m) => m * 60_000),
      }
    : {};
  return { ...defaultTiming, ...fromPolicy, ...withoutUndefined(overrides) };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
