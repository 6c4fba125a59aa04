import type { Booking, Maintenance, Qualification, SetupRule, Tool } from '../model.js';
import type { QuotaLedger } from '../quota.js';
import type { ChangeoverTable } from '../setup.js';
import { changeoverMinutes, changeoverTableFor, setupKeyOf } from '../setup.js';
import { MINUTES_PER_DAY, MINUTES_PER_HOUR, weekIndexOf, weekStartOf } from '../week.js';
import type { AreaProfile, TenantModel, ToolModel } from './catalogue.js';
import type { Prng } from './prng.js';

// One tool's calendar: PM windows and outages, then bookings walked forward in time, each keeping
// every rule (buffer, changeover, maintenance, qualification, quota) so the referee finds it clean.

/** A period in which bookings on a tool type are denser and shorter than usual (a bottleneck week). */
export interface Hotspot {
  readonly toolType: string;
  readonly from: number;
  readonly to: number;
  readonly utilisation: number;
  readonly durationMinutes: readonly [number, number];
}

export interface PlannedTool {
  readonly tool: Tool;
  readonly model: ToolModel;
  readonly profile: AreaProfile;
}

export interface Member {
  readonly userId: string;
  readonly tenant: TenantModel;
}

/** Preventive maintenance at the area's cadence from 09:00, plus the odd unplanned outage. */
export function maintenanceFor(
  { tool, profile }: PlannedTool,
  rng: Prng,
  start: number,
  end: number,
): Maintenance[] {
  const windows: Maintenance[] = [];
  const every = profile.maintenanceEveryDays * MINUTES_PER_DAY;
  let k = 0;
  for (
    let at = start + rng.int(0, profile.maintenanceEveryDays - 1) * MINUTES_PER_DAY + 9 * MINUTES_PER_HOUR;
    at < end;
    at += every
  ) {
    windows.push({
      kind: 'maintenance',
      id: `${tool.id}/pm-${++k}`,
      toolId: tool.id,
      start: at,
      end: at + profile.maintenanceMinutes,
      reason: 'recurring',
    });
  }
  for (
    let at = start + rng.exponential(120 * MINUTES_PER_DAY);
    at < end;
    at += rng.exponential(120 * MINUTES_PER_DAY)
  ) {
    const from = Math.floor(at / 15) * 15;
    windows.push({
      kind: 'maintenance',
      id: `${tool.id}/outage-${++k}`,
      toolId: tool.id,
      start: from,
      end: from + rng.int(8, 48) * 15,
      reason: 'outage',
    });
  }
  return windows.sort((a, b) => a.start - b.start);
}

export interface HistoryContext {
  readonly rng: Prng;
  readonly start: number;
  readonly now: number;
  readonly end: number;
  readonly maintenance: readonly Maintenance[];
  readonly members: readonly Member[];
  readonly qualifications: readonly Qualification[];
  readonly ledger: QuotaLedger;
  readonly setupRules: readonly SetupRule[];
  readonly hotspots: readonly Hotspot[];
}

/** Walks the tool's calendar forward, booking after random idle times, keeping every rule as it goes. */
export function historyFor({ tool, profile }: PlannedTool, context: HistoryContext): Booking[] {
  const { rng, start, now, end, maintenance, ledger } = context;
  const changeovers = changeoverTableFor(tool, context.setupRules);
  const candidates = qualifiedMembers(tool, context);
  const hotspots = context.hotspots.filter((h) => h.toolType === tool.type);
  const quota = profile.weeklyQuotaHours * MINUTES_PER_HOUR;
  const bookings: Booking[] = [];
  if (candidates.length === 0) return bookings;
  let cursor = start;
  let previous: Booking | undefined;
  let nextMaintenance = 0;
  while (cursor < end) {
    const hotspot = hotspots.find((h) => cursor >= h.from && cursor < h.to);
    const [shortest, longest] =
      hotspot?.durationMinutes ??
      (rng.chance(0.9) ? profile.typicalMinutes : [profile.minMinutes, profile.maxMinutes]);
    // Bookings come in quarter hours; hotspot bookings (short runs squeezed in) in five minutes.
    const grain = hotspot === undefined ? 15 : 5;
    const duration = Math.min(
      profile.maxMinutes,
      Math.max(profile.minMinutes, rng.int(Math.ceil(shortest / grain), Math.floor(longest / grain)) * grain),
    );
    // Past the present the calendar thins out: fewer people have booked that far ahead.
    const fading = cursor <= now ? 1 : Math.max(0.08, 1 - (cursor - now) / (end - now));
    const utilisation = hotspot?.utilisation ?? profile.utilisation * fading;
    const arrival = cursor + rng.exponential((duration * (1 - utilisation)) / utilisation);
    // Up to four people want the slot; the first one qualified and within quota gets it.
    let booking: Booking | undefined;
    let blocked: Maintenance | undefined;
    for (let attempt = 0; attempt < 4 && booking === undefined && blocked === undefined; attempt++) {
      const pick = pickBooker(candidates, rng);
      const material = pick.materials[rng.int(0, pick.materials.length - 1)]!;
      const group = groupFor(tool, rng);
      const setupReady =
        previous === undefined
          ? -Infinity
          : previous.end +
            profile.bufferAfterMinutes +
            changeoverAfter(changeovers, previous, material, group);
      const begin = ceilTo(Math.max(arrival, setupReady), 5);
      const finish = begin + duration;
      while (nextMaintenance < maintenance.length && maintenance[nextMaintenance]!.end <= begin)
        nextMaintenance++;
      const next = maintenance[nextMaintenance];
      if (next !== undefined && next.start < finish + profile.bufferAfterMinutes) blocked = next;
      else if (
        finish <= pick.qualifiedUntil &&
        withinQuota(ledger, pick.member.tenant.id, tool.type, begin, finish, quota)
      ) {
        booking = {
          kind: 'booking',
          id: `${tool.id}#${bookings.length + 1}`,
          toolId: tool.id,
          start: begin,
          end: finish,
          state: stateAt(begin, finish, now, profile.approvalRequired && rng.chance(0.4)),
          tenantId: pick.member.tenant.id,
          userId: pick.member.userId,
          material,
          waferSize: tool.waferSizes[rng.int(0, tool.waferSizes.length - 1)]!,
          contaminationGroup: group,
          allowedWindow: { earliestStart: begin - rng.pick(FLEX), latestEnd: finish + rng.pick(FLEX) },
        };
      }
    }
    if (blocked !== undefined) {
      cursor = blocked.end;
      previous = undefined;
      continue;
    }
    if (booking === undefined) {
      cursor = arrival + duration;
      continue;
    }
    ledger.record(booking.tenantId, tool.type, booking.start, booking.end, 1);
    cursor = booking.end + profile.bufferAfterMinutes;
    bookings.push(booking);
    previous = booking;
  }
  return bookings;
}

/** Past bookings stay confirmed (the calendar's history), the running one is in use, future ones may await approval. */
function stateAt(start: number, end: number, now: number, awaitingApproval: boolean): Booking['state'] {
  if (end <= now) return 'confirmed';
  if (start < now) return 'in_use';
  return awaitingApproval ? 'held' : 'confirmed';
}

/** Most wafers are standard; some are CMOS-clean, and gold only goes where gold is allowed. */
function groupFor(tool: Tool, rng: Prng): Booking['contaminationGroup'] {
  if (tool.contaminationClass === 'au-metal' && rng.chance(0.15)) return 'au-metal';
  return tool.contaminationClass === 'cmos-clean' || rng.chance(0.2) ? 'cmos-clean' : 'standard';
}

/** How much slack requesters gave either side: none, an hour, four hours, half a day, one to three days, a week. */
const FLEX = [0, 60, 240, 720, 1440, 2880, 4320, 10080];

interface Booker {
  readonly member: Member;
  readonly materials: readonly Booking['material'][];
  readonly qualifiedUntil: number;
}

function qualifiedMembers(tool: Tool, context: HistoryContext): Booker[] {
  const bookers: Booker[] = [];
  for (const member of context.members) {
    const materials = tool.materials.filter((m) => member.tenant.materials.includes(m));
    if (materials.length === 0) continue;
    const quals = context.qualifications.filter(
      (q) =>
        q.userId === member.userId &&
        (q.appliesTo.kind === 'tool' ? q.appliesTo.toolId === tool.id : q.appliesTo.toolType === tool.type),
    );
    if (quals.length === 0) continue;
    bookers.push({
      member,
      materials,
      qualifiedUntil: Math.max(...quals.map((q) => q.expiresAt ?? Infinity)),
    });
  }
  return bookers;
}

function pickBooker(bookers: readonly Booker[], rng: Prng): Booker {
  return bookers[rng.int(0, bookers.length - 1)]!;
}

function changeoverAfter(
  table: ChangeoverTable,
  previous: Booking,
  material: Booking['material'],
  group: Booking['contaminationGroup'],
): number {
  return changeoverMinutes(
    table,
    setupKeyOf(previous.material, previous.contaminationGroup),
    setupKeyOf(material, group),
  );
}

function withinQuota(
  ledger: QuotaLedger,
  tenantId: string,
  toolType: string,
  start: number,
  end: number,
  limit: number,
): boolean {
  for (let week = weekIndexOf(start); weekStartOf(week) < end; week++) {
    const minutes = Math.min(end, weekStartOf(week + 1)) - Math.max(start, weekStartOf(week));
    if (ledger.usedMinutes(tenantId, toolType, week) + minutes > limit) return false;
  }
  return true;
}

function ceilTo(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}
