import type { Db } from '../data/db.js';
import { issueSignInLink, type IssuedLink } from './sign-in-links.js';

// The first start: somebody must be able to sign in and run the facility. If no administrator can
// (no password, no identity provider link), one gets a one-time link that sets their password.

export const firstAdmin = {
  id: 'admin',
  name: 'Pilotline administrator',
  email: 'admin@pilotline.local',
  /** The tenant it belongs to when the database has none yet. */
  tenant: { id: 'facility', name: 'Facility operations', class: 'institute' as const },
};

export interface FirstAdminLink extends IssuedLink {
  userId: string;
  email: string;
}

/** Null when an administrator can sign in already; else the link for one (created if need be). */
export async function ensureAdminCanSignIn(db: Db, now: Date, publicUrl: string): Promise<FirstAdminLink | null> {
  const admins = await db.user.findMany({
    where: { role: 'admin', active: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, email: true, passwordHash: true, oidcSubject: true },
  });
  if (admins.some((a) => a.passwordHash !== null || a.oidcSubject !== null)) return null;
  const admin = admins[0] ?? (await createAdmin(db, now));
  const link = await issueSignInLink(db, { userId: admin.id, purpose: 'first_admin', now, publicUrl });
  return { ...link, userId: admin.id, email: admin.email };
}

async function createAdmin(db: Db, now: Date): Promise<{ id: string; email: string }> {
  const { tenant } = firstAdmin;
  const home =
    (await db.tenant.findFirst({ where: { class: 'institute' }, orderBy: { createdAt: 'asc' }, select: { id: true } })) ??
    (await db.tenant.create({ data: tenant, select: { id: true } }));
  const taken = await db.user.findUnique({ where: { id: firstAdmin.id }, select: { id: true } });
  return db.user.create({
    data: {
      id: taken ? `${firstAdmin.id}-${now.getTime().toString(36)}` : firstAdmin.id,
      tenantId: home.id,
      name: firstAdmin.name,
      email: firstAdmin.email,
      role: 'admin',
    },
    select: { id: true, email: true },
  });
}
