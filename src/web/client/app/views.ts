// Every screen of the app: its route, its nav label, who may open it, and how it renders.
import { hasRole, managerRoles, opsRoles, type Role } from '../../../domain/roles.js';
import { renderApprovals } from '../approvals.js';
import { renderBookings } from '../bookings.js';
import { renderMaintenance } from '../maintenance.js';
import { renderRequest } from '../request.js';
import { renderSchedule } from '../schedule.js';
import { renderWaitList } from '../wait-list.js';
import type { LegacyRender } from './legacy-view.js';

export interface ViewSpec {
  path: string;
  label: string;
  /** Shown in the nav (some views are reached from others only). */
  inNav: boolean;
  allows(role: Role): boolean;
  render: LegacyRender;
}

const everyone = () => true;

export const views: readonly ViewSpec[] = [
  { path: 'schedule', label: 'Schedule', inNav: true, allows: everyone, render: renderSchedule },
  { path: 'request', label: 'Request', inNav: true, allows: everyone, render: renderRequest },
  { path: 'bookings', label: 'My bookings', inNav: true, allows: everyone, render: renderBookings },
  { path: 'wait-list', label: 'Wait list', inNav: true, allows: everyone, render: renderWaitList },
  { path: 'approvals', label: 'Approvals', inNav: true, allows: (r) => hasRole(r, managerRoles), render: renderApprovals },
  { path: 'maintenance', label: 'Maintenance', inNav: true, allows: (r) => hasRole(r, opsRoles), render: renderMaintenance },
];

/** The view at `path` if the role may open it, else the schedule (everyone's home). */
export function viewFor(path: string, role: Role): ViewSpec {
  return views.find((v) => v.path === path && v.allows(role)) ?? views[0]!;
}
