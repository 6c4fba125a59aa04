import type { Db } from '../data/db.js';
import type { BookerCharging } from '../data/project-charge.js';
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
import { readCalendar, type CalendarSource, type CatalogueRows, type PolicyRow, type SetupRuleRow, type ToolRow } from './calendar-read.js';
import type { CatalogueCache } from './catalogue.js';

/** Prisma's transaction client and the full client both read the calendar. */
export type DbReader = Pick<
  Db,
  'tool' | 'toolLink' | 'booking' | 'maintenanceWindow' | 'policy' | 'setupRule' | 'qualification' | 'tenant' | '$queryRaw'
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
export async function loadSolverSnapshot(db: CalendarSource, scope: SnapshotScope, options: CalendarOptions = {}): Promise<SolverSnapshot> {
  return (await loadCalendar(db, scope, options)).snapshot;
}

export interface CalendarOptions {
  /** The process's catalogue: read from the database only when it changed. */
  catalogue?: CatalogueCache | undefined;
  /** Also look up the booking already made for this request id (see `Calendar.bookedId`). */
  requestId?: string | undefined;
  /** Also read what charging a new booking of this person judges (see `Calendar.booker`). */
  booker?: { userId: string; tenantId: string } | undefined;
  /** The catalogue as a change of rules would leave it (see `CalendarAsIf`); the cache is not touched. */
  asIf?: CalendarAsIf | undefined;
}

/**
 * The calendar as it would be with some rows changed (a policy, a tool, a setup rule being edited):
 * what "what would this change break" judges. Each function gets the rows in scope and returns the
 * rows to use, as new arrays: the rows given may be the process's cached catalogue.
 */
export interface CalendarAsIf {
  tools?(rows: readonly ToolRow[]): ToolRow[];
  policies?(rows: readonly PolicyRow[]): PolicyRow[];
  setupRules?(rows: readonly SetupRuleRow[]): SetupRuleRow[];
}

export interface Calendar {
  snapshot: SolverSnapshot;
  /** The policy row that governs a tool (its own, else its type's), for the durations of a booking's life. */
  policyRowOf(toolId: string): PolicyRow | null;
  /** The booking already made for `CalendarOptions.requestId`, read in the same snapshot. */
  bookedId: string | null;
  /** The tenant and projects of `CalendarOptions.booker`, read in the same snapshot. */
  booker: BookerCharging | null;
  /** The whole catalogue the snapshot was built from (the database's, at the read). */
  catalogue: CatalogueRows;
}

/** The snapshot and the policy rows it was built from, in one read (one statement). */
export async function loadCalendar(db: CalendarSource, scope: SnapshotScope, options: CalendarOptions = {}): Promise<Calendar> {
  const from = new Date(Math.min(weekStartOf(weekIndexOf(scope.fromMinute)), scope.fromMinute - marginMinutes) * 60_000);
  const to = new Date(Math.max(weekStartOf(weekIndexOf(scope.toMinute) + 1), scope.toMinute + marginMinutes) * 60_000);
  const held = options.catalogue?.current();
  const read = await readCalendar(db, {
    toolTypeIds: scope.toolTypeIds ?? [],
    toolIds: scope.toolIds ?? [],
    from,
    to,
    heldCatalogueVersion: held?.version,
    requestId: options.requestId,
    booker: options.booker,
  });
  const catalogue = options.catalogue ? options.catalogue.resolve(read, held) : read.catalogue!;
  const { toolRows, links, policies, setupRules, qualifications, tenants } = catalogueInScope(catalogue, scope, options.asIf ?? {});
  const { bookings, used, windows } = read;

  // A load that joined a shared run holds no time: its wafers count in the run's holder.
  const joinedWafers = new Map<string, number>();
  for (const b of bookings) if (b.sharedRunId) joinedWafers.set(b.sharedRunId, (joinedWafers.get(b.sharedRunId) ?? 0) + b.waferCount);
  const reservations: Reservation[] = [
    ...bookings.filter((b) => b.sharedRunId === null).map((b): Reservation => {
      const windowStart = b.windowStart ?? undefined;
      const windowEnd = b.windowEnd ?? undefined;
      return {
        kind: 'booking',
        id: b.id,
        toolId: b.toolId,
        start: b.start,
        end: b.end,
        state: b.state,
        tenantId: b.tenantId,
        userId: b.trainerId ? trainingUser(b.id) : b.userId,
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
        start: w.start,
        end: w.end,
        reason: w.kind,
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
        // time after the (estimated) end stays bookable. Requalification has no end: it blocks all,
        // and so does retirement: a retired tool takes no new booking and no booking moved by repair.
        status: t.retiredAt !== null ? 'down' : t.status === 'down' ? 'up' : t.status,
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
        ...(q.expiresAt !== null ? { expiresAt: q.expiresAt } : {}),
      })),
      // A training booking is run under its trainer: the referee and repair judge it as qualified
      // (on any tool of its type), without qualifying the trainee for anything else.
      ...bookings
        .filter((b) => b.trainerId !== null)
        .map((b) => ({ userId: trainingUser(b.id), appliesTo: { kind: 'toolType' as const, toolType: typeOf.get(b.toolId) ?? '' } })),
    ],
    tenants: tenants.map((t) => ({ id: t.id, name: t.name, class: t.class, priority: t.priority })),
    quotaUse: used.map((b) => ({ tenantId: b.tenantId, toolType: typeOf.get(b.toolId)!, start: b.start, end: b.end })),
  };
  return {
    snapshot,
    policyRowOf: (toolId) =>
      policies.find((p) => p.toolId === toolId) ?? policies.find((p) => p.toolTypeId === typeOf.get(toolId)) ?? null,
    bookedId: read.bookedId,
    booker: read.booker,
    catalogue,
  };
}

/**
 * The part of the whole catalogue a scope reads: its tools (of its types, or named), their types'
 * and their own policies and setup rules, the users' qualifications, every tenant — each changed
 * as `asIf` says. (Revoked qualifications never reach the catalogue: the read leaves them out.)
 */
function catalogueInScope(catalogue: CatalogueRows, scope: SnapshotScope, asIf: CalendarAsIf) {
  const types = new Set(scope.toolTypeIds ?? []);
  const ids = new Set(scope.toolIds ?? []);
  const named = new Set(catalogue.tools.filter((t) => types.has(t.toolTypeId) || ids.has(t.id)).map((t) => t.id));
  // Linked tools either way: a primary's linked tools are placed with it, and a linked tool's
  // primaries are moved with it; one level, as the solver reads links.
  const links = catalogue.toolLinks.filter((l) => named.has(l.toolId) || named.has(l.linkedToolId));
  const linked = new Set(links.flatMap((l) => [l.toolId, l.linkedToolId]));
  const inScope = catalogue.tools.filter((t) => named.has(t.id) || linked.has(t.id));
  const toolRows = asIf.tools ? asIf.tools(inScope) : inScope;
  const toolIds = new Set(toolRows.map((t) => t.id));
  const typeIds = new Set(toolRows.map((t) => t.toolTypeId));
  const governs = (row: { toolTypeId: string | null; toolId: string | null }) =>
    (row.toolTypeId !== null && typeIds.has(row.toolTypeId)) || (row.toolId !== null && toolIds.has(row.toolId));
  const users = scope.userIds === 'all' ? undefined : new Set(scope.userIds);
  const policies = catalogue.policies.filter(governs);
  const setupRules = catalogue.setupRules.filter(governs);
  return {
    toolRows,
    links,
    policies: asIf.policies ? asIf.policies(policies) : policies,
    setupRules: asIf.setupRules ? asIf.setupRules(setupRules) : setupRules,
    qualifications: users ? catalogue.qualifications.filter((q) => users.has(q.userId)) : catalogue.qualifications,
    tenants: catalogue.tenants,
  };
}

/** The solver's user of a training booking: qualified for it alone (see the qualifications above). */
const trainingUser = (bookingId: string) => `training:${bookingId}`;

function linkedToolIdsOf(toolId: string, links: ReadonlyArray<{ toolId: string; linkedToolId: string }>): { linkedToolIds?: string[] } {
  const linked = links.filter((l) => l.toolId === toolId).map((l) => l.linkedToolId);
  return linked.length ? { linkedToolIds: linked } : {};
}

// The database's check constraints keep these vocabularies closed; a parse failure means a corrupt row.
const asMaterial = (value: string): Material => MaterialSchema.parse(value);
const asWaferSize = (value: number): WaferSize => WaferSizeSchema.parse(value);
const asContamination = (value: string): ContaminationGroup => ContaminationGroupSchema.parse(value);
