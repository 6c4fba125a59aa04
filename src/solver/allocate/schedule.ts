import { assessTool } from '../eligibility.js';
import type { Booking, ToolSlot } from '../model.js';
import { quotaStartRanges } from '../quota.js';
import { SolverState } from '../state.js';
import type { Slot } from '../timeline.js';
import { earliestSlot } from '../timeline.js';
import type { AllocationProblem, Job } from './jobs.js';
import { TENANT_CLASSES } from './model.js';

/** Where a granted job sits. */
export interface Placed {
  readonly toolId: string;
  readonly start: number;
}

/** Limits a slot search to one tool, or to starts inside a range. */
export interface SlotScope {
  readonly toolId?: string;
  readonly from?: number;
  readonly to?: number;
}

/**
 * The round's grants on the calendar: each granted job is a booking in the solver state (so the
 * timelines keep footprints, changeovers and quotas), with the minutes per pool × class and per
 * tenant kept alongside. Every change can be undone to a mark, so the search tries and takes back.
 */
export class RoundSchedule {
  readonly slotOf: (Placed | undefined)[];
  readonly pinned: boolean[];
  /** Granted minutes, [pool * classes + class]. */
  readonly classMinutes: Float64Array;
  /** Granted minutes, [pool * tenants + tenant]. */
  readonly tenantMinutes: Float64Array;
  private readonly undo: (() => void)[] = [];
  private readonly classes = TENANT_CLASSES.length;
  /** Per class, the calendar before the round plus only that class's grants: what it could use if the others yielded. */
  private readonly classStates: SolverState[];

  constructor(
    readonly problem: AllocationProblem,
    readonly state: SolverState,
  ) {
    this.slotOf = problem.jobs.map(() => undefined);
    this.pinned = problem.jobs.map(() => false);
    this.classMinutes = new Float64Array(problem.pools.length * this.classes);
    this.tenantMinutes = new Float64Array(problem.pools.length * problem.tenants.length);
    this.classStates = TENANT_CLASSES.map(() => SolverState.fromSnapshot(state.toSnapshot()));
  }

  get now(): number {
    return this.problem.input.now;
  }

  mark(): number {
    return this.undo.length;
  }

  rollbackTo(mark: number): void {
    while (this.undo.length > mark) this.undo.pop()!();
  }

  /** Forgets the undo log (after the search, before the answer is read). */
  commit(): void {
    this.undo.length = 0;
  }

  granted(job: Job): boolean {
    return this.slotOf[job.index] !== undefined;
  }

  grant(job: Job, at: Placed, pinned = false): void {
    if (this.slotOf[job.index] !== undefined) throw new Error(`${job.request.id} is granted already`);
    this.put(job, at, pinned);
    this.undo.push(() => this.take(job));
  }

  revoke(job: Job): void {
    const at = this.slotOf[job.index];
    if (at === undefined) return;
    const pinned = this.pinned[job.index]!;
    this.take(job);
    this.undo.push(() => this.put(job, at, pinned));
  }

  poolMinutes(pool: number): number {
    let total = 0;
    for (let c = 0; c < this.classes; c++) total += this.classMinutes[pool * this.classes + c]!;
    return total;
  }

  minutesOf(pool: number, cls: number): number {
    return this.classMinutes[pool * this.classes + cls]!;
  }

  tenantMinutesOf(pool: number, tenant: number): number {
    return this.tenantMinutes[pool * this.problem.tenants.length + tenant]!;
  }

  /**
   * The best free start for the job in the calendar as it stands: the tightest gap first (best fit,
   * so large gaps stay whole for long requests), then the least time stranded beside it, then the
   * earliest start and the tool id. Starts are flush with a neighbour (either side of a gap).
   */
  bestSlot(job: Job, scope: SlotScope = {}): Placed | undefined {
    let best: Placed | undefined;
    let bestSlack = Infinity;
    let bestWaste = Infinity;
    const d = job.minutes;
    for (const context of job.contexts) {
      if (scope.toolId !== undefined && context.tool.id !== scope.toolId) continue;
      const assessment = assessTool(job.demand, context, this.state, this.now);
      if (assessment.kind !== 'open') continue;
      const usable = context.policy.minDurationMinutes + context.policy.bufferAfterMinutes;
      for (const range of assessment.ranges) {
        const from = Math.max(range.from, scope.from ?? -Infinity);
        const to = Math.min(range.to, scope.to ?? Infinity);
        if (from > to) continue;
        const query = { durationMinutes: d, setup: job.setup, earliestStart: from, latestStart: to };
        context.timeline.forEachSlot(query, (slot: Slot) => {
          const slack = slot.lastStart - slot.firstStart;
          const right = Math.min(slot.lastStart, to);
          for (const start of right > slot.start ? [slot.start, right] : [slot.start]) {
            const before = start - slot.firstStart;
            const after = slot.lastStart - start;
            const waste =
              (before > 0 && before < usable ? before : 0) + (after > 0 && after < usable ? after : 0);
            const better =
              slack < bestSlack ||
              (slack === bestSlack &&
                (waste < bestWaste ||
                  (waste === bestWaste &&
                    (best === undefined ||
                      start < best.start ||
                      (start === best.start && context.tool.id < best.toolId)))));
            if (better) {
              best = { toolId: context.tool.id, start };
              bestSlack = slack;
              bestWaste = waste;
            }
          }
          return true;
        });
      }
    }
    return best;
  }

  /** The tenant's weekly quota still leaves the job a start in its window (given the grants so far). */
  quotaAllows(job: Job): boolean {
    const context = job.contexts[0];
    if (context === undefined) return false;
    const limit = context.policy.weeklyQuotaMinutes[TENANT_CLASSES[job.cls]!];
    if (limit === Infinity) return true;
    const used = this.state.quota.weeksOf(job.request.tenantId, context.tool.type);
    const { earliestStart, latestEnd } = job.request;
    return (
      quotaStartRanges(used, limit, job.minutes, earliestStart, latestEnd - job.minutes).ranges.length > 0
    );
  }

  /**
   * Left out, not dropped, and it would fit if the other classes' grants stepped aside (pins, its own
   * class's grants, its tenant's quota and the calendar stay): its class wants more time.
   */
  wantsMore(job: Job): boolean {
    return !this.granted(job) && !job.dropped && job.fitsAlone && this.fitsBesideOwnClass(job);
  }

  /** A free start on the calendar before the round plus the pins and the grants of the job's own class. */
  fitsBesideOwnClass(job: Job): boolean {
    const state = this.classStates[job.cls]!;
    for (const { tool } of job.contexts) {
      const context = state.toolContext(tool.id);
      const assessment = assessTool(job.demand, context, state, this.now);
      if (assessment.kind !== 'open') continue;
      for (const range of assessment.ranges) {
        const query = {
          durationMinutes: job.minutes,
          setup: job.setup,
          earliestStart: range.from,
          latestStart: range.to,
        };
        if (earliestSlot(context.timeline, query) !== undefined) return true;
      }
    }
    return false;
  }

  grants(): { job: Job; at: Placed; pinned: boolean }[] {
    const out: { job: Job; at: Placed; pinned: boolean }[] = [];
    for (const job of this.problem.jobs) {
      const at = this.slotOf[job.index];
      if (at !== undefined) out.push({ job, at, pinned: this.pinned[job.index]! });
    }
    return out;
  }

  slotAsToolSlot(job: Job): ToolSlot | undefined {
    const at = this.slotOf[job.index];
    return at === undefined ? undefined : { toolId: at.toolId, start: at.start, end: at.start + job.minutes };
  }

  private put(job: Job, at: Placed, pinned: boolean): void {
    const booking = this.bookingOf(job, at);
    this.state.add(booking);
    // A pin stays whatever the shares: every class plans around it.
    if (pinned) for (const classState of this.classStates) classState.add(booking);
    else this.classStates[job.cls]!.add(booking);
    this.slotOf[job.index] = at;
    this.pinned[job.index] = pinned;
    this.tally(job, 1);
  }

  private take(job: Job): void {
    this.state.remove(job.request.id);
    for (const classState of this.classStates) classState.remove(job.request.id);
    this.slotOf[job.index] = undefined;
    this.pinned[job.index] = false;
    this.tally(job, -1);
  }

  private tally(job: Job, sign: 1 | -1): void {
    this.classMinutes[job.pool * this.classes + job.cls]! += sign * job.minutes;
    this.tenantMinutes[job.pool * this.problem.tenants.length + job.tenant]! += sign * job.minutes;
  }

  private bookingOf(job: Job, at: Placed): Booking {
    const r = job.request;
    return {
      kind: 'booking',
      id: r.id,
      toolId: at.toolId,
      start: at.start,
      end: at.start + r.durationMinutes,
      state: 'confirmed',
      tenantId: r.tenantId,
      userId: r.userId,
      material: r.material,
      waferSize: r.waferSize,
      contaminationGroup: r.contaminationGroup,
      allowedWindow: { earliestStart: r.earliestStart, latestEnd: r.latestEnd },
    };
  }
}
