import { z } from 'zod';
import { entityId, instant } from '../../domain/input.js';
import { bookingBlockSeenBy } from '../../domain/visibility.js';
import { roles } from '../../domain/roles.js';
import { scheduleBookingStates, scheduleSchema } from '../../domain/schedule.js';
import { PilotlineError } from '../../errors.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

const maxRangeDays = 93;

const scheduleQuery = z
  .object({
    from: instant(),
    to: instant(),
    type: entityId().optional().describe('Only tools of this tool type'),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { message: 'must be after from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= maxRangeDays * 86_400_000, {
    message: `the range may span at most ${maxRangeDays} days`,
    path: ['to'],
  });

export function scheduleRoutes(deps: ApiDeps) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/schedule',
      summary: "Every tool's bookings (held to completed, with actual check-in/out) and maintenance in a range, with the names of the tenants and people shown; other tenants' bookings only as busy",
      tag: 'schedule',
      access: roles,
      query: scheduleQuery,
      response: scheduleSchema,
      async handler({ query, actor }) {
        const from = new Date(query.from);
        const to = new Date(query.to);
        if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new PilotlineError('VALIDATION_FAILED', 'Bad range');
        const overlapping = { startsAt: { lt: to }, endsAt: { gt: from } };
        const tools = await deps.db.tool.findMany({
          where: query.type ? { toolTypeId: query.type } : undefined,
          orderBy: [{ toolType: { area: 'asc' } }, { id: 'asc' }],
          include: {
            toolType: { select: { area: true } },
            bookings: {
              where: { ...overlapping, state: { in: [...scheduleBookingStates] } },
              orderBy: { startsAt: 'asc' },
              select: {
                id: true,
                startsAt: true,
                endsAt: true,
                state: true,
                tenantId: true,
                userId: true,
                material: true,
                checkedInAt: true,
                checkedOutAt: true,
                lotStep: { select: { seq: true, lot: { select: { id: true, name: true } } } },
              },
            },
            maintenanceWindows: {
              where: { ...overlapping, active: true },
              include: { maintenance: { select: { kind: true, state: true, reason: true } } },
              orderBy: { startsAt: 'asc' },
            },
          },
        });
        const tenantIds = new Set<string>();
        const userIds = new Set<string>();
        const rows = tools.map((tool) => ({
          id: tool.id,
          name: tool.name,
          type: tool.toolTypeId,
          area: tool.toolType.area,
          status: tool.status,
          blocks: [
            ...tool.bookings.map((b) => {
              const block = bookingBlockSeenBy(actor, {
                id: b.id,
                startsAt: b.startsAt.toISOString(),
                endsAt: b.endsAt.toISOString(),
                state: b.state,
                tenantId: b.tenantId,
                userId: b.userId,
                material: b.material,
                checkedInAt: b.checkedInAt?.toISOString() ?? null,
                checkedOutAt: b.checkedOutAt?.toISOString() ?? null,
                lot: b.lotStep ? { id: b.lotStep.lot.id, name: b.lotStep.lot.name, seq: b.lotStep.seq } : null,
              });
              if (block.kind === 'booking') {
                tenantIds.add(block.tenantId);
                userIds.add(block.userId);
              }
              return block;
            }),
            ...tool.maintenanceWindows.map((w) => ({
              kind: 'maintenance' as const,
              maintenanceId: w.maintenanceId,
              startsAt: w.startsAt.toISOString(),
              endsAt: w.endsAt.toISOString(),
              maintenanceKind: w.maintenance.kind,
              state: w.maintenance.state,
              reason: w.maintenance.reason,
            })),
          ].sort((a, b) => a.startsAt.localeCompare(b.startsAt)),
        }));
        // Names only of those the caller sees in full: a busy block names nobody.
        const [tenants, users] = await Promise.all([
          deps.db.tenant.findMany({ where: { id: { in: [...tenantIds] } }, select: { id: true, name: true } }),
          deps.db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, name: true } }),
        ]);
        return {
          from: from.toISOString(),
          to: to.toISOString(),
          tools: rows,
          tenants: Object.fromEntries(tenants.map((t) => [t.id, t.name])),
          users: Object.fromEntries(users.map((u) => [u.id, u.name])),
        };
      },
    }),
  ];
}
