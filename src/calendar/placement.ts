import type { Actor } from '../domain/actor.js';
import type { SlotWish } from '../domain/booking.js';
import { explanationView, type Explanation, type SlotOption } from '../domain/placement.js';
import { facilityUtcOffsetMinutes, isoFromMinute, minuteAtOrAfter, minuteFromDate } from '../domain/time.js';
import type { ContaminationGroup, Material, PlacementRequest, WaferSize } from '../solver/model.js';
import { placeBooking } from '../solver/place.js';
import { buildSolverState, type SolverState } from '../solver/state.js';
import type { CalendarSource } from './calendar-read.js';
import { loadCalendar, type Calendar, type CalendarOptions } from './snapshot.js';

export interface WaferLot {
  material: Material;
  waferSize: WaferSize;
  contaminationGroup: ContaminationGroup;
  /** On a batch tool: the recipe, and how many wafers go into the run. */
  recipe?: string | undefined;
  waferCount?: number | undefined;
}

/** A tenant's wish as the solver's request (minutes; the window never grows past what was asked). */
export function placementRequestOf(id: string, wish: SlotWish, lot: WaferLot, actor: Actor): PlacementRequest {
  return {
    id,
    tenantId: actor.tenantId,
    userId: actor.userId,
    target: wish.toolIds ? { kind: 'tools', toolIds: wish.toolIds } : { kind: 'toolType', toolType: wish.toolTypeId ?? '' },
    durationMinutes: wish.durationMin,
    earliestStart: minuteAtOrAfter(new Date(wish.earliestStart)),
    latestEnd: minuteFromDate(new Date(wish.latestEnd)),
    material: lot.material,
    waferSize: lot.waferSize,
    contaminationGroup: lot.contaminationGroup,
    ...(wish.preferredToolId ? { preferredToolId: wish.preferredToolId } : {}),
    ...(lot.recipe ? { recipe: lot.recipe } : {}),
    ...(lot.waferCount ? { waferCount: lot.waferCount } : {}),
  };
}

function trainingScopes(request: PlacementRequest) {
  return request.target.kind === 'toolType'
    ? [{ kind: 'toolType' as const, toolType: request.target.toolType }]
    : request.target.toolIds.map((toolId) => ({ kind: 'tool' as const, toolId }));
}

export type PlacementAnswer =
  | { kind: 'options'; options: SlotOption[] }
  | { kind: 'unplaced'; explanation: Explanation };

/** Starts offered on quarter hours of Hong Kong time unless a tool's policy has its own grid. */
export const defaultStartGridMinutes = 15;

/**
 * Loads the calendar around a request and asks the solver for ranked options. `exclude` leaves
 * bookings out of the calendar (a reschedule may overlap its own old slot, and its linked tools');
 * `startsPerGap` offers several starts per free gap on the start grid (the booking placement itself asks for none).
 */
export async function findSlots(
  db: CalendarSource,
  request: PlacementRequest,
  now: Date,
  options: { maxOptions?: number; exclude?: readonly string[]; training?: boolean; startsPerGap?: number } & Pick<CalendarOptions, 'catalogue' | 'requestId' | 'booker'> = {},
): Promise<{ answer: PlacementAnswer; state: SolverState } & Pick<Calendar, 'policyRowOf' | 'bookedId' | 'booker' | 'catalogue'>> {
  const scope = {
    ...(request.target.kind === 'toolType'
      ? { toolTypeIds: [request.target.toolType] }
      : { toolIds: request.target.toolIds }),
    fromMinute: request.earliestStart,
    toMinute: Math.max(request.latestEnd, request.earliestStart + 1),
    userIds: [request.userId],
  };
  const { catalogue, requestId, booker } = options;
  const calendar = await loadCalendar(db, scope, { catalogue, requestId, booker });
  const { snapshot, policyRowOf, bookedId, booker: charging } = calendar;
  // A training booking: the trainee is not qualified yet; the trainer beside them is what counts.
  if (options.training) snapshot.qualifications.push(...trainingScopes(request).map((appliesTo) => ({ userId: request.userId, appliesTo })));
  const state = buildSolverState(snapshot);
  for (const id of options.exclude ?? []) state.remove(id);
  const maxOptions = options.maxOptions ?? 5;
  const result = placeBooking(request, state, minuteAtOrAfter(now), {
    maxOptions,
    ...(options.startsPerGap
      ? {
          // Several starts per gap: per tool room for a few gaps' worth, so one tool does not fill the list.
          maxOptionsPerTool: Math.max(options.startsPerGap, Math.ceil(maxOptions / 2)),
          grid: { minutes: defaultStartGridMinutes, originMinute: -facilityUtcOffsetMinutes, startsPerGap: options.startsPerGap },
        }
      : {}),
  });
  const answer: PlacementAnswer =
    result.status === 'feasible'
      ? {
          kind: 'options',
          options: result.options.map((o) => ({
            toolId: o.toolId,
            startsAt: isoFromMinute(o.start),
            endsAt: isoFromMinute(o.end),
            approvalRequired: o.approvalRequired,
            preferred: o.preferred,
            fragmentationMinutes: o.fragmentationMinutes,
            ...(o.gap ? { gap: { firstStart: isoFromMinute(o.gap.firstStart), lastStart: isoFromMinute(o.gap.lastStart) } } : {}),
            ...(o.linkedToolIds?.length ? { linkedToolIds: o.linkedToolIds } : {}),
            ...(o.joinsRun ? { joinsRun: o.joinsRun } : {}),
          })),
        }
      : { kind: 'unplaced', explanation: explanationView(result.explanation) };
  return { answer, state, policyRowOf, bookedId, booker: charging, catalogue: calendar.catalogue };
}
