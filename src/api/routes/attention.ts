import { z } from 'zod';
import { affectedBooking } from '../../calendar/affected.js';
import { bookingView } from '../../data/booking-view.js';
import { recordChange } from '../../data/records.js';
import { attentionSchema, handOverSchema, type AffectedBooking } from '../../domain/affected.js';
import { bookingViewSchema } from '../../domain/booking.js';
import { managerRoles } from '../../domain/roles.js';
import { PilotlineError } from '../../errors.js';
import { invalidField } from '../../validation.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

const idParams = z.object({ id: z.uuid().describe('Booking id') });
const liveStates = ['held', 'confirmed', 'in_use'] as const;

/**
 * What the lab managers must decide on: future bookings on retired tools, of deactivated people, or
 * flagged because a qualification lapsed or was revoked; and the hand-over of a booking to another
 * person of the same tenant (the other way out is the ordinary cancel).
 */
export function attentionRoutes(deps: ApiDeps) {
  const { db, clock } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/attention',
      summary: 'Future bookings a lab manager must decide on: on retired tools, of deactivated people, flagged by a lapsed or revoked qualification',
      tag: 'bookings',
      access: managerRoles,
      response: attentionSchema,
      async handler() {
        const now = clock.now();
        const rows = await db.booking.findMany({
          where: {
            state: { in: [...liveStates] },
            endsAt: { gt: now },
            OR: [{ user: { active: false } }, { tool: { retiredAt: { not: null } } }, { flaggedAt: { not: null } }],
          },
          include: {
            lotStep: { select: { lotId: true } },
            user: { select: { active: true, name: true } },
            tool: { select: { retiredAt: true } },
            flagQualification: { select: { revokedAt: true } },
          },
          orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
          take: 1000,
        });
        const entries: AffectedBooking[] = rows.flatMap((row) => [
          ...(row.tool.retiredAt ? [affectedBooking(row, 'tool_retired', `${row.toolId} is retired`)] : []),
          ...(!row.user.active ? [affectedBooking(row, 'user_deactivated', `${row.user.name} is deactivated`)] : []),
          ...(row.flaggedAt
            ? [affectedBooking(row, row.flagQualification?.revokedAt ? 'qualification_revoked' : 'qualification_lapsed', row.flagReason ?? 'flagged')]
            : []),
        ]);
        return { bookings: entries };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/bookings/:id/hand-over',
      summary: 'Hand a held or confirmed booking over to another active person of its tenant who is qualified on its tool',
      tag: 'bookings',
      access: managerRoles,
      params: idParams,
      body: handOverSchema,
      response: bookingViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      async handler({ params, body, actor }) {
        const row = await db.$transaction(async (tx) => {
          const booking = await tx.booking.findUnique({ where: { id: params.id }, include: { tool: { select: { toolTypeId: true } } } });
          if (!booking) throw new PilotlineError('NOT_FOUND', `No booking ${params.id}`);
          if (booking.lotStepId) throw new PilotlineError('INVALID_STATE', 'This booking is a step of a lot route: the lot stays with its owner');
          if (booking.state !== 'held' && booking.state !== 'confirmed') {
            throw new PilotlineError('INVALID_STATE', `The booking is ${booking.state}; only a held or confirmed one is handed over`);
          }
          if (body.userId === booking.userId) throw invalidField('body.userId', 'is the booking’s own user already');
          const to = await tx.user.findFirst({ where: { id: body.userId, tenantId: booking.tenantId, active: true }, select: { id: true, name: true } });
          if (!to) throw invalidField('body.userId', `must be an active person of tenant ${booking.tenantId}`);
          const qualified = booking.trainerId
            ? true
            : await tx.qualification.findFirst({
                where: {
                  userId: to.id,
                  revokedAt: null,
                  OR: [{ toolId: booking.toolId }, { toolTypeId: booking.tool.toolTypeId }],
                  AND: [{ OR: [{ expiresAt: null }, { expiresAt: { gte: booking.endsAt } }] }],
                },
                select: { id: true },
              });
          if (!qualified) throw invalidField('body.userId', `is not qualified on ${booking.toolId} until the booking ends`);
          const updated = await tx.booking.update({
            where: { id: booking.id },
            data: { userId: to.id, flaggedAt: null, flagReason: null, flagQualificationId: null },
          });
          await recordChange(tx, {
            actor,
            action: 'booking.handed_over',
            entityType: 'booking',
            entityId: booking.id,
            data: { from: booking.userId, to: to.id },
            notify: [
              { recipientId: to.id, tenantId: booking.tenantId, kind: 'booking.handed_over', subject: `${booking.toolId} at ${booking.startsAt.toISOString()} is now yours`, payload: { bookingId: booking.id } },
              { recipientId: booking.userId, tenantId: booking.tenantId, kind: 'booking.handed_over', subject: `${booking.toolId} at ${booking.startsAt.toISOString()} was handed over to ${to.name}`, payload: { bookingId: booking.id } },
            ],
          });
          return updated;
        });
        return bookingView(row);
      },
    }),
  ];
}
