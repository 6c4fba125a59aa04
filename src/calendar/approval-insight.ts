import type { Db } from '../data/db.js';
import type { LotRow } from '../data/lot-view.js';
import { recentUsageDays, type ApprovalConflict, type ApprovalInsight } from '../domain/approvals.js';
import { dateFromMinute, isoFromMinute, minuteFromDate } from '../domain/time.js';
import type { Booking } from '../generated/prisma/client.js';
import { weekIndexOf, weekStartOf } from '../solver/week.js';

// Beside each held request, what a lab manager weighs: names, the tenant's weekly quota with this
// request in it, their last 30 days on the line, and what the request collides with. Read-only.

/** One held request as the insight sees it: a single booking, or a lot route's held steps together. */
interface Claim {
  key: string;
  kind: 'booking' | 'lot';
  tenantId: string;
  userId: string;
  slots: Array<{ bookingId: string; toolId: string; start: Date; end: Date }>;
}

const dayMs = 86_400_000;
const hkOffsetMs = 8 * 3_600_000;
const hkDay = (d: Date) => Math.floor((d.getTime() + hkOffsetMs) / dayMs);
const overlapMin = (aStart: number, aEnd: number, bStart: number, bEnd: number) => Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart));
const usedStates = ['held', 'confirmed', 'in_use', 'completed', 'no_show'] as const;

function claimsOf(bookings: readonly Booking[], lots: readonly LotRow[]): Claim[] {
  return [
    ...bookings.map((b) => ({
      key: b.id,
      kind: 'booking' as const,
      tenantId: b.tenantId,
      userId: b.userId,
      slots: [{ bookingId: b.id, toolId: b.toolId, start: b.startsAt, end: b.endsAt }],
    })),
    ...lots.map((l) => ({
      key: l.id,
      kind: 'lot' as const,
      tenantId: l.tenantId,
      userId: l.userId,
      slots: l.steps.flatMap((s) => (s.booking ? [{ bookingId: s.booking.id, toolId: s.booking.toolId, start: s.booking.startsAt, end: s.booking.endsAt }] : [])),
    })),
  ];
}

export async function approvalInsights(db: Db, bookings: readonly Booking[], lots: readonly LotRow[], now: Date): Promise<Record<string, ApprovalInsight>> {
  const claims = claimsOf(bookings, lots);
  if (!claims.length) return {};
  const slots = claims.flatMap((c) => c.slots);
  const ownIds = new Set(slots.map((s) => s.bookingId));
  const tenantIds = [...new Set(claims.map((c) => c.tenantId))];
  const userIds = [...new Set(claims.map((c) => c.userId))];
  const firstWeek = weekStartOf(weekIndexOf(Math.min(...slots.map((s) => minuteFromDate(s.start)))));
  const lastWeek = weekStartOf(weekIndexOf(Math.max(...slots.map((s) => minuteFromDate(s.end) - 1))) + 1);
  const earliest = new Date(Math.min(...slots.map((s) => s.start.getTime())));
  const latest = new Date(Math.max(...slots.map((s) => s.end.getTime())));
  const since = new Date(now.getTime() - recentUsageDays * dayMs);

  const [tools, policies, tenants, users, weekUse, recent, proposed, qualifications] = await Promise.all([
    db.tool.findMany({ select: { id: true, name: true, toolTypeId: true, status: true } }),
    db.policy.findMany({ select: { toolId: true, toolTypeId: true, weeklyQuotaMin: true } }),
    db.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, name: true, class: true } }),
    db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }),
    db.booking.findMany({
      where: { tenantId: { in: tenantIds }, state: { in: [...usedStates] }, startsAt: { lt: dateFromMinute(lastWeek) }, endsAt: { gt: dateFromMinute(firstWeek) } },
      select: { id: true, tenantId: true, toolId: true, startsAt: true, endsAt: true },
    }),
    db.booking.findMany({
      where: {
        tenantId: { in: tenantIds },
        endsAt: { gt: since, lte: now },
        OR: [{ state: { in: ['completed', 'no_show'] } }, { lateCancel: true }],
      },
      select: { tenantId: true, toolId: true, state: true, lateCancel: true, startsAt: true, endsAt: true, checkedInAt: true, checkedOutAt: true },
    }),
    db.maintenanceWindow.findMany({
      where: { toolId: { in: [...new Set(slots.map((s) => s.toolId))] }, startsAt: { lt: latest }, endsAt: { gt: earliest }, maintenance: { state: 'proposed' } },
      select: { toolId: true, startsAt: true, endsAt: true, maintenance: { select: { id: true, reason: true } } },
    }),
    db.qualification.findMany({ where: { userId: { in: userIds }, expiresAt: { not: null } } }),
  ]);

  const toolOf = new Map(tools.map((t) => [t.id, t]));
  const typeOf = (toolId: string) => toolOf.get(toolId)?.toolTypeId ?? '';
  const nameOf = (toolId: string) => toolOf.get(toolId)?.name ?? toolId;
  const limitOf = (toolId: string): number | null => {
    const own = policies.find((p) => p.toolId === toolId);
    const typed = policies.find((p) => p.toolTypeId === typeOf(toolId));
    return (own ?? typed)?.weeklyQuotaMin ?? null;
  };
  const tenantName = new Map(tenants.map((t) => [t.id, t.name]));

  /** Minutes in each quota week, per tool type, of one set of slots. */
  const byTypeAndWeek = (list: ReadonlyArray<{ toolId: string; start: Date; end: Date }>) => {
    const out = new Map<string, number>();
    for (const s of list) {
      const from = minuteFromDate(s.start);
      const to = minuteFromDate(s.end);
      for (let week = weekIndexOf(from); weekStartOf(week) < to; week++) {
        const key = `${typeOf(s.toolId)}|${week}`;
        out.set(key, (out.get(key) ?? 0) + overlapMin(from, to, weekStartOf(week), weekStartOf(week + 1)));
      }
    }
    return out;
  };

  const insights: Record<string, ApprovalInsight> = {};
  for (const claim of claims) {
    const types = new Set(claim.slots.map((s) => typeOf(s.toolId)));
    const requested = byTypeAndWeek(claim.slots);
    const others = byTypeAndWeek(
      weekUse.filter((b) => b.tenantId === claim.tenantId && !ownIds.has(b.id)).map((b) => ({ toolId: b.toolId, start: b.startsAt, end: b.endsAt })),
    );
    const quota = [...requested].map(([key, requestMin]) => {
      const [toolTypeId = '', week = '0'] = key.split('|');
      const toolId = claim.slots.find((s) => typeOf(s.toolId) === toolTypeId)!.toolId;
      return { toolTypeId, weekStart: isoFromMinute(weekStartOf(Number(week))), usedMin: others.get(key) ?? 0, requestMin, limitMin: limitOf(toolId) };
    });

    const theirs = recent.filter((b) => b.tenantId === claim.tenantId);
    const usedMinutes = (b: (typeof theirs)[number]) =>
      b.state === 'completed' ? Math.round(((b.checkedOutAt ?? b.endsAt).getTime() - (b.checkedInAt ?? b.startsAt).getTime()) / 60_000) : 0;
    const recentUse = {
      days: recentUsageDays,
      usedMin: theirs.filter((b) => types.has(typeOf(b.toolId))).reduce((sum, b) => sum + usedMinutes(b), 0),
      allToolsMin: theirs.reduce((sum, b) => sum + usedMinutes(b), 0),
      completed: theirs.filter((b) => b.state === 'completed').length,
      noShows: theirs.filter((b) => b.state === 'no_show').length,
      lateCancels: theirs.filter((b) => b.lateCancel).length,
    };

    const conflicts: ApprovalConflict[] = [];
    for (const slot of claim.slots) {
      const tool = toolOf.get(slot.toolId);
      if (tool && tool.status !== 'up') {
        conflicts.push({ kind: 'tool_down', toolId: slot.toolId, startsAt: null, endsAt: null, detail: `${tool.name} is ${tool.status}`, ref: null });
      }
      for (const w of proposed.filter((p) => p.toolId === slot.toolId && p.startsAt < slot.end && p.endsAt > slot.start)) {
        conflicts.push({
          kind: 'maintenance',
          toolId: slot.toolId,
          startsAt: w.startsAt.toISOString(),
          endsAt: w.endsAt.toISOString(),
          detail: `Ops propose maintenance on ${nameOf(slot.toolId)} over this slot (${w.maintenance.reason}); applying it would move the booking`,
          ref: { kind: 'maintenance', id: w.maintenance.id },
        });
      }
      const lapsing = qualifications.find(
        (q) => q.userId === claim.userId && (q.toolId === slot.toolId || q.toolTypeId === typeOf(slot.toolId)) && q.expiresAt! < slot.end,
      );
      if (lapsing) {
        conflicts.push({
          kind: 'qualification',
          toolId: slot.toolId,
          startsAt: lapsing.expiresAt!.toISOString(),
          endsAt: null,
          detail: `The requester's qualification on ${nameOf(slot.toolId)} lapses before the slot ends`,
          ref: null,
        });
      }
      // Other requests waiting for the same kind of tool on the same day compete for the same decision.
      for (const other of claims) {
        if (other === claim) continue;
        for (const o of other.slots.filter((o) => typeOf(o.toolId) === typeOf(slot.toolId) && hkDay(o.start) <= hkDay(slot.end) && hkDay(o.end) >= hkDay(slot.start))) {
          conflicts.push({
            kind: 'pending',
            toolId: o.toolId,
            startsAt: o.start.toISOString(),
            endsAt: o.end.toISOString(),
            detail: `${tenantName.get(other.tenantId) ?? other.tenantId} also waits for ${nameOf(o.toolId)} that day`,
            ref: { kind: other.kind, id: other.key },
          });
        }
      }
    }

    const tenant = tenants.find((t) => t.id === claim.tenantId);
    insights[claim.key] = {
      tenant: { id: claim.tenantId, name: tenant?.name ?? claim.tenantId, class: tenant?.class ?? '' },
      user: { id: claim.userId, name: users.find((u) => u.id === claim.userId)?.name ?? claim.userId },
      quota,
      recent: recentUse,
      conflicts: dedupe(conflicts),
    };
  }
  return insights;
}

/** A lot with two steps on one tool type would list the same competitor twice. */
function dedupe(conflicts: ApprovalConflict[]): ApprovalConflict[] {
  const seen = new Set<string>();
  return conflicts.filter((c) => {
    const key = `${c.kind}|${c.toolId}|${c.startsAt}|${c.ref?.id ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
