// The approval queue arranged as a lab manager works it: by day (Hong Kong), then by tool, lot routes
// apart in each day; and how near each decision's deadline is (escalated when it nears).
import type { Approvals, ApprovalInsight } from '../../../domain/approvals.js';
import type { BookingView, LotView } from '../api.js';
import { hourMs, startOfDay } from '../time.js';

export type PendingRequest =
  | { kind: 'booking'; id: string; booking: BookingView; insight: ApprovalInsight | undefined; startsAt: number; deadline: number | null }
  | { kind: 'lot'; id: string; lot: LotView; insight: ApprovalInsight | undefined; startsAt: number; deadline: number | null };

export interface ToolGroup {
  toolId: string;
  requests: PendingRequest[];
}

export interface DayGroup {
  day: number;
  tools: ToolGroup[];
  /** Lot routes whose first step is on this day (decided as a whole, whatever their tools). */
  lots: PendingRequest[];
}

/** A decision due within this long is escalated: shown first, and marked. */
export const escalateWithinMs = 2 * hourMs;

export type Urgency = 'overdue' | 'soon' | 'normal';

export function urgencyOf(deadline: number | null, now: number): Urgency {
  if (deadline === null) return 'normal';
  if (deadline <= now) return 'overdue';
  return deadline - now <= escalateWithinMs ? 'soon' : 'normal';
}

const parse = (at: string | null) => (at ? Date.parse(at) : null);

function lotStart(lot: LotView): number {
  const starts = lot.steps.flatMap((s) => (s.booking ? [Date.parse(s.booking.startsAt)] : []));
  return starts.length ? Math.min(...starts) : Date.parse(lot.earliestStart);
}

/** Every held request as one list (a lot route is one request however many steps it holds). */
export function pendingRequests(approvals: Approvals): PendingRequest[] {
  return [
    ...approvals.bookings.map((booking) => ({
      kind: 'booking' as const,
      id: booking.id,
      booking,
      insight: approvals.insights[booking.id],
      startsAt: Date.parse(booking.startsAt),
      deadline: parse(booking.approvalDeadline),
    })),
    ...approvals.lots.map((lot) => ({
      kind: 'lot' as const,
      id: lot.id,
      lot,
      insight: approvals.insights[lot.id],
      startsAt: lotStart(lot),
      deadline: parse(lot.approvalDeadline),
    })),
  ];
}

/** Days in order; in a day, tools by name and each tool's requests by start. */
export function groupByDayAndTool(requests: readonly PendingRequest[], toolName: (id: string) => string): DayGroup[] {
  const days = new Map<number, DayGroup>();
  const byStart = [...requests].sort((a, b) => a.startsAt - b.startsAt);
  for (const request of byStart) {
    const day = startOfDay(request.startsAt);
    let group = days.get(day);
    if (!group) days.set(day, (group = { day, tools: [], lots: [] }));
    if (request.kind === 'lot') {
      group.lots.push(request);
      continue;
    }
    const toolId = request.booking.toolId;
    let tool = group.tools.find((t) => t.toolId === toolId);
    if (!tool) group.tools.push((tool = { toolId, requests: [] }));
    tool.requests.push(request);
  }
  for (const group of days.values()) group.tools.sort((a, b) => toolName(a.toolId).localeCompare(toolName(b.toolId)));
  return [...days.values()].sort((a, b) => a.day - b.day);
}

/** The requests whose decision is overdue or due soon, nearest first. */
export function escalated(requests: readonly PendingRequest[], now: number): PendingRequest[] {
  return requests.filter((r) => urgencyOf(r.deadline, now) !== 'normal').sort((a, b) => (a.deadline ?? 0) - (b.deadline ?? 0));
}
