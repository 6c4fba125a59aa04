import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { rateView } from '../../data/catalogue-views.js';
import { recordChange } from '../../data/records.js';
import { entityId } from '../../domain/input.js';
import { newRateSchema, rateViewSchema } from '../../domain/rate.js';
import { roles } from '../../domain/roles.js';
import { tenantClassSchema } from '../../domain/tenant.js';
import type { Rate } from '../../generated/prisma/client.js';
import { invalidField } from '../../validation.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { refusingDuplicates } from '../unique.js';

const listQuery = z.object({
  toolType: entityId().optional(),
  tenantClass: tenantClassSchema.optional(),
  history: z.stringbool().optional().describe('Also the rates that applied before (bookings requested then keep them)'),
});

/** The rate of each tool type and class that new requests get now: the latest valid from now or before. */
function currentIds(rows: readonly Rate[], now: Date): Set<string> {
  const current = new Map<string, Rate>();
  for (const row of rows) {
    if (row.validFrom > now) continue;
    const key = `${row.toolTypeId}\u0000${row.tenantClass}`;
    const held = current.get(key);
    if (!held || held.validFrom < row.validFrom) current.set(key, row);
  }
  return new Set([...current.values()].map((r) => r.id));
}

/** Hourly rates per tool type and tenant class: admin sets them, for bookings requested from now on. */
export function rateRoutes(deps: ApiDeps) {
  const { db, clock } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/rates',
      summary: 'Hourly rates per tool type and tenant class that new requests get (with `history`, the earlier ones too)',
      tag: 'rates',
      access: roles,
      query: listQuery,
      response: z.object({ rates: z.array(rateViewSchema) }),
      async handler({ query }) {
        const now = clock.now();
        const rows = await db.rate.findMany({
          where: { toolTypeId: query.toolType, tenantClass: query.tenantClass },
          orderBy: [{ toolTypeId: 'asc' }, { tenantClass: 'asc' }, { validFrom: 'desc' }],
        });
        const current = currentIds(rows, now);
        return { rates: rows.filter((r) => query.history || current.has(r.id)).map((r) => rateView(r, current.has(r.id))) };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/rates',
      summary: 'Set the hourly rate of a tool type for a tenant class: it applies to bookings requested from now on; earlier ones keep theirs',
      tag: 'rates',
      access: ['admin'],
      body: newRateSchema,
      status: 201,
      response: rateViewSchema,
      async handler({ body, actor }) {
        if (!(await db.toolType.findUnique({ where: { id: body.toolTypeId }, select: { id: true } }))) {
          throw invalidField('body.toolTypeId', 'is not a tool type');
        }
        const now = clock.now();
        const row = await refusingDuplicates(() => db.$transaction(async (tx) => {
          const previous = await tx.rate.findFirst({
            where: { toolTypeId: body.toolTypeId, tenantClass: body.tenantClass, validFrom: { lte: now } },
            orderBy: { validFrom: 'desc' },
          });
          const created = await tx.rate.create({ data: { id: randomUUID(), ...body, validFrom: now } });
          await recordChange(tx, {
            actor,
            action: 'rate.changed',
            entityType: 'rate',
            entityId: `${body.toolTypeId}/${body.tenantClass}`,
            data: { from: previous ? { hourlyRateCents: previous.hourlyRateCents, currency: previous.currency } : null, to: { hourlyRateCents: body.hourlyRateCents, currency: body.currency }, validFrom: now.toISOString() },
          });
          return created;
        }), 'body.tenantClass', 'had its rate changed at this very moment; try again');
        return rateView(row, true);
      },
    }),
  ];
}
