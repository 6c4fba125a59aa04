import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { approvalInsights } from '../../calendar/approval-insight.js';
import { findSlots, placementRequestOf } from '../../calendar/placement.js';
import { bookingView } from '../../data/booking-view.js';
import { lotView, lotWithSteps } from '../../data/lot-view.js';
import { approvalsSchema } from '../../domain/approvals.js';
import { placementPreviewSchema } from '../../domain/placement.js';
import { managerRoles } from '../../domain/roles.js';
import { asContamination, asMaterial, asWaferSize } from '../../calendar/snapshot.js';
import { PilotlineError } from '../../errors.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

const dayMs = 86_400_000;

export function approvalRoutes(deps: ApiDeps) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/approvals',
      summary:
        "The lab managers' queue: held single bookings and held lot routes (each decided as a whole at /api/lots/:id), nearest deadline first, each with the requester's names, quota use, recent usage and conflicts",
      tag: 'bookings',
      access: managerRoles,
      response: approvalsSchema,
      async handler() {
        const [rows, lots] = await Promise.all([
          deps.db.booking.findMany({
            // An open wait-list offer is the tenant's to answer first; it reaches this queue once accepted.
            where: { state: 'held', lotStepId: null, NOT: { waitListOffer: { is: { state: 'open' } } } },
            orderBy: [{ approvalDeadline: 'asc' }, { startsAt: 'asc' }],
            take: 500,
          }),
          deps.db.lot.findMany({
            where: { state: 'held' },
            include: lotWithSteps,
            orderBy: [{ approvalDeadline: 'asc' }, { earliestStart: 'asc' }],
            take: 200,
          }),
        ]);
        const insights = await approvalInsights(deps.db, rows, lots, deps.clock.now());
        return { bookings: rows.map(bookingView), lots: lots.map(lotView), insights };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/approvals/:id/alternatives',
      summary:
        "Other slots a held booking's requester could have, in the window they accepted and two days either side of the slot: what a lab manager may offer instead of a plain no",
      tag: 'bookings',
      access: managerRoles,
      params: z.object({ id: z.uuid().describe('Booking id') }),
      response: placementPreviewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      async handler({ params }) {
        const row = await deps.db.booking.findUnique({ where: { id: params.id }, include: { tool: { select: { toolTypeId: true } } } });
        if (!row) throw new PilotlineError('NOT_FOUND', `No booking ${params.id}`);
        if (row.state !== 'held') throw new PilotlineError('INVALID_STATE', `The booking is ${row.state}; only a held one has alternatives to offer`);
        const now = deps.clock.now();
        const durationMin = Math.round((row.endsAt.getTime() - row.startsAt.getTime()) / 60_000);
        // The window the requester accepted, widened to two days either side: an offer may go beyond it.
        const from = Math.max(now.getTime(), Math.min(row.windowStart?.getTime() ?? Infinity, row.startsAt.getTime() - 2 * dayMs));
        const to = Math.max(row.windowEnd?.getTime() ?? 0, row.endsAt.getTime() + 2 * dayMs, from + durationMin * 60_000);
        const owner = { userId: row.userId, tenantId: row.tenantId, role: 'tenant_user' as const };
        const wish = { toolTypeId: row.tool.toolTypeId, durationMin, earliestStart: new Date(from).toISOString(), latestEnd: new Date(to).toISOString() };
        const lot = { material: asMaterial(row.material), waferSize: asWaferSize(row.waferSize), contaminationGroup: asContamination(row.contaminationGroup) };
        // Placed as the requester (their qualifications and quota), with their own hold left out.
        const { answer } = await findSlots(deps.db, placementRequestOf(`alternatives-${randomUUID()}`, wish, lot, owner), now, { maxOptions: 6, exclude: [row.id] });
        if (answer.kind === 'unplaced') return answer;
        const same = (o: { toolId: string; startsAt: string }) => o.toolId === row.toolId && o.startsAt === row.startsAt.toISOString();
        return { kind: 'options' as const, options: answer.options.filter((o) => !same(o)).slice(0, 5) };
      },
    }),
  ];
}
