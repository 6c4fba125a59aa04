// Every screen of the app: its route, its nav label, who may open it, and how it renders.
import { hasRole, managerRoles, opsRoles, type Role } from '../../../domain/roles.js';
import { renderApprovals } from '../approvals.js';
import { renderBookings } from '../bookings.js';
import { renderMaintenance } from '../maintenance.js';
import { renderRequest } from '../request.js';
import { renderSchedule } from '../schedule.js';
import type { ComponentType } from 'preact';
import { RoundReviewView } from '../rounds/round-review.js';
import { RoundsView } from '../rounds/rounds-view.js';
import type { ViewProps } from '../rounds/types.js';
import type { LegacyRender } from './legacy-view.js';

export interface ViewSpec {
  path: string;
  label: string;
  /** Shown in the nav (some views are reached from others only). */
  inNav: boolean;
  allows(role: Role): boolean;
  /** A screen written with the DOM helpers, or a Preact component. */
  render?: LegacyRender;
  component?: ComponentType<ViewProps>;
}

const everyone = () => true;

export const views: readonly ViewSpec[] = [
  { path: 'schedule', label: 'Schedule', inNav: true, allows: everyone, render: renderSchedule },
  { path: 'request', label: 'Request', inNav: true, allows: everyone, render: renderRequest },
  { path: 'bookings', label: 'My bookings', inNav: true, allows: everyone, render: renderBookings },
  { path: 'rounds', label: 'Rounds', inNav: true, allows: everyone, component: RoundsView },
  { path: 'approvals', label: 'Approvals', inNav: true, allows: (r) => hasRole(r, managerRoles), render: renderApprovals },
  { path: 'round-review', label: 'Round review', inNav: true, allows: (r) => hasRole(r, managerRoles), component: RoundReviewView },
  { path: 'maintenance', label: 'Maintenance', inNav: true, allows: (r) => hasRole(r, opsRoles), render: renderMaintenance },
];

/** The view at `path` if the role may open it, else the schedule (everyone's home). */
export function viewFor(path: string, role: Role): ViewSpec {
  return views.find((v) => v.path === path && v.allows(role)) ?? views[0]!;
}
