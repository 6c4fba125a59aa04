import type { Client } from '@temporalio/client';
import type { TokenHolderCache } from '../accounts/token-holders.js';
import type { Clock } from '../clock.js';
import type { Db } from '../data/db.js';
import type { QualificationTiming } from '../domain/qualification.js';

/** The parts a Pilotline process runs: the HTTP API, a Temporal worker, or both (`pilotline start`). */
export type NodePart = 'api' | 'worker';

/** What /healthz tells about the process it asks. */
export interface NodeState {
  parts: readonly NodePart[];
  /** Set on SIGTERM: health answers 503 so a load balancer sends nothing new. */
  draining: boolean;
  /** Whether this process's worker is polling (nodes that run one). */
  workerRunning?: () => boolean;
}

/** What the HTTP layer needs, passed in: no singletons. */
export interface ApiDeps {
  db: Db;
  temporal: { client: Client; namespace: string; taskQueue: string };
  clock: Clock;
  /** Overrides of durations the workflows started here keep (tests run in seconds). */
  timing?: { qualification?: Partial<QualificationTiming> };
  /** Who holds which bearer token, for a few seconds (buildApiServer makes one from the auth settings). */
  tokenHolders?: TokenHolderCache;
  /** Where people open Pilotline (calendar feed URLs); absent: the request's own origin. */
  publicUrl?: string;
  /** The process this API runs in (default: an API alone, not draining). */
  node?: NodeState;
}
