import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { findSlots, placementRequestOf } from '../../calendar/placement.js';
import { roles } from '../../domain/roles.js';
import { batchLoadSchema, slotWishSchema, waferSizeSchema } from '../../domain/booking.js';
import { placementPreviewSchema } from '../../domain/placement.js';
import { ContaminationGroupSchema, MaterialSchema } from '../../solver/model.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

const previewBody = z
  .object({
    material: MaterialSchema,
    waferSize: waferSizeSchema,
    contaminationGroup: ContaminationGroupSchema.default('standard'),
    maxOptions: z.number().int().min(1).max(40).default(5),
    startsPerGap: z
      .number()
      .int()
      .min(1)
      .max(8)
      .optional()
      .describe('Offer up to this many starts per free gap, on quarter hours of Hong Kong time or the tool’s own start grid, best first'),
  })
  // Batch tools: the recipe and wafers, so the options show a planned run to join.
  .and(batchLoadSchema)
  .and(slotWishSchema);

export function placementRoutes(deps: ApiDeps) {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/placements/preview',
      summary: 'Ranked slots for a request, or why none fits; books nothing',
      tag: 'bookings',
      access: roles,
      body: previewBody,
      response: placementPreviewSchema,
      async handler({ body, actor }) {
        const request = placementRequestOf(`preview-${randomUUID()}`, body, body, actor);
        const { answer } = await findSlots(deps.db, request, deps.clock.now(), { maxOptions: body.maxOptions, ...(body.startsPerGap ? { startsPerGap: body.startsPerGap } : {}) });
        return answer;
      },
    }),
  ];
}
