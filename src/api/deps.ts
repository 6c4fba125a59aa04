import type { Client } from '@temporalio/client';
import type { TokenHolderCache } from '../accounts/token-holders.js';
import type { Clock } from '../clock.js';
import type { Db } from '../data/db.js';

/** What the HTTP layer needs, passed in: no singletons. */
export interface ApiDeps {
  db: Db;
  temporal: { client: Client; namespace: string; taskQueue: string };
  clock: Clock;
  /** Who holds which bearer token, for a few seconds (buildApiServer makes one from the auth settings). */
  tokenHolders?: TokenHolderCache;
  /** Where people open Pilotline (calendar feed URLs); absent: the request's own origin. */
  publicUrl?: string;
}
