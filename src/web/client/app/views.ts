// Every screen of the app: its route, its nav label, who may open it, and how it renders — a
// Preact component, or a DOM-helper screen hosted by LegacyView until it is ported.
import type { ComponentType } from 'preact';
import { hasRole, managerRoles, opsRoles, type Role } from '../../../domain/roles.js';
import { renderApprovals } from '../approvals.js';
import { ScheduleView } from '../board/schedule-view.js';
import { renderBookings } from '../bookings.js';
import { renderMaintenance } from '../maintenance.js';
import { ProfileView } from '../profile.js';
import { renderRequest } from '../request.js';
import { TokensView } from '../tokens.js';
import { NotificationsView } from '../notifications.js';
import type { AppContext } from '../ui.js';
import type { LegacyRender } from './legacy-view.js';

export interface ViewProps {
  ctx: AppContext;
  params: URLSearchParams;
}

interface ViewBase {
  path: string;
  label: string;
  /** Shown in the nav (some views are reached from others only). */
  inNav: boolean;
  allows(role: Role): boolean;
}

export type ViewSpec = ViewBase & ({ render: LegacyRender } | { component: ComponentType<ViewProps> });

const everyone = () => true;

export const views: readonly ViewSpec[] = [
  { path: 'schedule', label: 'Schedule', inNav: true, allows: everyone, component: ScheduleView },
  { path: 'request', label: 'Request', inNav: true, allows: everyone, render: renderRequest },
  { path: 'bookings', label: 'My bookings', inNav: true, allows: everyone, render: renderBookings },
  { path: 'approvals', label: 'Approvals', inNav: true, allows: (r) => hasRole(r, managerRoles), render: renderApprovals },
  { path: 'maintenance', label: 'Maintenance', inNav: true, allows: (r) => hasRole(r, opsRoles), render: renderMaintenance },
  // Reached from the signed-in person's name in the top bar.
  { path: 'profile', label: 'My profile', inNav: false, allows: everyone, component: ProfileView },
  { path: 'tokens', label: 'API tokens', inNav: false, allows: everyone, component: TokensView },
  // Every e-mail links here ("choose which e-mails you get").
  { path: 'notifications', label: 'E-mail & calendars', inNav: true, allows: everyone, component: NotificationsView },
];

/** The view at `path` if the role may open it, else the schedule (everyone's home). */
export function viewFor(path: string, role: Role): ViewSpec {
  return views.find((v) => v.path === path && v.allows(role)) ?? views[0]!;
}
