import { z } from 'zod';
import { bookingsBrokenBy, upcomingBookings } from '../../calendar/affected.js';
import { toolTypeCounts, toolTypeView } from '../../data/catalogue-views.js';
import { recordChange } from '../../data/records.js';
import { readTool, toolView } from '../../data/tool-view.js';
import { changeAnswerSchema } from '../../domain/affected.js';
import { dryRunQuerySchema, entityId } from '../../domain/input.js';
import { managerRoles, roles } from '../../domain/roles.js';
import {
  newToolSchema,
  newToolTypeSchema,
  retireToolSchema,
  toolChangeSchema,
  toolTypeChangeSchema,
  toolTypeViewSchema,
} from '../../domain/tool-admin.js';
import { toolViewSchema } from '../../domain/tool.js';
import { affectedSeenBy } from '../../domain/visibility.js';
import { PilotlineError } from '../../errors.js';
import { invalidField } from '../../validation.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { refusingDuplicates } from '../unique.js';

const typeParams = z.object({ id: entityId().describe('Tool type id') });
const toolParams = z.object({ id: entityId().describe('Tool id') });

/** Tool types and tools: lab managers and admins add, edit and retire them; changes take effect for new requests. */
export function toolCatalogueRoutes(deps: ApiDeps) {
  const { db, clock } = deps;
  const readType = (id: string) => db.toolType.findUnique({ where: { id }, include: toolTypeCounts });

  async function existingTool(id: string) {
    const tool = await readTool(db, id, clock.now());
    if (!tool) throw new PilotlineError('NOT_FOUND', `No tool ${id}`);
    return tool;
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/tool-types',
      summary: 'Tool types, with how many tools of each are in service',
      tag: 'tools',
      access: roles,
      response: z.object({ toolTypes: z.array(toolTypeViewSchema) }),
      async handler() {
        const rows = await db.toolType.findMany({ include: toolTypeCounts, orderBy: [{ area: 'asc' }, { id: 'asc' }] });
        return { toolTypes: rows.map(toolTypeView) };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/tool-types',
      summary: 'Add a tool type',
      tag: 'tools',
      access: managerRoles,
      body: newToolTypeSchema,
      status: 201,
      response: toolTypeViewSchema,
      async handler({ body, actor }) {
        if (await db.toolType.findUnique({ where: { id: body.id }, select: { id: true } })) throw invalidField('body.id', 'is already the id of a tool type');
        await refusingDuplicates(
          () =>
            db.$transaction(async (tx) => {
              await tx.toolType.create({ data: { ...body, description: body.description ?? null } });
              await recordChange(tx, { actor, action: 'tool_type.created', entityType: 'tool_type', entityId: body.id, data: { ...body } });
            }),
          'body.id',
          'is already the id of a tool type',
        );
        return toolTypeView((await readType(body.id))!);
      },
    }),

    defineRoute({
      method: 'PATCH',
      url: '/api/tool-types/:id',
      summary: "Edit a tool type's name, area or description",
      tag: 'tools',
      access: managerRoles,
      params: typeParams,
      body: toolTypeChangeSchema,
      response: toolTypeViewSchema,
      errors: ['NOT_FOUND'],
      async handler({ params, body, actor }) {
        if (!(await readType(params.id))) throw new PilotlineError('NOT_FOUND', `No tool type ${params.id}`);
        await db.$transaction(async (tx) => {
          await tx.toolType.update({ where: { id: params.id }, data: body });
          await recordChange(tx, { actor, action: 'tool_type.changed', entityType: 'tool_type', entityId: params.id, data: { ...body } });
        });
        return toolTypeView((await readType(params.id))!);
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/tools',
      summary: 'Add a tool with its capabilities; it is bookable at once under its type’s policy',
      tag: 'tools',
      access: managerRoles,
      body: newToolSchema,
      status: 201,
      response: toolViewSchema,
      async handler({ body, actor }) {
        if (!(await db.toolType.findUnique({ where: { id: body.toolTypeId }, select: { id: true } }))) {
          throw invalidField('body.toolTypeId', 'is not a tool type');
        }
        if (await db.tool.findUnique({ where: { id: body.id }, select: { id: true } })) throw invalidField('body.id', 'is already the id of a tool');
        await refusingDuplicates(
          () =>
            db.$transaction(async (tx) => {
              await tx.tool.create({ data: { ...body, location: body.location ?? null } });
              await recordChange(tx, { actor, action: 'tool.created', entityType: 'tool', entityId: body.id, data: { ...body } });
            }),
          'body.id',
          'is already the id of a tool',
        );
        return toolView(await existingTool(body.id));
      },
    }),

    defineRoute({
      method: 'PATCH',
      url: '/api/tools/:id',
      summary:
        "Edit a tool's name or capabilities: new requests get them; the future bookings they would no longer fit are listed, not touched. `dryRun` lists them only",
      tag: 'tools',
      access: managerRoles,
      params: toolParams,
      query: dryRunQuerySchema,
      body: toolChangeSchema,
      response: changeAnswerSchema('tool', toolViewSchema),
      errors: ['NOT_FOUND'],
      async handler({ params, query, body, actor }) {
        const before = await existingTool(params.id);
        const now = clock.now();
        const affected = await bookingsBrokenBy(
          db,
          { toolIds: [params.id] },
          { tools: (rows) => rows.map((t) => (t.id === params.id ? { ...t, ...body } : t)) },
          now,
        );
        if (query.dryRun) {
          return { applied: false, tool: toolView({ ...before, ...body }), affected: affectedSeenBy(actor, affected) };
        }
        await db.$transaction(async (tx) => {
          await tx.tool.update({ where: { id: params.id }, data: body });
          await recordChange(tx, {
            actor,
            action: 'tool.changed',
            entityType: 'tool',
            entityId: params.id,
            data: { ...body, affectedBookings: affected.map((b) => b.bookingId) },
            notify: affected.length
              ? [{ audience: 'lab_manager', kind: 'tool.changed', subject: `${params.id} changed: ${affected.length} future booking(s) no longer fit`, payload: { toolId: params.id, bookingIds: affected.map((b) => b.bookingId) } }]
              : [],
          });
        });
        return { applied: true, tool: toolView(await existingTool(params.id)), affected: affectedSeenBy(actor, affected) };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/tools/:id/retire',
      summary:
        'Retire a tool: no new bookings, not offered for new requests; its future bookings are listed for a lab manager to cancel or move, not touched. `dryRun` lists them only',
      tag: 'tools',
      access: managerRoles,
      params: toolParams,
      query: dryRunQuerySchema,
      body: retireToolSchema,
      response: changeAnswerSchema('tool', toolViewSchema),
      errors: ['NOT_FOUND'],
      async handler({ params, query, body, actor }) {
        const tool = await existingTool(params.id);
        const now = clock.now();
        const affected = await upcomingBookings(db, { toolId: tool.id }, now, 'tool_retired', `${tool.id} is retired${body.reason ? `: ${body.reason}` : ''}`);
        if (query.dryRun || tool.retiredAt) {
          return { applied: false, tool: toolView(tool), affected: affectedSeenBy(actor, affected) };
        }
        await db.$transaction(async (tx) => {
          await tx.tool.update({ where: { id: tool.id }, data: { retiredAt: now } });
          await recordChange(tx, {
            actor,
            action: 'tool.retired',
            entityType: 'tool',
            entityId: tool.id,
            data: { reason: body.reason ?? null, futureBookings: affected.map((b) => b.bookingId) },
            notify: affected.length
              ? [{ audience: 'lab_manager', kind: 'tool.retired', subject: `${tool.id} was retired: ${affected.length} future booking(s) to cancel or move`, payload: { toolId: tool.id, bookingIds: affected.map((b) => b.bookingId) } }]
              : [],
          });
        });
        return { applied: true, tool: toolView(await existingTool(tool.id)), affected: affectedSeenBy(actor, affected) };
      },
    }),
  ];
}
