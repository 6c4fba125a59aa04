import { CatalogueCache } from '../src/calendar/catalogue.js';
import { createBookingActivities } from './bookings/index.js';
import type { ActivityDeps } from './deps.js';
import { createLotActivities } from './lots/index.js';
import { createMailActivities } from './mail/index.js';
import { createMaintenanceActivities } from './maintenance/index.js';
import { createRoundActivities } from './rounds/index.js';
import { createWaitListActivities } from './wait-list/index.js';
import { createQualificationActivities } from './qualifications/index.js';
// usage statements (issue 14)
import { createStatementActivities } from './statements/index.js';

export type { ActivityDeps } from './deps.js';

/** Every activity the worker registers, built from its dependencies (no singletons). */
export function createActivities(given: ActivityDeps) {
  // One catalogue for the worker's placements: read again only when the database's version moves.
  const deps: ActivityDeps = { ...given, catalogue: given.catalogue ?? new CatalogueCache() };
  return {
    ...createBookingActivities(deps),
    ...createMaintenanceActivities(deps),
    ...createLotActivities(deps),
    ...createRoundActivities(deps),
    ...createWaitListActivities(deps),
    ...createQualificationActivities(deps),
    ...createMailActivities(deps),
    // usage statements (issue 14)
    ...createStatementActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { BookingActivities } from './bookings/index.js';
export type { MaintenanceActivities, BookingRevision, LotRevision, Revision } from './maintenance/index.js';
export type { LotActivities } from './lots/index.js';
export type { RoundActivities, PublishResult, RoundChanges } from './rounds/index.js';
export type { WaitListActivities, AcceptOfferResult } from './wait-list/index.js';
export type { QualificationActivities, QualificationChange, QualificationKey } from './qualifications/index.js';
export type { MailActivities, DeliveryReport } from './mail/index.js';
// usage statements (issue 14)
export type { StatementActivities } from './statements/index.js';
