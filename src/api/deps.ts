import type { Client } from '@temporalio/client';
import type { Clock } from '../clock.js';
import type { Db } from '../data/db.js';

/** What the HTTP layer needs, passed in: no singletons. */
export interface ApiDeps {
  db: Db;
  temporal: { client: Client; namespace: string; taskQueue: string };
  clock: Clock;
  /** Where people open Pilotline (calendar feed URLs); absent: the request's own origin. */
  publicUrl?: string;
}
