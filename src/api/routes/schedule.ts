import { z } from 'zod';
import { entityId, instant } from '../../domain/input.js';
import { bookingBlockSeenBy } from '../../domain/visibility.js';
import { roles } from '../../domain/roles.js';
import { scheduleSchema } from '../../domain/schedule.js';
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
      summary: "Every tool's bookings and maintenance in a range; other tenants' bookings only as busy",
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
            bookings: { where: { ...overlapping, state: { in: ['held', 'confirmed', 'in_use'] } }, orderBy: { startsAt: 'asc' } },
            maintenanceWindows: {
              where: { ...overlapping, active: true },
              include: { maintenance: { select: { kind: true, state: true } } },
              orderBy: { startsAt: 'asc' },
            },
          },
        });
        return {
          from: from.toISOString(),
          to: to.toISOString(),
          tools: tools.map((tool) => ({
            id: tool.id,
            name: tool.name,
            type: tool.toolTypeId,
            area: tool.toolType.area,
            status: tool.status,
            blocks: [
              ...tool.bookings.map((b) =>
                bookingBlockSeenBy(actor, {
                  id: b.id,
                  startsAt: b.startsAt.toISOString(),
                  endsAt: b.endsAt.toISOString(),
                  state: b.state,
                  tenantId: b.tenantId,
                  userId: b.userId,
                  material: b.material,
                }),
              ),
              ...tool.maintenanceWindows.map((w) => ({
                kind: 'maintenance' as const,
                maintenanceId: w.maintenanceId,
                startsAt: w.startsAt.toISOString(),
                endsAt: w.endsAt.toISOString(),
                maintenanceKind: w.maintenance.kind,
                state: w.maintenance.state,
              })),
            ].sort((a, b) => a.startsAt.localeCompare(b.startsAt)),
          })),
        };
      },
    }),
  ];
}
