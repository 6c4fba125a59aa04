import { actsForAllTenants, type Actor } from '../domain/actor.js';
import { PilotlineError } from '../errors.js';

/** The tenant an actor's listings are limited to: their own for tenant-scoped roles, none for staff. */
export function ownTenantOnly(actor: Actor): string | undefined {
  return actsForAllTenants(actor) ? undefined : actor.tenantId;
}

/** A listing filter by tenant: a tenant-scoped actor asking for another tenant is refused. */
export function tenantFilter(actor: Actor, asked: string | undefined): string | undefined {
  const own = ownTenantOnly(actor);
  if (own !== undefined && asked !== undefined && asked !== own) {
    throw new PilotlineError('FORBIDDEN', 'You see only your own tenant');
  }
  return own ?? asked;
}

/** Something of `tenantId` the actor may see or touch; another tenant's does not exist for them. */
export function requireTenantAccess(actor: Actor, tenantId: string, what: string): void {
  if (!actsForAllTenants(actor) && actor.tenantId !== tenantId) throw new PilotlineError('NOT_FOUND', `No ${what}`);
}
