// The worker's workflow bundle: every workflow type Pilotline runs.
export { bookingWorkflow } from './booking.js';
export { lotRouteWorkflow } from './lot.js';
export { maintenanceWorkflow } from './maintenance.js';
export { recurringMaintenanceWorkflow } from './recurring-maintenance.js';
export { probeWorkflow } from './probe.js';
export { roundWorkflow } from './round.js';
export { roundOpeningWorkflow } from './round-opening.js';
export { waitListWorkflow } from './wait-list.js';
export { waitListDispatcherWorkflow } from './wait-list-dispatcher.js';
export { qualificationWorkflow } from './qualification.js';
export { mailDeliveryWorkflow } from './mail.js';
// usage statements (issue 14)
export { monthCloseWorkflow } from './month-close.js';
