import { randomBytes } from 'node:crypto';
import type { Db, Tx } from '../data/db.js';
import type { Role } from '../domain/roles.js';
import { hashSecret, newSecret } from './secrets.js';

// Browser sessions in PostgreSQL. The cookie carries a random secret; the row's id is its hash, so
// a copy of the table opens no session. Each session has its own CSRF secret.

export interface OpenedSession {
  /** The cookie's value: given to the browser once, never stored. */
  cookie: string;
  id: string;
  csrfSecret: string;
  expiresAt: Date;
}

export interface SessionRow {
  id: string;
  csrfSecret: string;
  expiresAt: Date;
  lastSeenAt: Date;
  user: { id: string; tenantId: string; role: Role; name: string; active: boolean };
}

/** Last-seen times are recorded to the minute: a page's burst of calls writes once. */
const touchEveryMs = 60_000;

/**
 * A new session for `userId` (a sign-in). The session the browser held before, if any, ends: the
 * id changes on every sign-in, so an id planted before it (session fixation) is worth nothing.
 */
export async function openSession(
  tx: Db | Tx,
  input: { userId: string; now: Date; ttlMs: number; replacing?: string | undefined },
): Promise<OpenedSession> {
  const { secret: cookie, hash: id } = newSecret();
  const csrfSecret = randomBytes(24).toString('base64url');
  const expiresAt = new Date(input.now.getTime() + input.ttlMs);
  if (input.replacing) await tx.session.deleteMany({ where: { id: hashSecret(input.replacing) } });
  await tx.session.deleteMany({ where: { userId: input.userId, expiresAt: { lte: input.now } } });
  await tx.session.create({
    data: { id, userId: input.userId, createdAt: input.now, lastSeenAt: input.now, expiresAt, csrfSecret },
  });
  await tx.user.update({ where: { id: input.userId }, data: { lastSignInAt: input.now } });
  return { cookie, id, csrfSecret, expiresAt };
}

/** The live session behind a cookie, or null (unknown, or expired: then it is removed). */
export async function findSession(db: Db, cookie: string, now: Date): Promise<SessionRow | null> {
  const id = hashSecret(cookie);
  const row = await db.session.findUnique({
    where: { id },
    select: {
      id: true,
      csrfSecret: true,
      expiresAt: true,
      lastSeenAt: true,
      user: { select: { id: true, tenantId: true, role: true, name: true, active: true } },
    },
  });
  if (!row) return null;
  if (row.expiresAt <= now) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() >= touchEveryMs) {
    await db.session.updateMany({ where: { id }, data: { lastSeenAt: now } });
  }
  return row;
}

/** Signs out: the session is gone server-side, whatever the browser keeps. */
export async function endSession(db: Db | Tx, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}

/** Ends every session of a user (a password reset), except `keep` (the one changing it). */
export async function endSessionsOf(db: Db | Tx, userId: string, keep?: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { userId, ...(keep ? { id: { not: keep } } : {}) } });
  return count;
}

/** Removes sessions that ended (a housekeeping sweep; expired ones are refused anyway). */
export async function sweepExpiredSessions(db: Db, now: Date): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
