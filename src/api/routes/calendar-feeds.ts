import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  calendarFeedFileSchema,
  calendarFeedInputSchema,
  calendarFeedViewSchema,
  issuedCalendarFeedSchema,
  maxCalendarFeedsPerUser,
  type CalendarFeedView,
} from '../../domain/calendar-feed.js';
import { roles } from '../../domain/roles.js';
import { renderFeed } from '../../feeds/ical.js';
import { feedUrl, hashFeedToken, newFeedToken } from '../../feeds/token.js';
import type { CalendarFeed } from '../../generated/prisma/client.js';
import { PilotlineError } from '../../errors.js';
import type { AuthenticatedActor } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

// Calendar feeds: created, rotated and revoked by their owner with a session or token; the feed
// itself at a secret URL that needs neither (calendar programs cannot sign in). Only the secret's
// hash is stored; a revoked or rotated-away URL is simply not found.

const feedParams = z.object({ id: z.uuid().describe('Feed id') });
const fileParams = z.object({ file: calendarFeedFileSchema });

function feedView(row: CalendarFeed): CalendarFeedView {
  return {
    id: row.id,
    scope: row.scope,
    toolId: row.toolId,
    createdAt: row.createdAt.toISOString(),
    rotatedAt: row.rotatedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export function calendarFeedRoutes(deps: ApiDeps) {
  const { db, clock } = deps;
  const publicUrlOf = (request: FastifyRequest) => deps.publicUrl ?? `${request.protocol}://${request.host}`;

  /** The caller's own feed; anyone else's is not found. */
  async function ownFeed(actor: AuthenticatedActor, id: string): Promise<CalendarFeed> {
    const row = await db.calendarFeed.findUnique({ where: { id } });
    if (!row || row.userId !== actor.userId) throw new PilotlineError('NOT_FOUND', `No calendar feed ${id}`);
    return row;
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/calendar-feeds',
      summary: 'My calendar feeds (without their secret URLs, which are shown once)',
      tag: 'calendar',
      access: roles,
      response: z.object({ feeds: z.array(calendarFeedViewSchema) }),
      async handler({ actor }) {
        const rows = await db.calendarFeed.findMany({ where: { userId: actor.userId }, orderBy: { createdAt: 'asc' } });
        return { feeds: rows.map(feedView) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/calendar-feeds',
      summary: 'A new private iCalendar feed of my bookings or of one tool; its secret URL is answered once',
      tag: 'calendar',
      access: roles,
      body: calendarFeedInputSchema,
      response: issuedCalendarFeedSchema,
      status: 201,
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      async handler({ actor, body, request }) {
        if (body.scope === 'tool' && !(await db.tool.findUnique({ where: { id: body.toolId }, select: { id: true } }))) {
          throw new PilotlineError('NOT_FOUND', `No tool ${body.toolId}`);
        }
        if ((await db.calendarFeed.count({ where: { userId: actor.userId, revokedAt: null } })) >= maxCalendarFeedsPerUser) {
          throw new PilotlineError('INVALID_STATE', `You have ${maxCalendarFeedsPerUser} feeds; revoke one first`);
        }
        const { token, hash } = newFeedToken();
        const row = await db.calendarFeed.create({
          data: { userId: actor.userId, scope: body.scope, toolId: body.scope === 'tool' ? body.toolId : null, tokenHash: hash, createdAt: clock.now() },
        });
        return { feed: feedView(row), url: feedUrl(publicUrlOf(request), token) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/calendar-feeds/:id/rotate',
      summary: 'A new secret URL for a feed; the old one stops working at once',
      tag: 'calendar',
      access: roles,
      params: feedParams,
      response: issuedCalendarFeedSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      async handler({ actor, params, request }) {
        const feed = await ownFeed(actor, params.id);
        if (feed.revokedAt) throw new PilotlineError('INVALID_STATE', 'The feed is revoked; create a new one');
        const { token, hash } = newFeedToken();
        const row = await db.calendarFeed.update({ where: { id: feed.id }, data: { tokenHash: hash, rotatedAt: clock.now() } });
        return { feed: feedView(row), url: feedUrl(publicUrlOf(request), token) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/calendar-feeds/:id/revoke',
      summary: 'Revoke a feed: its URL answers 404 from now on',
      tag: 'calendar',
      access: roles,
      params: feedParams,
      response: calendarFeedViewSchema,
      errors: ['NOT_FOUND'],
      async handler({ actor, params }) {
        const feed = await ownFeed(actor, params.id);
        const row = feed.revokedAt ? feed : await db.calendarFeed.update({ where: { id: feed.id }, data: { revokedAt: clock.now() } });
        return feedView(row);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/calendar/:file',
      summary: 'A calendar feed (iCalendar), generated on request with an ETag; no session: the secret URL is the key',
      tag: 'calendar',
      access: 'public',
      params: fileParams,
      response: z.string().describe('text/calendar (RFC 5545)'),
      produces: 'text/calendar',
      bodiless: { 304: 'Not Modified: the feed is unchanged since the ETag sent in If-None-Match' },
      errors: ['NOT_FOUND'],
      async handler({ params, request, reply }) {
        const row = await db.calendarFeed.findUnique({
          where: { tokenHash: hashFeedToken(params.file.slice(0, -'.ics'.length)) },
          include: { user: { select: { id: true, tenantId: true, role: true, name: true } } },
        });
        if (!row || row.revokedAt) throw new PilotlineError('NOT_FOUND', 'No such calendar feed (revoked, rotated, or never issued)');
        const owner = { userId: row.user.id, tenantId: row.user.tenantId, role: row.user.role, name: row.user.name };
        const feed = await renderFeed(db, row, owner, clock.now(), publicUrlOf(request));
        reply.header('etag', feed.etag).header('cache-control', 'private, no-cache');
        const seen = request.headers['if-none-match'];
        if (seen && seen.split(',').some((tag) => tag.trim() === feed.etag)) {
          reply.status(304);
          return '';
        }
        reply.header('content-disposition', 'inline; filename="pilotline.ics"');
        return feed.body;
      },
    }),
  ];
}
