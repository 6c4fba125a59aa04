import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../domain/actor.js';
import type { Role } from '../domain/roles.js';
import { PilotlineError } from '../errors.js';
import type { Db } from '../data/db.js';

const tokenPrefix = 'plt_';

/** A new bearer token; only its hash is stored. */
export function newApiToken(): { token: string; hash: string } {
  const token = tokenPrefix + randomBytes(24).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface AuthenticatedActor extends Actor {
  name: string;
}

/** The actor behind an `Authorization: Bearer …` header, or UNAUTHENTICATED. */
export async function authenticate(db: Db, header: string | undefined): Promise<AuthenticatedActor> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) {
    throw new PilotlineError('UNAUTHENTICATED', 'Send a bearer token: Authorization: Bearer <token>');
  }
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(match[1]) },
    select: { revokedAt: true, user: { select: { id: true, tenantId: true, role: true, name: true, active: true } } },
  });
  if (!row || row.revokedAt) throw new PilotlineError('UNAUTHENTICATED', 'Unknown or revoked token');
  if (!row.user.active) throw new PilotlineError('UNAUTHENTICATED', 'This account is deactivated');
  return { userId: row.user.id, tenantId: row.user.tenantId, role: row.user.role, name: row.user.name };
}

export function requireRole(actor: Actor, allowed: readonly Role[]): void {
  if (!allowed.includes(actor.role)) {
    throw new PilotlineError('FORBIDDEN', `This needs one of the roles: ${allowed.join(', ')}`);
  }
}
