import type { Actor } from '../domain/actor.js';
import type { SlotWish } from '../domain/booking.js';
import { explanationView, type Explanation, type SlotOption } from '../domain/placement.js';
import { isoFromMinute, minuteAtOrAfter, minuteFromDate } from '../domain/time.js';
import type { ContaminationGroup, Material, PlacementRequest, WaferSize } from '../solver/model.js';
import { placeBooking } from '../solver/place.js';
import { buildSolverState, type SolverState } from '../solver/state.js';
import { loadCalendar, type Calendar, type CalendarOptions, type DbReader } from './snapshot.js';

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

/**
 * Loads the calendar around a request and asks the solver for ranked options. `exclude` leaves
 * bookings out of the calendar (a reschedule may overlap its own old slot, and its linked tools').
 */
export async function findSlots(
  db: DbReader,
  request: PlacementRequest,
  now: Date,
  options: { maxOptions?: number; exclude?: readonly string[]; training?: boolean } & Pick<CalendarOptions, 'catalogue' | 'requestId' | 'booker'> = {},
): Promise<{ answer: PlacementAnswer; state: SolverState } & Pick<Calendar, 'policyRowOf' | 'bookedId' | 'booker'>> {
  const scope = {
    ...(request.target.kind === 'toolType'
      ? { toolTypeIds: [request.target.toolType] }
      : { toolIds: request.target.toolIds }),
    fromMinute: request.earliestStart,
    toMinute: Math.max(request.latestEnd, request.earliestStart + 1),
    userIds: [request.userId],
  };
  const { catalogue, requestId, booker } = options;
  const { snapshot, policyRowOf, bookedId, booker: charging } = await loadCalendar(db, scope, { catalogue, requestId, booker });
  // A training booking: the trainee is not qualified yet; the trainer beside them is what counts.
  if (options.training) snapshot.qualifications.push(...trainingScopes(request).map((appliesTo) => ({ userId: request.userId, appliesTo })));
  const state = buildSolverState(snapshot);
  for (const id of options.exclude ?? []) state.remove(id);
  const result = placeBooking(request, state, minuteAtOrAfter(now), { maxOptions: options.maxOptions ?? 5 });
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
            ...(o.linkedToolIds?.length ? { linkedToolIds: o.linkedToolIds } : {}),
            ...(o.joinsRun ? { joinsRun: o.joinsRun } : {}),
          })),
        }
      : { kind: 'unplaced', explanation: explanationView(result.explanation) };
  return { answer, state, policyRowOf, bookedId, booker: charging };
}
