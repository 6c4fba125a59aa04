import type { Db } from '../data/db.js';
import type { OidcRefusal } from '../domain/account.js';
import type { OidcIdentity } from './oidc.js';
import { verifyPassword } from './passwords.js';

// Who is signing in: by e-mail and password, or by the identity an OpenID Connect issuer vouches for.

/** The user with this e-mail address, whatever its case. */
export function userByEmail(db: Db, email: string) {
  return db.user.findFirst({
    where: { email: { equals: email, mode: 'insensitive' } },
    select: { id: true, active: true, passwordHash: true, email: true },
  });
}

/**
 * The active user with this e-mail and password, or null: an unknown e-mail, a wrong password and a
 * deactivated account look alike and take as long, so the answer tells a guesser nothing.
 */
export async function userByPassword(db: Db, email: string, password: string): Promise<{ id: string } | null> {
  const user = await userByEmail(db, email);
  const matches = await verifyPassword(user?.passwordHash, password);
  return user && matches && user.active ? { id: user.id } : null;
}

/**
 * The user an issuer's identity belongs to: the one linked to it, else — the first time — the one
 * with its verified e-mail, which is then linked. Nobody is created: an unknown person is refused.
 */
export async function userByOidcIdentity(
  db: Db,
  identity: OidcIdentity,
): Promise<{ userId: string } | { refused: OidcRefusal }> {
  const linked = await db.user.findUnique({
    where: { oidcIssuer_oidcSubject: { oidcIssuer: identity.issuer, oidcSubject: identity.subject } },
    select: { id: true, active: true },
  });
  if (linked) return linked.active ? { userId: linked.id } : { refused: 'deactivated' };
  if (!identity.email || !identity.emailVerified) return { refused: 'unknown-user' };
  const byEmail = await db.user.findFirst({
    where: { email: { equals: identity.email, mode: 'insensitive' } },
    select: { id: true, active: true, oidcSubject: true },
  });
  // An account already linked to another identity is not taken over by a matching e-mail.
  if (!byEmail || byEmail.oidcSubject !== null) return { refused: 'unknown-user' };
  if (!byEmail.active) return { refused: 'deactivated' };
  await db.user.update({
    where: { id: byEmail.id },
    data: { oidcIssuer: identity.issuer, oidcSubject: identity.subject },
  });
  return { userId: byEmail.id };
}
