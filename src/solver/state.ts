import { SolverInputError } from './errors.js';
import type { Reservation, SolverSnapshot, Tenant, Tool } from './model.js';
import { SOLVER_MODEL_VERSION } from './model.js';
import type { ResolvedPolicy } from './policy.js';
import { resolvePolicy } from './policy.js';
import { QualificationIndex } from './qualification.js';
import { QuotaLedger } from './quota.js';
import type { ChangeoverTable } from './setup.js';
import { changeoverTableFor, maxChangeover, NO_SETUP, setupKeyOf } from './setup.js';
import { ToolTimeline } from './timeline.js';

/** One tool with everything placement needs about it, resolved once. */
export interface ToolContext {
  readonly tool: Tool;
  readonly policy: ResolvedPolicy;
  readonly changeovers: ChangeoverTable;
  readonly maxChangeoverMinutes: number;
  readonly timeline: ToolTimeline;
}

/**
 * The calendar index built once from a snapshot: a timeline per tool, quota usage per tenant × tool
 * type × week, qualifications by user. Reservations can be added and removed cheaply, so many
 * placements run against one state; the solver functions that change it put it back as they found it.
 */
export class SolverState {
  readonly tools = new Map<string, ToolContext>();
  readonly toolsByType = new Map<string, ToolContext[]>();
  readonly tenants = new Map<string, Tenant>();
  readonly qualifications: QualificationIndex;
  readonly quota = new QuotaLedger();
  private readonly reservations = new Map<string, Reservation>();

  private constructor(private readonly facility: Omit<SolverSnapshot, 'reservations'>) {
    for (const tool of [...facility.tools].sort((a, b) => compareIds(a.id, b.id))) {
      if (this.tools.has(tool.id)) throw new SolverInputError(`duplicate tool ${tool.id}`);
      const policy = resolvePolicy(tool, facility.policies);
      const changeovers = changeoverTableFor(tool, facility.setupRules);
      const context: ToolContext = {
        tool,
        policy,
        changeovers,
        maxChangeoverMinutes: maxChangeover(changeovers),
        timeline: new ToolTimeline({ bufferAfterMinutes: policy.bufferAfterMinutes, changeovers }),
      };
      this.tools.set(tool.id, context);
      const sameType = this.toolsByType.get(tool.type);
      if (sameType === undefined) this.toolsByType.set(tool.type, [context]);
      else sameType.push(context);
    }
    for (const tenant of facility.tenants) this.tenants.set(tenant.id, tenant);
    this.qualifications = new QualificationIndex(facility.qualifications);
    for (const use of facility.quotaUse ?? []) this.quota.record(use.tenantId, use.toolType, use.start, use.end, 1);
  }

  static fromSnapshot(snapshot: SolverSnapshot): SolverState {
    const { reservations, ...facility } = snapshot;
    const state = new SolverState(facility);
    for (const reservation of reservations) state.add(reservation);
    return state;
  }

  get reservationCount(): number {
    return this.reservations.size;
  }

  reservation(id: string): Reservation | undefined {
    return this.reservations.get(id);
  }

  allReservations(): IterableIterator<Reservation> {
    return this.reservations.values();
  }

  toolContext(toolId: string): ToolContext {
    const context = this.tools.get(toolId);
    if (context === undefined) throw new SolverInputError(`unknown tool ${toolId}`);
    return context;
  }

  tenant(tenantId: string): Tenant {
    const tenant = this.tenants.get(tenantId);
    if (tenant === undefined) throw new SolverInputError(`unknown tenant ${tenantId}`);
    return tenant;
  }

  add(reservation: Reservation): void {
    if (this.reservations.has(reservation.id))
      throw new SolverInputError(`duplicate reservation ${reservation.id}`);
    const { tool, timeline } = this.toolContext(reservation.toolId);
    const { id, start, end } = reservation;
    if (reservation.kind === 'booking') {
      timeline.insert({
        id,
        start,
        end,
        setup: setupKeyOf(reservation.material, reservation.contaminationGroup),
      });
      this.quota.record(reservation.tenantId, tool.type, start, end, 1);
    } else {
      timeline.insert({ id, start, end, setup: NO_SETUP });
    }
    this.reservations.set(id, reservation);
  }

  remove(id: string): Reservation | undefined {
    const reservation = this.reservations.get(id);
    if (reservation === undefined) return undefined;
    const { tool, timeline } = this.toolContext(reservation.toolId);
    timeline.remove(id);
    if (reservation.kind === 'booking')
      this.quota.record(reservation.tenantId, tool.type, reservation.start, reservation.end, -1);
    this.reservations.delete(id);
    return reservation;
  }

  toSnapshot(): SolverSnapshot {
    return { ...this.facility, version: SOLVER_MODEL_VERSION, reservations: [...this.reservations.values()] };
  }
}

export function buildSolverState(snapshot: SolverSnapshot): SolverState {
  return SolverState.fromSnapshot(snapshot);
}

/** Plain code-unit order: the same on every machine, unlike localeCompare. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
