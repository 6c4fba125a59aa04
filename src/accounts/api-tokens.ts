import type { Db } from '../data/db.js';
import { apiTokenSelect, apiTokenView } from '../data/account-view.js';
import type { ApiTokenView, CreatedToken } from '../domain/account.js';
import type { Role } from '../domain/roles.js';
import { PilotlineError } from '../errors.js';
import { hashSecret, newSecret, tokenPrefix } from './secrets.js';

// Personal API tokens for scripts: named, optionally expiring, shown once, stored as a hash.

/** Last-used times are recorded to the minute, so a script's burst of calls writes once. */
const touchEveryMs = 60_000;

export async function createApiToken(
  db: Db,
  input: { userId: string; name: string; expiresAt?: Date | undefined; now: Date },
): Promise<CreatedToken> {
  if (input.expiresAt && input.expiresAt <= input.now) {
    throw new PilotlineError('VALIDATION_FAILED', 'The expiry is in the past', {
      issues: [{ field: 'body.expiresAt', message: 'must be in the future' }],
    });
  }
  const { secret, hash } = newSecret(tokenPrefix);
  const row = await db.apiToken.create({
    data: { userId: input.userId, tokenHash: hash, name: input.name, expiresAt: input.expiresAt ?? null, createdAt: input.now },
    select: apiTokenSelect,
  });
  return { token: apiTokenView(row, input.now), secret };
}

/** Tokens newest first: one user's, or everyone's (`userId` undefined). */
export async function listApiTokens(db: Db, userId: string | undefined, now: Date): Promise<ApiTokenView[]> {
  const rows = await db.apiToken.findMany({
    where: userId === undefined ? {} : { userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    select: apiTokenSelect,
  });
  return rows.map((row) => apiTokenView(row, now));
}

/** Revokes a token: its owner's own, or anyone's for an administrator. Revoking twice is harmless. */
export async function revokeApiToken(
  db: Db,
  input: { tokenId: string; by: { userId: string; mayRevokeAny: boolean }; now: Date },
): Promise<ApiTokenView> {
  const row = await db.apiToken.findUnique({ where: { id: input.tokenId }, select: { userId: true } });
  // Someone else's token is as invisible as one that does not exist.
  if (!row || (row.userId !== input.by.userId && !input.by.mayRevokeAny)) {
    throw new PilotlineError('NOT_FOUND', `No token ${input.tokenId}`);
  }
  await db.apiToken.updateMany({ where: { id: input.tokenId, revokedAt: null }, data: { revokedAt: input.now } });
  const revoked = await db.apiToken.findUniqueOrThrow({ where: { id: input.tokenId }, select: apiTokenSelect });
  return apiTokenView(revoked, input.now);
}

export interface TokenHolder {
  userId: string;
  tenantId: string;
  role: Role;
  name: string;
  active: boolean;
}

/** The user behind a bearer secret and the token's id and expiry, or why not (unknown, revoked, expired). Records the use. */
export async function findTokenHolder(
  db: Db,
  secret: string,
  now: Date,
): Promise<{ holder: TokenHolder; token: { id: string; expiresAt: Date | null } } | { refused: string }> {
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashSecret(secret) },
    select: {
      id: true,
      revokedAt: true,
      expiresAt: true,
      lastUsedAt: true,
      user: { select: { id: true, tenantId: true, role: true, name: true, active: true } },
    },
  });
  if (!row || row.revokedAt) return { refused: 'Unknown or revoked token' };
  if (row.expiresAt && row.expiresAt <= now) return { refused: 'This token has expired' };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= touchEveryMs) {
    await db.apiToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  const { user } = row;
  return {
    holder: { userId: user.id, tenantId: user.tenantId, role: user.role, name: user.name, active: user.active },
    token: { id: row.id, expiresAt: row.expiresAt },
  };
}
