import type { ApiTokenView, Profile } from '../domain/account.js';

// Account rows as the API shows them: never a password hash, a token hash or a session id.

export const apiTokenSelect = {
  id: true,
  userId: true,
  name: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  user: { select: { name: true } },
} as const;

interface ApiTokenRow {
  id: string;
  userId: string;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  user: { name: string };
}

export function apiTokenView(row: ApiTokenRow, now: Date): ApiTokenView {
  return {
    id: row.id,
    userId: row.userId,
    userName: row.user.name,
    name: row.name,
    state: row.revokedAt ? 'revoked' : row.expiresAt && row.expiresAt <= now ? 'expired' : 'active',
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export const profileSelect = {
  id: true,
  name: true,
  email: true,
  role: true,
  passwordHash: true,
  oidcIssuer: true,
  lastSignInAt: true,
  tenant: { select: { id: true, name: true } },
} as const;

interface ProfileRow {
  id: string;
  name: string;
  email: string;
  role: Profile['role'];
  passwordHash: string | null;
  oidcIssuer: string | null;
  lastSignInAt: Date | null;
  tenant: { id: string; name: string };
}

export function profileView(row: ProfileRow): Profile {
  return {
    userId: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    tenant: row.tenant,
    // Whether there is one; the hash itself never leaves the database layer.
    hasPassword: row.passwordHash !== null,
    oidcIssuer: row.oidcIssuer,
    lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
  };
}
