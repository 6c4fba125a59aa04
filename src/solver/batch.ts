import type { ToolAssessment } from './eligibility.js';
import type { BlockReason, PlacementOption, PlacementRequest } from './model.js';
import type { SolverState, ToolContext } from './state.js';

// Shared runs on batch tools (furnaces): one recipe for every load in the boat. A planned run is a
// booking with a recipe; a request for the same recipe, material, contamination group and wafer size,
// of the same length, joins it while the tool's capacity in wafers lasts, instead of waiting for the
// tool to be free after it. The run's holder keeps the tool's time; a load that joins holds none.

export type RunRefusal = Extract<BlockReason, { code: 'BATCH_RUN' }>;

/** The planned runs inside the request's window on a batch tool: the ones it may join, and why not the others. */
export function runsForRequest(
  request: PlacementRequest,
  context: ToolContext,
  state: SolverState,
  assessment: ToolAssessment,
): { joins: PlacementOption[]; refused: RunRefusal[] } {
  const { tool, policy, timeline } = context;
  const found = { joins: [] as PlacementOption[], refused: [] as RunRefusal[] };
  if (tool.batchCapacity <= 1 || request.recipe === undefined || assessment.kind !== 'open') return found;
  const wafers = request.waferCount ?? 1;
  for (const footprint of timeline.overlapping(request.earliestStart, request.latestEnd)) {
    const run = state.reservation(footprint.id);
    // A run already loaded and started takes nobody in.
    if (run?.kind !== 'booking' || run.recipe === undefined || run.state === 'in_use') continue;
    const load = run.runWafers ?? 1;
    const why: RunRefusal['why'] = [];
    if (run.recipe !== request.recipe) why.push('RECIPE_DIFFERS');
    if (run.material !== request.material) why.push('MATERIAL_DIFFERS');
    if (run.contaminationGroup !== request.contaminationGroup) why.push('CONTAMINATION_DIFFERS');
    if (run.waferSize !== request.waferSize) why.push('WAFER_SIZE_DIFFERS');
    if (run.end - run.start !== request.durationMinutes) why.push('DURATION_DIFFERS');
    if (load + wafers > tool.batchCapacity) why.push('NO_ROOM');
    // The start must be one the request may take (window, notice, advance, qualification, quota).
    if (!assessment.ranges.some((r) => r.from <= run.start && run.start <= r.to)) why.push('OUTSIDE_WINDOW');
    if (why.length) {
      found.refused.push({ code: 'BATCH_RUN', start: run.start, end: run.end, why, loadWafers: load, capacityWafers: tool.batchCapacity });
      continue;
    }
    found.joins.push({
      toolId: tool.id,
      start: run.start,
      end: run.end,
      approvalRequired: policy.approvalRequired,
      preferred: request.preferredToolId === tool.id,
      fragmentationMinutes: 0,
      joinsRun: run.id,
    });
  }
  return found;
}
