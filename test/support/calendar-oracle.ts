// The calendar read as it was before it became one statement (src/calendar/calendar-read.ts):
// several Prisma queries, kept as the oracle the one-statement read is compared with
// (test/db/calendar-read.test.ts). It carries the facility's rules as the per-table read had them:
// training bookings under a per-booking user qualified on their tool type, revoked qualifications
// left out, retired tools down, linked tools (either way, one level) in scope, loads that joined a
// shared run holding no time, and a change of rules judged "as if" on the rows read.
import type { Db } from '../../src/data/db.js';
import { minuteFromDate } from '../../src/domain/time.js';
import {
  ContaminationGroupSchema,
  MaterialSchema,
  SOLVER_MODEL_VERSION,
  WaferSizeSchema,
  type ContaminationGroup,
  type Material,
  type Policy,
  type Reservation,
  type SetupRule,
  type SolverSnapshot,
  type Tool,
  type WaferSize,
} from '../../src/solver/model.js';
import { MINUTES_PER_DAY, weekIndexOf, weekStartOf } from '../../src/solver/week.js';
import type { SnapshotScope } from '../../src/calendar/snapshot.js';

type DbReader = Pick<
  Db,
  'tool' | 'toolLink' | 'booking' | 'maintenanceWindow' | 'policy' | 'setupRule' | 'qualification' | 'tenant'
>;


// Bookings just outside the window still matter: their buffer and changeover reach into it.
const marginMinutes = 2 * MINUTES_PER_DAY;



type PolicyRow = Awaited<ReturnType<DbReader['policy']['findMany']>>[number];
type ToolRow = Awaited<ReturnType<DbReader['tool']['findMany']>>[number];
type SetupRuleRow = Awaited<ReturnType<DbReader['setupRule']['findMany']>>[number];

/** The per-table read's own "as if": Prisma's rows in, rows out. */
export interface OracleAsIf {
  tools?(rows: ToolRow[]): ToolRow[];
  policies?(rows: PolicyRow[]): PolicyRow[];
  setupRules?(rows: SetupRuleRow[]): SetupRuleRow[];
}

export interface OracleCalendar {
  snapshot: SolverSnapshot;
  policyRowOf(toolId: string): PolicyRow | null;
}

/** The snapshot and the policy rows it was built from, by one Prisma query per table. */
export async function loadCalendarByQueries(db: DbReader, scope: SnapshotScope, asIf: OracleAsIf = {}): Promise<OracleCalendar> {
  const readTools = await db.tool.findMany({
    where: {
      OR: [
        ...(scope.toolTypeIds?.length ? [{ toolTypeId: { in: [...scope.toolTypeIds] } }] : []),
        ...(scope.toolIds?.length ? [{ id: { in: [...scope.toolIds] } }] : []),
      ],
    },
    orderBy: { id: 'asc' },
  });
  const scopedIds = readTools.map((t) => t.id);
  const links = await db.toolLink.findMany({
    where: { OR: [{ toolId: { in: scopedIds } }, { linkedToolId: { in: scopedIds } }] },
    orderBy: [{ toolId: 'asc' }, { linkedToolId: 'asc' }],
  });
  const missing = [...new Set(links.flatMap((l) => [l.toolId, l.linkedToolId]))].filter((id) => !scopedIds.includes(id));
  const withLinked = missing.length
    ? [...readTools, ...(await db.tool.findMany({ where: { id: { in: missing } } }))].sort((a, b) => (a.id < b.id ? -1 : 1))
    : readTools;
  const toolRows = asIf.tools ? asIf.tools(withLinked) : withLinked;
  const toolIds = toolRows.map((t) => t.id);
  const typeIds = [...new Set(toolRows.map((t) => t.toolTypeId))];
  const from = new Date(Math.min(weekStartOf(weekIndexOf(scope.fromMinute)), scope.fromMinute - marginMinutes) * 60_000);
  const to = new Date(Math.max(weekStartOf(weekIndexOf(scope.toMinute) + 1), scope.toMinute + marginMinutes) * 60_000);

  const [bookings, used, windows, readPolicies, readSetupRules, qualifications, tenants] = await Promise.all([
    db.booking.findMany({
      where: { toolId: { in: toolIds }, state: { in: ['held', 'confirmed', 'in_use'] }, startsAt: { lt: to }, endsAt: { gt: from } },
      select: {
        id: true,
        toolId: true,
        startsAt: true,
        endsAt: true,
        state: true,
        tenantId: true,
        userId: true,
        material: true,
        waferSize: true,
        contaminationGroup: true,
        windowStart: true,
        windowEnd: true,
        trainerId: true,
        primaryBookingId: true,
        recipe: true,
        waferCount: true,
        sharedRunId: true,
      },
    }),
    // Time already had in these weeks: it holds no slot any more but counts toward the weekly quota.
    db.booking.findMany({
      where: { toolId: { in: toolIds }, state: { in: ['completed', 'no_show'] }, startsAt: { lt: to }, endsAt: { gt: from } },
      select: { toolId: true, tenantId: true, startsAt: true, endsAt: true },
    }),
    db.maintenanceWindow.findMany({
      where: { toolId: { in: toolIds }, active: true, startsAt: { lt: to }, endsAt: { gt: from } },
      select: { id: true, toolId: true, startsAt: true, endsAt: true, maintenance: { select: { kind: true } } },
    }),
    db.policy.findMany({ where: { OR: [{ toolTypeId: { in: typeIds } }, { toolId: { in: toolIds } }] } }),
    db.setupRule.findMany({ where: { OR: [{ toolTypeId: { in: typeIds } }, { toolId: { in: toolIds } }] } }),
    // A revoked qualification qualifies no one; an expired one still says until when it did.
    db.qualification.findMany({ where: { revokedAt: null, ...(scope.userIds === 'all' ? {} : { userId: { in: [...scope.userIds] } }) } }),
    db.tenant.findMany(),
  ]);
  const policies = asIf.policies ? asIf.policies(readPolicies) : readPolicies;
  const setupRules = asIf.setupRules ? asIf.setupRules(readSetupRules) : readSetupRules;

  const joinedWafers = new Map<string, number>();
  for (const b of bookings) if (b.sharedRunId) joinedWafers.set(b.sharedRunId, (joinedWafers.get(b.sharedRunId) ?? 0) + b.waferCount);
  const reservations: Reservation[] = [
    ...bookings.filter((b) => !b.sharedRunId).map((b): Reservation => {
      const windowStart = b.windowStart ? minuteFromDate(b.windowStart) : undefined;
      const windowEnd = b.windowEnd ? minuteFromDate(b.windowEnd) : undefined;
      return {
        kind: 'booking',
        id: b.id,
        toolId: b.toolId,
        start: minuteFromDate(b.startsAt),
        end: minuteFromDate(b.endsAt),
        state: b.state as 'held' | 'confirmed' | 'in_use',
        tenantId: b.tenantId,
        userId: b.trainerId ? `training:${b.id}` : b.userId,
        material: asMaterial(b.material),
        waferSize: asWaferSize(b.waferSize),
        contaminationGroup: asContamination(b.contaminationGroup),
        ...(windowStart !== undefined && windowEnd !== undefined && windowEnd > windowStart
          ? { allowedWindow: { earliestStart: windowStart, latestEnd: windowEnd } }
          : {}),
        ...(b.primaryBookingId ? { linkedTo: b.primaryBookingId } : {}),
        ...(b.recipe ? { recipe: b.recipe, runWafers: b.waferCount + (joinedWafers.get(b.id) ?? 0) } : {}),
      };
    }),
    ...windows.map(
      (w): Reservation => ({
        kind: 'maintenance',
        id: w.id,
        toolId: w.toolId,
        start: minuteFromDate(w.startsAt),
        end: minuteFromDate(w.endsAt),
        reason: w.maintenance.kind,
      }),
    ),
  ];

  const typeOf = new Map(toolRows.map((t) => [t.id, t.toolTypeId]));
  const snapshot: SolverSnapshot = {
    version: SOLVER_MODEL_VERSION,
    tools: toolRows.map(
      (t): Tool => ({
        id: t.id,
        type: t.toolTypeId,
        name: t.name,
        materials: t.materials.map(asMaterial),
        waferSizes: t.waferSizes.map(asWaferSize),
        contaminationClass: asContamination(t.contaminationClass),
        batchCapacity: t.batchCapacity,
        // A tool is only `down` inside a maintenance window, which the calendar already blocks: the
        // time after the (estimated) end stays bookable. Requalification has no end: it blocks all.
        // Retirement blocks all too.
        status: t.retiredAt ? 'down' : t.status === 'down' ? 'up' : t.status,
        ...linkedToolIdsOf(t.id, links),
      }),
    ),
    reservations,
    policies: policies.map(
      (p): Policy => ({
        appliesTo: p.toolId ? { kind: 'tool', toolId: p.toolId } : { kind: 'toolType', toolType: p.toolTypeId ?? '' },
        minDurationMinutes: p.minDurationMin,
        maxDurationMinutes: p.maxDurationMin,
        minNoticeMinutes: p.minNoticeMin,
        maxAdvanceMinutes: p.maxAdvanceMin,
        bufferAfterMinutes: p.bufferAfterMin,
        approvalRequired: p.approvalRequired,
        ...(p.startGridMin !== null ? { startGridMinutes: p.startGridMin } : {}),
        // Quotas are per tool type; the solver refuses them on a single tool's policy.
        ...(p.toolTypeId && p.weeklyQuotaMin !== null ? { weeklyQuotaHours: p.weeklyQuotaMin / 60 } : {}),
      }),
    ),
    setupRules: setupRules.flatMap((r): SetupRule[] => {
      const appliesTo = r.toolId
        ? { kind: 'tool' as const, toolId: r.toolId }
        : { kind: 'toolType' as const, toolType: r.toolTypeId ?? '' };
      if (r.dimension === 'material') {
        const from = r.fromGroup === 'any' ? 'any' : MaterialSchema.safeParse(r.fromGroup).data;
        const to = r.toGroup === 'any' ? 'any' : MaterialSchema.safeParse(r.toGroup).data;
        return from && to ? [{ dimension: 'material', appliesTo, from, to, minutes: r.minutes }] : [];
      }
      const from = r.fromGroup === 'any' ? 'any' : ContaminationGroupSchema.safeParse(r.fromGroup).data;
      const to = r.toGroup === 'any' ? 'any' : ContaminationGroupSchema.safeParse(r.toGroup).data;
      return from && to ? [{ dimension: 'contamination', appliesTo, from, to, minutes: r.minutes }] : [];
    }),
    qualifications: [
      ...qualifications.map((q) => ({
        userId: q.userId,
        appliesTo: q.toolId ? { kind: 'tool' as const, toolId: q.toolId } : { kind: 'toolType' as const, toolType: q.toolTypeId ?? '' },
        ...(q.expiresAt ? { expiresAt: minuteFromDate(q.expiresAt) } : {}),
      })),
      ...bookings
        .filter((b) => b.trainerId)
        .map((b) => ({ userId: `training:${b.id}`, appliesTo: { kind: 'toolType' as const, toolType: typeOf.get(b.toolId) ?? '' } })),
    ],
    tenants: tenants.map((t) => ({ id: t.id, name: t.name, class: t.class, priority: t.priority })),
    quotaUse: used.map((b) => ({
      tenantId: b.tenantId,
      toolType: typeOf.get(b.toolId)!,
      start: minuteFromDate(b.startsAt),
      end: minuteFromDate(b.endsAt),
    })),
  };
  return {
    snapshot,
    policyRowOf: (toolId) =>
      policies.find((p) => p.toolId === toolId) ?? policies.find((p) => p.toolTypeId === typeOf.get(toolId)) ?? null,
  };
}

function linkedToolIdsOf(toolId: string, links: ReadonlyArray<{ toolId: string; linkedToolId: string }>): { linkedToolIds?: string[] } {
  const linked = links.filter((l) => l.toolId === toolId).map((l) => l.linkedToolId);
  return linked.length ? { linkedToolIds: linked } : {};
}

// The database's check constraints keep these vocabularies closed; a parse failure means a corrupt row.
const asMaterial = (value: string): Material => MaterialSchema.parse(value);
const asWaferSize = (value: number): WaferSize => WaferSizeSchema.parse(value);
const asContamination = (value: string): ContaminationGroup => ContaminationGroupSchema.parse(value);
