// Every screen of the app: its route, its nav label, who may open it, and how it renders — a
// Preact component, or a DOM-helper screen hosted by LegacyView until it is ported.
import type { ComponentType } from 'preact';
import { auditRoles, hasRole, managerRoles, opsRoles, peopleRoles, roleActsForAllTenants, statementReaderRoles, type Role } from '../../../domain/roles.js';
import { ApprovalsView } from '../approvals/approvals-view.js';
import { ScheduleView } from '../board/schedule-view.js';
import { LotPage } from '../lots/lot-view.js';
import { LotsView } from '../lots/lots-view.js';
import { AttentionView } from '../facility/attention.js';
import { AuditView } from '../facility/audit.js';
import { FacilityView } from '../facility/hub.js';
import { MyQualificationsView } from '../facility/my-qualifications.js';
import { PeopleView } from '../facility/people.js';
import { PoliciesView } from '../facility/policies.js';
import { QualificationsView } from '../facility/qualifications.js';
import { RatesView } from '../facility/rates.js';
import { TenantView } from '../facility/tenant.js';
import { TenantsView } from '../facility/tenants.js';
import { ToolsAdminView } from '../facility/tools.js';
import { renderMaintenance } from '../maintenance.js';
import { ProfileView } from '../profile.js';
import { RoundReviewView } from '../rounds/round-review.js';
import { RoundsView } from '../rounds/rounds-view.js';
import { renderWaitList } from '../wait-list.js';
import { TokensView } from '../tokens.js';
import { NotificationsView } from '../notifications.js';
import { StatementPage } from '../reports/statement.js';
import { StatementsView } from '../reports/statements.js';
import { UtilisationView } from '../reports/utilisation.js';
import { BookingPage } from '../bookings/booking-page.js';
import { BookingsView } from '../bookings/bookings-view.js';
import { InboxView } from '../inbox/inbox-view.js';
import { RequestView } from '../request/request-view.js';
import type { LegacyRender } from './legacy-view.js';
import type { ViewProps } from './view-props.js';

export type { ViewProps };

interface ViewBase {
  path: string;
  label: string;
  /** Shown in the nav (some views are reached from others only). */
  inNav: boolean;
  allows(role: Role): boolean;
}

export type ViewSpec = ViewBase & ({ render: LegacyRender } | { component: ComponentType<ViewProps> });

const everyone = () => true;
const managers = (r: Role) => hasRole(r, managerRoles);
/** The facility pages: lab staff, and a tenant manager for their own tenant. */
const facilityRoles = (r: Role) => roleActsForAllTenants(r) || hasRole(r, peopleRoles);

export const views: readonly ViewSpec[] = [
  { path: 'schedule', label: 'Schedule', inNav: true, allows: everyone, component: ScheduleView },
  { path: 'request', label: 'Request', inNav: true, allows: everyone, component: RequestView },
  { path: 'bookings', label: 'My bookings', inNav: true, allows: everyone, component: BookingsView },
  { path: 'rounds', label: 'Rounds', inNav: true, allows: everyone, component: RoundsView },
  { path: 'wait-list', label: 'Wait list', inNav: true, allows: everyone, render: renderWaitList },
  { path: 'my-qualifications', label: 'My qualifications', inNav: true, allows: (r) => !managers(r), component: MyQualificationsView },
  { path: 'approvals', label: 'Approvals', inNav: true, allows: managers, component: ApprovalsView },
  { path: 'lots', label: 'Lots', inNav: true, allows: everyone, component: LotsView },
  // Reached from the lots list, an approval, or a block of the schedule.
  { path: 'lot', label: 'Lot', inNav: false, allows: everyone, component: LotPage },
  { path: 'round-review', label: 'Round review', inNav: true, allows: managers, component: RoundReviewView },
  { path: 'attention', label: 'Attention', inNav: true, allows: managers, component: AttentionView },
  { path: 'qualifications', label: 'Qualifications', inNav: true, allows: managers, component: QualificationsView },
  { path: 'maintenance', label: 'Maintenance', inNav: true, allows: (r) => hasRole(r, opsRoles), render: renderMaintenance },
  { path: 'facility', label: 'Facility', inNav: true, allows: facilityRoles, component: FacilityView },
  // Reached from the facility page.
  { path: 'tenants', label: 'Tenants', inNav: false, allows: facilityRoles, component: TenantsView },
  { path: 'tenant', label: 'Tenant', inNav: false, allows: facilityRoles, component: TenantView },
  { path: 'people', label: 'People', inNav: false, allows: facilityRoles, component: PeopleView },
  { path: 'tools-admin', label: 'Tools', inNav: false, allows: (r) => roleActsForAllTenants(r), component: ToolsAdminView },
  { path: 'policies', label: 'Policies', inNav: false, allows: (r) => roleActsForAllTenants(r), component: PoliciesView },
  { path: 'rates', label: 'Rates', inNav: false, allows: (r) => roleActsForAllTenants(r), component: RatesView },
  { path: 'audit', label: 'Audit log', inNav: false, allows: (r) => hasRole(r, auditRoles), component: AuditView },
  // Reached from the signed-in person's name in the top bar.
  { path: 'profile', label: 'My profile', inNav: false, allows: everyone, component: ProfileView },
  { path: 'tokens', label: 'API tokens', inNav: false, allows: everyone, component: TokensView },
  // Every e-mail links here ("choose which e-mails you get").
  { path: 'notifications', label: 'E-mail & calendars', inNav: true, allows: everyone, component: NotificationsView },
  // Reports: everyone sees the line's figures; a tenant's people their own tenant's only (the API decides).
  { path: 'utilisation', label: 'Utilisation', inNav: true, allows: everyone, component: UtilisationView },
  // Reached from the Utilisation page's tabs (the phone menu holds no more links above Sign out).
  { path: 'statements', label: 'Statements', inNav: false, allows: (r) => hasRole(r, statementReaderRoles), component: StatementsView },
  { path: 'statement', label: 'Statement', inNav: false, allows: (r) => hasRole(r, statementReaderRoles), component: StatementPage },
  // A booking's page (lists and e-mails link here); the inbox is reached from the top bar.
  { path: 'booking', label: 'Booking', inNav: false, allows: everyone, component: BookingPage },
  { path: 'inbox', label: 'Inbox', inNav: false, allows: everyone, component: InboxView },
];

/** The view at `path` if the role may open it, else the schedule (everyone's home). */
export function viewFor(path: string, role: Role): ViewSpec {
  return views.find((v) => v.path === path && v.allows(role)) ?? views[0]!;
}
