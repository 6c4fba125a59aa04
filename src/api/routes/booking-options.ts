import { defaultStartGridMinutes } from '../../calendar/placement.js';
import { loadCalendar } from '../../calendar/snapshot.js';
import { bookingOptionsSchema } from '../../domain/booking-options.js';
import { roles } from '../../domain/roles.js';
import { isoFromMinute, minuteFromDate } from '../../domain/time.js';
import { buildSolverState } from '../../solver/state.js';
import { weekIndexOf, weekStartOf } from '../../solver/week.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

// The request form's starting point, read the way placement reads the calendar: the same
// qualifications index and quota ledger decide what the form then offers.

export function bookingOptionRoutes(deps: ApiDeps) {
  const { db } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/me/booking-options',
      summary: 'What I may book: tool types and tools I am qualified on (until when), their rules, my tenant’s quota left this week, the wafers I usually bring',
      tag: 'bookings',
      access: roles,
      response: bookingOptionsSchema,
      async handler({ actor }) {
        const now = deps.clock.now();
        const minute = minuteFromDate(now);
        const [types, tenant, lately] = await Promise.all([
          db.toolType.findMany({ include: { policy: true, rates: true, tools: { orderBy: { id: 'asc' } } }, orderBy: [{ area: 'asc' }, { name: 'asc' }] }),
          db.tenant.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { class: true } }),
          db.booking.findMany({
            where: { userId: actor.userId },
            orderBy: { createdAt: 'desc' },
            take: 20,
            select: { material: true, waferSize: true, contaminationGroup: true, tool: { select: { toolTypeId: true } } },
          }),
        ]);
        const { snapshot } = await loadCalendar(db, { toolTypeIds: types.map((t) => t.id), fromMinute: minute, toMinute: minute + 1, userIds: [actor.userId] });
        const state = buildSolverState(snapshot);
        const week = weekIndexOf(minute);
        const last = lately[0];
        return {
          at: now.toISOString(),
          recent: last ? { material: last.material, waferSize: last.waferSize, contaminationGroup: last.contaminationGroup, toolTypeId: last.tool.toolTypeId } : null,
          materials: [...new Set(lately.map((b) => b.material))],
          toolTypes: types.map((type) => {
            const tools = type.tools.map((tool) => {
              const expiry = state.qualifications.expiryFor(actor.userId, { id: tool.id, type: type.id });
              const qualified = expiry !== undefined && expiry > minute;
              return {
                id: tool.id,
                name: tool.name,
                materials: tool.materials,
                waferSizes: tool.waferSizes,
                contaminationClass: tool.contaminationClass,
                status: tool.status,
                qualified,
                qualifiedUntil: qualified && expiry !== Infinity ? isoFromMinute(expiry) : null,
              };
            });
            const resolved = state.toolsByType.get(type.id)?.[0]?.policy;
            const limit = resolved?.weeklyQuotaMinutes[tenant.class] ?? Infinity;
            const used = state.quota.usedMinutes(actor.tenantId, type.id, week);
            const rate = type.rates.find((r) => r.tenantClass === tenant.class);
            const p = type.policy;
            return {
              id: type.id,
              name: type.name,
              area: type.area,
              qualified: tools.some((t) => t.qualified),
              tools,
              policy: p
                ? {
                    minDurationMin: p.minDurationMin,
                    maxDurationMin: p.maxDurationMin,
                    minNoticeMin: p.minNoticeMin,
                    maxAdvanceMin: p.maxAdvanceMin,
                    bufferAfterMin: p.bufferAfterMin,
                    approvalRequired: p.approvalRequired,
                    lateCancelMin: p.lateCancelMin,
                    checkInGraceMin: p.checkInGraceMin,
                    startGridMin: p.startGridMin ?? defaultStartGridMinutes,
                  }
                : null,
              quota: {
                weekStart: isoFromMinute(weekStartOf(week)),
                limitMin: limit === Infinity ? null : limit,
                usedMin: used,
                leftMin: limit === Infinity ? null : Math.max(0, limit - used),
              },
              rate: rate ? { hourlyRateCents: rate.hourlyRateCents, currency: rate.currency } : null,
            };
          }),
        };
      },
    }),
  ];
}
