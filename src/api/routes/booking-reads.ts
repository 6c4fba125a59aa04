import { rateInEffect } from '../../data/rate-in-effect.js';
import { z } from 'zod';
import { bookingHistory } from '../../data/booking-history.js';
import { bookingView } from '../../data/booking-view.js';
import { policiesOfTools } from '../../data/tool-policy.js';
import { actsForAllTenants } from '../../domain/actor.js';
import { actionTimesOf, bookingActionsAt, defaultActionPolicy, isLateCancel } from '../../domain/booking-actions.js';
import { bookingStateSchema } from '../../domain/booking.js';
import { bookingActionsViewSchema, bookingHistorySchema, bookingListSchema, chargeOf } from '../../domain/booking-detail.js';
import { entityId, instant, text } from '../../domain/input.js';
import { roles } from '../../domain/roles.js';
import { PilotlineError } from '../../errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { cursorField, encodeCursor, likeLiteral } from '../cursor.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { visibleBooking } from './bookings.js';

// Reading bookings: the list (newest first, keyset pages, filters, search), and one booking's
// history and what each action on it would do now.

const orders = ['newest', 'soonest'] as const;

const listQuery = z.object({
  mine: z.stringbool().optional().describe('Only the caller’s own bookings'),
  tool: entityId().optional(),
  tenant: entityId().optional().describe('Staff only: one tenant’s bookings'),
  state: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',') : undefined))
    .pipe(z.array(bookingStateSchema).optional())
    .describe('One state or a comma-separated list'),
  from: instant().optional().describe('Bookings ending after this instant'),
  to: instant().optional().describe('Bookings starting before this instant'),
  q: text({ max: 100 })
    .transform((s) => s.trim())
    .optional()
    .describe('Search: purpose, tool id or name, request or booking id; for staff also the user’s and tenant’s names and ids'),
  lotSteps: z.stringbool().optional().describe('false: leave out steps of lot routes; true: only those'),
  order: z.enum(orders).default('newest').describe('`newest`: latest start first (default); `soonest`: earliest start first'),
  limit: z.coerce.number<string | undefined>().int().min(1).max(500).default(50),
  cursor: cursorField(z.object({ o: z.enum(orders), s: z.number().int(), i: z.uuid() })).optional(),
});

const idParams = z.object({ id: z.uuid().describe('Booking id') });
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function bookingReadRoutes(deps: ApiDeps) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/bookings',
      summary: "Bookings, newest first in pages (cursor), filtered and searched; a tenant user sees their own tenant's only",
      tag: 'bookings',
      access: roles,
      query: listQuery,
      response: bookingListSchema,
      errors: ['FORBIDDEN'],
      async handler({ query, actor }) {
        const staff = actsForAllTenants(actor);
        if (!staff && query.tenant && query.tenant !== actor.tenantId) {
          throw new PilotlineError('FORBIDDEN', "A tenant user sees only their own tenant's bookings");
        }
        if (query.cursor && query.cursor.o !== query.order) {
          throw new PilotlineError('VALIDATION_FAILED', 'The cursor belongs to another order', {
            issues: [{ field: 'query.cursor', message: `was made for order=${query.cursor.o}` }],
          });
        }
        const newest = query.order === 'newest';
        const and: Prisma.BookingWhereInput[] = [];
        if (query.q) {
          const like = { contains: likeLiteral(query.q), mode: 'insensitive' as const };
          and.push({
            OR: [
              { purpose: like },
              { toolId: like },
              { tool: { name: like } },
              { requestId: like },
              ...(uuidPattern.test(query.q) ? [{ id: query.q }] : []),
              ...(staff ? [{ userId: like }, { user: { name: like } }, { tenantId: like }, { tenant: { name: like } }] : []),
            ],
          });
        }
        if (query.cursor) {
          const at = new Date(query.cursor.s);
          const beyond = newest ? { lt: at } : { gt: at };
          const after = newest ? { lt: query.cursor.i } : { gt: query.cursor.i };
          and.push({ OR: [{ startsAt: beyond }, { startsAt: at, id: after }] });
        }
        const rows = await deps.db.booking.findMany({
          where: {
            tenantId: staff ? query.tenant : actor.tenantId,
            userId: query.mine ? actor.userId : undefined,
            toolId: query.tool,
            state: query.state ? { in: query.state } : undefined,
            endsAt: query.from ? { gt: new Date(query.from) } : undefined,
            startsAt: query.to ? { lt: new Date(query.to) } : undefined,
            lotStepId: query.lotSteps === undefined ? undefined : query.lotSteps ? { not: null } : null,
            AND: and,
          },
          include: { user: { select: { name: true } }, tenant: { select: { name: true } }, tool: { select: { name: true } } },
          orderBy: newest ? [{ startsAt: 'desc' }, { id: 'desc' }] : [{ startsAt: 'asc' }, { id: 'asc' }],
          take: query.limit + 1,
        });
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        const policyOf = await policiesOfTools(deps.db, page.map((r) => r.toolId));
        return {
          bookings: page.map((row) => ({
            ...bookingView(row),
            userName: row.user.name,
            tenantName: row.tenant.name,
            toolName: row.tool.name,
            times: actionTimesOf(row.startsAt.toISOString(), policyOf(row.toolId) ?? defaultActionPolicy),
          })),
          nextCursor: rows.length > query.limit && last ? encodeCursor({ o: query.order, s: last.startsAt.getTime(), i: last.id }) : null,
        };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/bookings/:id/history',
      summary: 'What has happened to a booking (its audit trail), as the caller may see it',
      tag: 'bookings',
      access: roles,
      params: idParams,
      response: bookingHistorySchema,
      errors: ['NOT_FOUND'],
      async handler({ params, actor }) {
        const row = await visibleBooking(deps, actor, params.id);
        return { bookingId: row.id, entries: await bookingHistory(deps.db, row) };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/bookings/:id/actions',
      summary: 'What each action on a booking would do now: allowed or why not, when that changes, and its cost under the policy',
      tag: 'bookings',
      access: roles,
      params: idParams,
      response: bookingActionsViewSchema,
      errors: ['NOT_FOUND'],
      async handler({ params, actor }) {
        const row = await visibleBooking(deps, actor, params.id);
        const now = deps.clock.now();
        const [policy, tool, tenant] = await Promise.all([
          policiesOfTools(deps.db, [row.toolId]).then((of) => of(row.toolId)),
          deps.db.tool.findUniqueOrThrow({ where: { id: row.toolId }, select: { toolTypeId: true } }),
          deps.db.tenant.findUniqueOrThrow({ where: { id: row.tenantId }, select: { class: true } }),
        ]);
        // Charged at the rate in effect when the booking was requested, as usage is billed.
        const rate = await rateInEffect(deps.db, tool.toolTypeId, tenant.class, row.createdAt);
        const view = bookingView(row);
        const times = actionTimesOf(view.startsAt, policy ?? defaultActionPolicy);
        const minutes = Math.round((row.endsAt.getTime() - row.startsAt.getTime()) / 60_000);
        // Charge terms are a share of the booking's cost; a tool without a policy names no charge.
        const lateCancelPercent = policy?.lateCancelChargePercent ?? null;
        const noShowPercent = policy?.noShowChargePercent ?? null;
        const charge = (percent: number | null) =>
          rate && percent !== null && percent > 0 ? { amountCents: chargeOf(minutes, rate.hourlyRateCents, percent), currency: rate.currency } : null;
        const late = isLateCancel(view, times, now.getTime());
        const ownTenant = actor.role === 'tenant_user' && actor.tenantId === row.tenantId;
        const open = row.state === 'held' || row.state === 'confirmed';
        return {
          bookingId: row.id,
          at: now.toISOString(),
          times,
          actions: bookingActionsAt(view, times, now.getTime(), actor),
          rate: rate ? { hourlyRateCents: rate.hourlyRateCents, currency: rate.currency, tenantClass: tenant.class } : null,
          cancel: {
            late,
            lateFrom: row.state === 'confirmed' ? times.lateCancelFrom : null,
            penaltyFree: ownTenant && open && view.movedByMaintenance,
            chargePercent: lateCancelPercent,
            charge: late ? charge(lateCancelPercent) : null,
          },
          noShow: {
            at: row.state === 'confirmed' ? times.noShowAt : null,
            chargePercent: noShowPercent,
            charge: row.state === 'confirmed' ? charge(noShowPercent) : null,
          },
        };
      },
    }),
  ];
}
