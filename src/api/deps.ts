import type { Client } from '@temporalio/client';
import type { Clock } from '../clock.js';
import type { Db } from '../data/db.js';
import type { QualificationTiming } from '../domain/qualification.js';

/** What the HTTP layer needs, passed in: no singletons. */
export interface ApiDeps {
  db: Db;
  temporal: { client: Client; namespace: string; taskQueue: string };
  clock: Clock;
  /** Overrides of durations the workflows started here keep (tests run in seconds). */
  timing?: { qualification?: Partial<QualificationTiming> };
  /** Where people open Pilotline (calendar feed URLs); absent: the request's own origin. */
  publicUrl?: string;
}
