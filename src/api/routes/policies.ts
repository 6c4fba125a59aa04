import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { bookingsBrokenBy } from '../../calendar/affected.js';
import { policyView, setupRuleView } from '../../data/catalogue-views.js';
import { recordChange } from '../../data/records.js';
import { changeAnswerSchema } from '../../domain/affected.js';
import { dryRunQuerySchema, entityId } from '../../domain/input.js';
import { minAboveMaxMessage, newPolicySchema, policyChangeSchema, policyViewSchema } from '../../domain/policy.js';
import { managerRoles, roles } from '../../domain/roles.js';
import { newSetupRuleSchema, setupGroupsFit, setupRuleChangeSchema, setupRuleViewSchema } from '../../domain/setup-rule.js';
import { affectedSeenBy } from '../../domain/visibility.js';
import { PilotlineError } from '../../errors.js';
import type { Policy, SetupRule } from '../../generated/prisma/client.js';
import { invalidField } from '../../validation.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { refusingDuplicates } from '../unique.js';

const idParams = z.object({ id: entityId() });
const scopeQuery = z.object({ toolType: entityId().optional(), tool: entityId().optional() });

/** The tools a rule's scope covers, as `bookingsBrokenBy` takes them. */
const scopeOf = (row: { toolId: string | null; toolTypeId: string | null }) =>
  row.toolId ? { toolIds: [row.toolId] } : { toolTypeIds: [row.toolTypeId ?? ''] };

/**
 * Policies and setup rules: lab managers and admins edit them. A change takes effect for new
 * requests; the future bookings the new rule would break are listed (with `dryRun`, only listed).
 */
export function policyRoutes(deps: ApiDeps) {
  const { db, clock } = deps;

  /** The scope a new rule names must exist: its tool type, or its tool. */
  async function checkScope(body: { toolTypeId?: string | undefined; toolId?: string | undefined }) {
    if (body.toolTypeId && !(await db.toolType.findUnique({ where: { id: body.toolTypeId }, select: { id: true } }))) {
      throw invalidField('body.toolTypeId', 'is not a tool type');
    }
    if (body.toolId && !(await db.tool.findUnique({ where: { id: body.toolId }, select: { id: true } }))) {
      throw invalidField('body.toolId', 'is not a tool');
    }
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/policies',
      summary: 'Booking rules per tool type and tool (a tool’s own wins over its type’s)',
      tag: 'policies',
      access: roles,
      query: scopeQuery,
      response: z.object({ policies: z.array(policyViewSchema) }),
      async handler({ query }) {
        const rows = await db.policy.findMany({
          where: { toolTypeId: query.toolType, toolId: query.tool },
          orderBy: [{ toolTypeId: 'asc' }, { toolId: 'asc' }],
        });
        return { policies: rows.map(policyView) };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/policies',
      summary: 'Set the booking rules of a tool type, or a tool’s own rules over its type’s',
      tag: 'policies',
      access: managerRoles,
      body: newPolicySchema,
      status: 201,
      response: policyViewSchema,
      errors: ['INVALID_STATE'],
      async handler({ body, actor }) {
        await checkScope(body);
        const taken = await db.policy.findFirst({ where: body.toolId ? { toolId: body.toolId } : { toolTypeId: body.toolTypeId } });
        if (taken) throw new PilotlineError('INVALID_STATE', `There is a policy for that already: change ${taken.id}`, { details: { policyId: taken.id } });
        const id = body.toolId ? `policy-tool-${body.toolId}` : `policy-${body.toolTypeId}`;
        const row = await refusingDuplicates(
          () =>
            db.$transaction(async (tx) => {
              const created = await tx.policy.create({ data: { id: (await tx.policy.findUnique({ where: { id } })) ? randomUUID() : id, ...body } });
              await recordChange(tx, { actor, action: 'policy.created', entityType: 'policy', entityId: created.id, data: { ...body } });
              return created;
            }),
          body.toolId ? 'body.toolId' : 'body.toolTypeId',
          'has a policy already',
        );
        return policyView(row);
      },
    }),

    defineRoute({
      method: 'PATCH',
      url: '/api/policies/:id',
      summary: 'Change booking rules for new requests; the future bookings the new rules would break are listed, not touched',
      tag: 'policies',
      access: managerRoles,
      params: idParams,
      query: dryRunQuerySchema,
      body: policyChangeSchema,
      response: changeAnswerSchema('policy', policyViewSchema),
      errors: ['NOT_FOUND'],
      async handler({ params, query, body, actor }) {
        const before = await db.policy.findUnique({ where: { id: params.id } });
        if (!before) throw new PilotlineError('NOT_FOUND', `No policy ${params.id}`);
        const after: Policy = { ...before, ...body, updatedAt: clock.now() };
        if (after.minDurationMin > after.maxDurationMin) {
          throw invalidField(body.minDurationMin !== undefined ? 'body.minDurationMin' : 'body.maxDurationMin', body.minDurationMin !== undefined ? minAboveMaxMessage : 'must not be below minDurationMin');
        }
        if (after.toolId && after.weeklyQuotaMin !== null) throw invalidField('body.weeklyQuotaMin', "quotas are per tool type: set it on the type's policy");
        const affected = await bookingsBrokenBy(db, scopeOf(before), { policies: (rows) => rows.map((p) => (p.id === before.id ? after : p)) }, clock.now());
        if (query.dryRun) return { applied: false, policy: policyView(after), affected: affectedSeenBy(actor, affected) };
        const row = await db.$transaction(async (tx) => {
          const updated = await tx.policy.update({ where: { id: params.id }, data: body });
          const changed = Object.fromEntries(Object.entries(body).map(([key, to]) => [key, { from: before[key as keyof typeof body], to }]));
          await recordChange(tx, {
            actor,
            action: 'policy.changed',
            entityType: 'policy',
            entityId: params.id,
            data: { ...changed, affectedBookings: affected.map((b) => b.bookingId) },
            notify: affected.length
              ? [{ audience: 'lab_manager', kind: 'policy.changed', subject: `Policy ${params.id} changed: ${affected.length} future booking(s) break the new rules`, payload: { policyId: params.id, bookingIds: affected.map((b) => b.bookingId) } }]
              : [],
          });
          return updated;
        });
        return { applied: true, policy: policyView(row), affected: affectedSeenBy(actor, affected) };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/setup-rules',
      summary: 'Changeovers between bookings (chamber cleans, seasoning) per tool type and tool',
      tag: 'policies',
      access: roles,
      query: scopeQuery,
      response: z.object({ setupRules: z.array(setupRuleViewSchema) }),
      async handler({ query }) {
        const rows = await db.setupRule.findMany({ where: { toolTypeId: query.toolType, toolId: query.tool }, orderBy: [{ toolTypeId: 'asc' }, { id: 'asc' }] });
        return { setupRules: rows.map(setupRuleView) };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/setup-rules',
      summary: 'Add a changeover rule; the future bookings that leave no room for it are listed, not touched. `dryRun` lists them only',
      tag: 'policies',
      access: managerRoles,
      query: dryRunQuerySchema,
      body: newSetupRuleSchema,
      status: 201,
      response: changeAnswerSchema('setupRule', setupRuleViewSchema),
      async handler({ query, body, actor }) {
        await checkScope(body);
        const rule: SetupRule = { id: randomUUID(), toolTypeId: body.toolTypeId ?? null, toolId: body.toolId ?? null, dimension: body.dimension, fromGroup: body.fromGroup, toGroup: body.toGroup, minutes: body.minutes };
        const affected = await bookingsBrokenBy(db, scopeOf(rule), { setupRules: (rows) => [...rows, rule] }, clock.now());
        if (!query.dryRun) {
          await db.$transaction(async (tx) => {
            await tx.setupRule.create({ data: rule });
            await recordChange(tx, { actor, action: 'setup_rule.created', entityType: 'setup_rule', entityId: rule.id, data: { ...body, affectedBookings: affected.map((b) => b.bookingId) } });
          });
        }
        return { applied: !query.dryRun, setupRule: setupRuleView(rule), affected: affectedSeenBy(actor, affected) };
      },
    }),

    defineRoute({
      method: 'PATCH',
      url: '/api/setup-rules/:id',
      summary: 'Change a changeover rule for new requests; the future bookings it would break are listed, not touched',
      tag: 'policies',
      access: managerRoles,
      params: idParams,
      query: dryRunQuerySchema,
      body: setupRuleChangeSchema,
      response: changeAnswerSchema('setupRule', setupRuleViewSchema),
      errors: ['NOT_FOUND'],
      async handler({ params, query, body, actor }) {
        const before = await db.setupRule.findUnique({ where: { id: params.id } });
        if (!before) throw new PilotlineError('NOT_FOUND', `No setup rule ${params.id}`);
        const after: SetupRule = { ...before, ...body };
        if (!setupGroupsFit({ dimension: after.dimension === 'material' ? 'material' : 'contamination', fromGroup: after.fromGroup, toGroup: after.toGroup })) {
          throw invalidField(body.fromGroup !== undefined ? 'body.fromGroup' : 'body.toGroup', `must be a ${after.dimension} group, or any`);
        }
        const affected = await bookingsBrokenBy(db, scopeOf(before), { setupRules: (rows) => rows.map((r) => (r.id === before.id ? after : r)) }, clock.now());
        if (!query.dryRun) {
          await db.$transaction(async (tx) => {
            await tx.setupRule.update({ where: { id: params.id }, data: body });
            await recordChange(tx, { actor, action: 'setup_rule.changed', entityType: 'setup_rule', entityId: params.id, data: { ...body, affectedBookings: affected.map((b) => b.bookingId) } });
          });
        }
        return { applied: !query.dryRun, setupRule: setupRuleView(after), affected: affectedSeenBy(actor, affected) };
      },
    }),

    defineRoute({
      method: 'DELETE',
      url: '/api/setup-rules/:id',
      summary: 'Remove a changeover rule (new requests no longer leave room for it)',
      tag: 'policies',
      access: managerRoles,
      params: idParams,
      response: setupRuleViewSchema,
      errors: ['NOT_FOUND'],
      async handler({ params, actor }) {
        const before = await db.setupRule.findUnique({ where: { id: params.id } });
        if (!before) throw new PilotlineError('NOT_FOUND', `No setup rule ${params.id}`);
        await db.$transaction(async (tx) => {
          await tx.setupRule.delete({ where: { id: params.id } });
          await recordChange(tx, { actor, action: 'setup_rule.removed', entityType: 'setup_rule', entityId: params.id, data: setupRuleView(before) });
        });
        return setupRuleView(before);
      },
    }),
  ];
}
