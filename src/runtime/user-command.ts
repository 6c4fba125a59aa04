import { z } from 'zod';
import { createApiToken } from '../accounts/api-tokens.js';
import { userByEmail } from '../accounts/identify.js';
import { issueSignInLink } from '../accounts/sign-in-links.js';
import type { Clock } from '../clock.js';
import type { Db } from '../data/db.js';
import { emailSchema } from '../domain/account.js';
import { roleSchema } from '../domain/actor.js';
import { entityId, text } from '../domain/input.js';
import { PilotlineError } from '../errors.js';
import { parseInput } from '../validation.js';

// `pilotline user add|reset|token`: what an operator does at the console when nobody can sign in
// to do it in the browser. Links and tokens are printed once; only their hashes are stored.

const addFlags = z.object({
  email: emailSchema,
  name: text({ max: 100 }).trim().min(1),
  tenant: entityId(),
  role: roleSchema.default('tenant_user'),
});
const tokenFlags = z.object({
  email: emailSchema,
  name: text({ max: 100 }).trim().min(1).optional(),
  'expires-days': z.coerce.number<string | undefined>().int().min(1).max(3_650).optional(),
});
const emailOnly = z.object({ email: emailSchema });

export const userUsage = `  user add <email> --name N --tenant T [--role R]
                        a new user, and a one-time link that sets their password
  user reset <email>    a one-time link that sets a new password (the old one works until it is used)
  user token <email> [--name N] [--expires-days D]
                        a new API token for scripts, printed once
`;

export interface UserCommandInput {
  action: string | undefined;
  email: string | undefined;
  flags: Record<string, string | undefined>;
  publicUrl: string;
}

/** Runs one `user` action; the lines to print. */
export async function runUserCommand(db: Db, clock: Clock, input: UserCommandInput): Promise<string[]> {
  const now = clock.now();
  const { publicUrl } = input;
  switch (input.action) {
    case 'add': {
      const flags = parseInput(addFlags, { ...input.flags, email: input.email }, 'flags');
      if (await userByEmail(db, flags.email)) throw flagError('email', `${flags.email} already has an account`);
      const tenant = await db.tenant.findUnique({ where: { id: flags.tenant }, select: { id: true } });
      if (!tenant) throw flagError('tenant', `No tenant ${flags.tenant}`);
      const id = await freeUserId(db, flags.email);
      await db.user.create({ data: { id, tenantId: tenant.id, name: flags.name, email: flags.email, role: flags.role } });
      const link = await issueSignInLink(db, { userId: id, purpose: 'welcome', now, publicUrl });
      return [
        `Added ${flags.email} (${id}, ${flags.role} of ${tenant.id}).`,
        `Send them this link to set their password (once, before ${link.expiresAt.toISOString()}):`,
        `  ${link.url}`,
      ];
    }
    case 'reset': {
      const flags = parseInput(emailOnly, { email: input.email }, 'flags');
      const user = await existingUser(db, flags.email);
      const link = await issueSignInLink(db, { userId: user.id, purpose: 'reset', now, publicUrl });
      return [
        `A password reset for ${user.email} (earlier links no longer work). Open it once, before ${link.expiresAt.toISOString()}:`,
        `  ${link.url}`,
      ];
    }
    case 'token': {
      const flags = parseInput(tokenFlags, { ...input.flags, email: input.email }, 'flags');
      const user = await existingUser(db, flags.email);
      const days = flags['expires-days'];
      const created = await createApiToken(db, {
        userId: user.id,
        name: flags.name ?? `issued at the console ${now.toISOString().slice(0, 10)}`,
        expiresAt: days ? new Date(now.getTime() + days * 86_400_000) : undefined,
        now,
      });
      return [
        `API token "${created.token.name}" for ${user.email}${days ? `, valid ${days} days` : ''} (shown once; only its hash is stored):`,
        `  ${created.secret}`,
      ];
    }
    default:
      throw new PilotlineError('VALIDATION_FAILED', `Unknown user action: ${input.action ?? '(none)'}\n\n${userUsage}`);
  }
}

async function existingUser(db: Db, email: string) {
  const user = await userByEmail(db, email);
  if (!user) throw flagError('email', `No user has the e-mail address ${email}`);
  if (!user.active) throw flagError('email', `${email} is deactivated`);
  return user;
}

/** A readable id from the e-mail's local part, made unique with a number. */
async function freeUserId(db: Db, email: string): Promise<string> {
  const base = email.split('@')[0]!.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'user';
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!(await db.user.findUnique({ where: { id }, select: { id: true } }))) return id;
  }
}

const flagError = (field: string, message: string) =>
  new PilotlineError('VALIDATION_FAILED', message, { issues: [{ field, message }] });
