import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken } from '../../accounts/api-tokens.js';
import { apiTokenViewSchema, createdTokenSchema, newTokenBodySchema, tokenListQuerySchema } from '../../domain/account.js';
import { roles } from '../../domain/roles.js';
import { PilotlineError } from '../../errors.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

// Personal API tokens: everyone manages their own; an administrator sees and revokes anyone's.

export function tokenRoutes(deps: ApiDeps) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/tokens',
      summary: 'Your API tokens (no secrets): name, state, expiry, last use; admin: ?userId= or ?all=true',
      tag: 'auth',
      access: roles,
      query: tokenListQuerySchema,
      response: z.object({ tokens: z.array(apiTokenViewSchema) }),
      async handler({ actor, query }) {
        const others = query.all === 'true' || (query.userId !== undefined && query.userId !== actor.userId);
        if (others && actor.role !== 'admin') {
          throw new PilotlineError('FORBIDDEN', "Only an administrator lists other people's tokens");
        }
        const userId = query.all === 'true' ? undefined : (query.userId ?? actor.userId);
        return { tokens: await listApiTokens(deps.db, userId, deps.clock.now()) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/tokens',
      summary: 'Create an API token for scripts: its secret is in this answer only, shown once',
      tag: 'auth',
      access: roles,
      body: newTokenBodySchema,
      status: 201,
      response: createdTokenSchema,
      handler: ({ actor, body }) =>
        createApiToken(deps.db, {
          userId: actor.userId,
          name: body.name,
          expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
          now: deps.clock.now(),
        }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/tokens/:id/revoke',
      summary: 'Revoke an API token at once: your own, or anyone’s for an administrator',
      tag: 'auth',
      access: roles,
      params: z.object({ id: z.uuid() }),
      response: apiTokenViewSchema,
      errors: ['NOT_FOUND'],
      async handler({ actor, params }) {
        const revoked = await revokeApiToken(deps.db, {
          tokenId: params.id,
          by: { userId: actor.userId, mayRevokeAny: actor.role === 'admin' },
          now: deps.clock.now(),
        });
        deps.tokenHolders?.forgetToken(params.id);
        return revoked;
      },
    }),
  ];
}
