import type { Db } from '../data/db.js';
import { minuteFromDate } from '../domain/time.js';
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
} from '../solver/model.js';
import { MINUTES_PER_DAY, weekIndexOf, weekStartOf } from '../solver/week.js';

/** Prisma's transaction client and the full client both read the calendar. */
export type DbReader = Pick<
  Db,
  'tool' | 'booking' | 'maintenanceWindow' | 'policy' | 'setupRule' | 'qualification' | 'tenant'
>;

export interface SnapshotScope {
  /** Every tool of these types… */
  toolTypeIds?: readonly string[];
  /** …and these tools. */
  toolIds?: readonly string[];
  /** The minutes placement will look at; the snapshot covers whole quota weeks around them. */
  fromMinute: number;
  toMinute: number;
  /** Qualifications of these users only, or of everyone (a repair moves many users' bookings). */
  userIds: readonly string[] | 'all';
}

// Bookings just outside the window still matter: their buffer and changeover reach into it.
const marginMinutes = 2 * MINUTES_PER_DAY;

/**
 * Reads the part of the calendar a placement needs into the solver's plain snapshot: the tools in
 * scope, their active reservations over the whole quota weeks the window touches, their policies,
 * setup rules, the users' qualifications and the tenants.
 */
export async function loadSolverSnapshot(db: DbReader, scope: SnapshotScope): Promise<SolverSnapshot> {
  return (await loadCalendar(db, scope)).snapshot;
}

export interface Calendar {
  snapshot: SolverSnapshot;
  /** The policy row that governs a tool (its own, else its type's), for the durations of a booking's life. */
  policyRowOf(toolId: string): PolicyRow | null;
}

type PolicyRow = Awaited<ReturnType<DbReader['policy']['findMany']>>[number];

/** The snapshot and the policy rows it was built from, in one read. */
export async function loadCalendar(db: DbReader, scope: SnapshotScope): Promise<Calendar> {
  const toolRows = await db.tool.findMany({
    where: {
      OR: [
        ...(scope.toolTypeIds?.length ? [{ toolTypeId: { in: [...scope.toolTypeIds] } }] : []),
        ...(scope.toolIds?.length ? [{ id: { in: [...scope.toolIds] } }] : []),
      ],
    },
    orderBy: { id: 'asc' },
  });
  const toolIds = toolRows.map((t) => t.id);
  const typeIds = [...new Set(toolRows.map((t) => t.toolTypeId))];
  const from = new Date(Math.min(weekStartOf(weekIndexOf(scope.fromMinute)), scope.fromMinute - marginMinutes) * 60_000);
  const to = new Date(Math.max(weekStartOf(weekIndexOf(scope.toMinute) + 1), scope.toMinute + marginMinutes) * 60_000);

  const [bookings, used, windows, policies, setupRules, qualifications, tenants] = await Promise.all([
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
    db.qualification.findMany({ where: scope.userIds === 'all' ? {} : { userId: { in: [...scope.userIds] } } }),
    db.tenant.findMany(),
  ]);

  const reservations: Reservation[] = [
    ...bookings.map((b): Reservation => {
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
        userId: b.userId,
        material: asMaterial(b.material),
        waferSize: asWaferSize(b.waferSize),
        contaminationGroup: asContamination(b.contaminationGroup),
        ...(windowStart !== undefined && windowEnd !== undefined && windowEnd > windowStart
          ? { allowedWindow: { earliestStart: windowStart, latestEnd: windowEnd } }
          : {}),
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
        status: t.status === 'down' ? 'up' : t.status,
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
    qualifications: qualifications.map((q) => ({
      userId: q.userId,
      appliesTo: q.toolId ? { kind: 'tool' as const, toolId: q.toolId } : { kind: 'toolType' as const, toolType: q.toolTypeId ?? '' },
      ...(q.expiresAt ? { expiresAt: minuteFromDate(q.expiresAt) } : {}),
    })),
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

// The database's check constraints keep these vocabularies closed; a parse failure means a corrupt row.
export const asMaterial = (value: string): Material => MaterialSchema.parse(value);
export const asWaferSize = (value: number): WaferSize => WaferSizeSchema.parse(value);
export const asContamination = (value: string): ContaminationGroup => ContaminationGroupSchema.parse(value);
