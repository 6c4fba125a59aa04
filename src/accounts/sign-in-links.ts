import type { Db, Tx } from '../data/db.js';
import { hashSecret, linkPrefix, newSecret } from './secrets.js';

// One-time sign-in links: the first administrator's, a new user's welcome, a password reset.
// Opening one lets its holder set a password and signs them in; it works once, until it expires.

export const linkPurposes = ['first_admin', 'welcome', 'reset'] as const;
export type LinkPurpose = (typeof linkPurposes)[number];

export const defaultLinkTtlMs = 24 * 3_600_000;

export interface IssuedLink {
  url: string;
  expiresAt: Date;
}

/** Where a link's secret goes: in the URL's fragment, which browsers never send to a server or a log. */
export function signInLinkUrl(publicUrl: string, secret: string): string {
  return `${publicUrl}/#/welcome?token=${encodeURIComponent(secret)}`;
}

/** A new link for `userId`; the user's earlier links that were not used stop working. */
export async function issueSignInLink(
  db: Db | Tx,
  input: { userId: string; purpose: LinkPurpose; now: Date; publicUrl: string; ttlMs?: number },
): Promise<IssuedLink> {
  const { secret, hash } = newSecret(linkPrefix);
  const expiresAt = new Date(input.now.getTime() + (input.ttlMs ?? defaultLinkTtlMs));
  await db.signInLink.updateMany({
    where: { userId: input.userId, usedAt: null, expiresAt: { gt: input.now } },
    data: { expiresAt: input.now },
  });
  await db.signInLink.create({ data: { tokenHash: hash, userId: input.userId, purpose: input.purpose, expiresAt } });
  return { url: signInLinkUrl(input.publicUrl, secret), expiresAt };
}

/**
 * Uses a link up: the user it was for, or null when it is unknown, used or expired. Marking it used
 * and reading it is one conditional update, so two tabs racing on one link cannot both win.
 */
export async function redeemSignInLink(tx: Tx, secret: string, now: Date): Promise<{ userId: string; purpose: string } | null> {
  const tokenHash = hashSecret(secret);
  const { count } = await tx.signInLink.updateMany({
    where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count !== 1) return null;
  return tx.signInLink.findUniqueOrThrow({ where: { tokenHash }, select: { userId: true, purpose: true } });
}
