import { z } from 'zod';
import { hashPassword, verifyPassword } from '../../accounts/passwords.js';
import { endSessionsOf } from '../../accounts/sessions.js';
import { profileSelect, profileView } from '../../data/account-view.js';
import { sqlStateOf, sqlStates } from '../../data/sql-state.js';
import { passwordChangeSchema, profileChangeSchema, profileSchema } from '../../domain/account.js';
import { roles } from '../../domain/roles.js';
import { PilotlineError } from '../../errors.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

// "My profile": everyone reads theirs and changes their name and password; the e-mail address is
// how people sign in and are found by the identity provider, so only an administrator changes it.

export function profileRoutes(deps: ApiDeps) {
  const read = async (userId: string) =>
    profileView(await deps.db.user.findUniqueOrThrow({ where: { id: userId }, select: profileSelect }));

  return [
    defineRoute({
      method: 'GET',
      url: '/api/profile',
      summary: 'Your profile: name, e-mail, role, tenant, how you sign in',
      tag: 'auth',
      access: roles,
      response: profileSchema,
      handler: ({ actor }) => read(actor.userId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/profile',
      summary: 'Change your name (and, administrators only, your e-mail address)',
      tag: 'auth',
      access: roles,
      body: profileChangeSchema,
      response: profileSchema,
      async handler({ actor, body }) {
        const current = await read(actor.userId);
        const emailChanges = body.email !== undefined && body.email !== current.email.toLowerCase();
        if (emailChanges && actor.role !== 'admin') {
          throw new PilotlineError('FORBIDDEN', 'Only an administrator changes an e-mail address');
        }
        try {
          await deps.db.user.update({
            where: { id: actor.userId },
            data: { ...(body.name !== undefined ? { name: body.name } : {}), ...(emailChanges ? { email: body.email } : {}) },
          });
        } catch (err) {
          if (sqlStateOf(err) === sqlStates.uniqueViolation) {
            throw new PilotlineError('VALIDATION_FAILED', 'Another account has this e-mail address', {
              issues: [{ field: 'body.email', message: 'is already used by another account' }],
            });
          }
          throw err;
        }
        return read(actor.userId);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/profile/password',
      summary: 'Set a new password (give the current one if there is one); your other sessions end',
      tag: 'auth',
      access: roles,
      body: passwordChangeSchema,
      response: z.object({ changed: z.literal(true), endedSessions: z.number().int() }),
      errors: ['RATE_LIMITED'],
      rateLimited: true,
      async handler({ actor, body, request }) {
        const user = await deps.db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { passwordHash: true } });
        if (user.passwordHash !== null && !(await verifyPassword(user.passwordHash, body.currentPassword ?? ''))) {
          throw new PilotlineError('VALIDATION_FAILED', 'The current password is not right', {
            issues: [{ field: 'body.currentPassword', message: 'is not your current password' }],
          });
        }
        const passwordHash = await hashPassword(body.newPassword);
        const endedSessions = await deps.db.$transaction(async (tx) => {
          await tx.user.update({ where: { id: actor.userId }, data: { passwordHash } });
          return endSessionsOf(tx, actor.userId, request.session?.id);
        });
        return { changed: true as const, endedSessions };
      },
    }),
  ];
}
