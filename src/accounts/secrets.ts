import { createHash, randomBytes } from 'node:crypto';

// Bearer secrets (API tokens, session cookies, sign-in links): random, shown to their holder once,
// stored only as a SHA-256. A fast hash suffices: 32 random bytes cannot be guessed, unlike a password.

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new secret with a prefix that says what it is (`plt_` a token, `pll_` a link), and its hash. */
export function newSecret(prefix = ''): { secret: string; hash: string } {
  const secret = prefix + randomBytes(32).toString('base64url');
  return { secret, hash: hashSecret(secret) };
}

export const tokenPrefix = 'plt_';
export const linkPrefix = 'pll_';
