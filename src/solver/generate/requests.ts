import type { ContaminationGroup, PlacementRequest, SolverSnapshot, Tool } from '../model.js';
import { MINUTES_PER_DAY, MINUTES_PER_HOUR } from '../week.js';
import { CATALOGUE, profileOf } from './catalogue.js';
import { Prng } from './prng.js';

// A seeded stream of booking requests against a facility: mostly sensible (a qualified user, a
// material the tool takes, a duration the policy allows), with the odd one that cannot be met.

export interface RequestStreamOptions {
  readonly seed: number;
  readonly count: number;
  readonly now: number;
  /** Requests ask for time up to this many days ahead (default 14). */
  readonly horizonDays?: number;
}

export function generateRequests(
  snapshot: SolverSnapshot,
  options: RequestStreamOptions,
): PlacementRequest[] {
  const rng = new Prng(options.seed);
  const horizon = (options.horizonDays ?? 14) * MINUTES_PER_DAY;
  const toolsByType = new Map<string, Tool[]>();
  for (const tool of snapshot.tools)
    toolsByType.set(tool.type, [...(toolsByType.get(tool.type) ?? []), tool]);
  const types = [...toolsByType.keys()].sort();
  const users = [...new Set(snapshot.qualifications.map((q) => q.userId))].sort();
  const tenantOf = (userId: string) =>
    snapshot.tenants.find((t) => userId.startsWith(`${t.id}-`))?.id ?? snapshot.tenants[0]!.id;
  const typesOf = new Map(
    users.map((u) => [
      u,
      snapshot.qualifications
        .filter((q) => q.userId === u && q.appliesTo.kind === 'toolType')
        .map((q) => (q.appliesTo as { toolType: string }).toolType),
    ]),
  );
  const requests: PlacementRequest[] = [];
  for (let i = 0; i < options.count; i++) {
    const userId = rng.pick(users);
    const qualifiedTypes = typesOf.get(userId) ?? [];
    const toolType =
      qualifiedTypes.length > 0 && rng.chance(0.9) ? rng.pick(qualifiedTypes) : rng.pick(types);
    const tools = toolsByType.get(toolType)!;
    const like = rng.pick(tools);
    const [shortest, longest] = typicalMinutes(toolType);
    const durationMinutes = rng.chance(0.95)
      ? rng.int(shortest / 15, longest / 15) * 15
      : rng.int(1, 64) * 15;
    const earliestStart = Math.ceil((options.now + rng.int(0, horizon)) / 15) * 15;
    // Half the requesters want a slot within the day; the others give a few days.
    const slack = rng.chance(0.5) ? rng.int(0, 16) * 15 : rng.int(1, 4) * MINUTES_PER_DAY;
    const group: ContaminationGroup =
      like.contaminationClass === 'cmos-clean' || rng.chance(0.2) ? 'cmos-clean' : 'standard';
    requests.push({
      id: `req-${options.seed}-${i + 1}`,
      tenantId: tenantOf(userId),
      userId,
      target: rng.chance(0.85) ? { kind: 'toolType', toolType } : { kind: 'tools', toolIds: [like.id] },
      durationMinutes,
      earliestStart,
      latestEnd: earliestStart + durationMinutes + slack,
      material: rng.chance(0.95)
        ? rng.pick(like.materials)
        : rng.pick(['SiC', 'GaN', 'GaN-on-Si', 'Si'] as const),
      waferSize: rng.pick(like.waferSizes),
      contaminationGroup: group,
      ...(tools.length > 1 && rng.chance(0.3) ? { preferredToolId: like.id } : {}),
    });
  }
  return requests;
}

function typicalMinutes(toolType: string): readonly [number, number] {
  const model = CATALOGUE.find((m) => m.type === toolType);
  return model === undefined ? [15, 4 * MINUTES_PER_HOUR] : profileOf(model).typicalMinutes;
}
