import type { Db } from '../data/db.js';
import { findTokenHolder, type TokenHolder } from './api-tokens.js';
import { hashSecret } from './secrets.js';

// Who holds a bearer token, remembered for a few seconds: a script's burst of requests costs one
// lookup, not one per request. The price is bounded: a token revoked or a user deactivated on
// another node keeps working here for at most `ttlMs` (TOKEN_CACHE_SECONDS); revoked, or its holder
// deactivated or given another role, through this node: at once. Only live tokens of active users are remembered; every refusal asks the database.

interface Remembered {
  holder: TokenHolder;
  tokenId: string;
  /** Until the cache's TTL or the token's own expiry, whichever comes first (ms since the epoch). */
  until: number;
}

/** Enough for every script of a facility; past it the oldest entry goes (a Map keeps insertion order). */
const maxEntries = 10_000;

export class TokenHolderCache {
  private readonly entries = new Map<string, Remembered>();

  constructor(readonly ttlMs: number) {}

  async holderOf(db: Db, secret: string, now: Date): Promise<{ holder: TokenHolder } | { refused: string }> {
    if (this.ttlMs <= 0) return findTokenHolder(db, secret, now);
    const key = hashSecret(secret);
    const remembered = this.entries.get(key);
    if (remembered && now.getTime() < remembered.until) return { holder: remembered.holder };
    this.entries.delete(key);
    const found = await findTokenHolder(db, secret, now);
    if ('holder' in found && found.holder.active) {
      const expires = found.token.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
      if (this.entries.size >= maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, {
        holder: found.holder,
        tokenId: found.token.id,
        until: Math.min(now.getTime() + this.ttlMs, expires),
      });
    }
    return found;
  }

  /** A token revoked through this node stops working here at once. */
  forgetToken(tokenId: string): void {
    for (const [key, entry] of this.entries) if (entry.tokenId === tokenId) this.entries.delete(key);
  }

  /** A person deactivated (or their role changed) through this node: their tokens are asked about again. */
  forgetHolder(userId: string): void {
    for (const [key, entry] of this.entries) if (entry.holder.userId === userId) this.entries.delete(key);
  }
}
