// Roles and the role sets that endpoints, workflows and screens check (plain data: the browser uses it too).

/** Every role a person can have; `roles` is also the access list of endpoints open to all of them. */
export const roles = ['tenant_user', 'lab_manager', 'ops', 'admin', 'tenant_manager'] as const;
export type Role = (typeof roles)[number];

/** Who decides on held bookings and lots, sets policies and qualifications. */
export const managerRoles = ['lab_manager', 'admin'] as const satisfies readonly Role[];
/** Who plans maintenance and reports outages. */
export const opsRoles = ['ops', 'admin'] as const satisfies readonly Role[];
/** Lab staff: may act on any tenant's booking where the tenant itself may (check in, cancel…). */
export const staffRoles = ['lab_manager', 'admin', 'ops'] as const satisfies readonly Role[];
/** Roles that act for their own tenant only: its people, whatever else they may do there. */
export const tenantScopedRoles = ['tenant_user', 'tenant_manager'] as const satisfies readonly Role[];
/** Who admits a tenant's people and runs its projects: admin for any tenant, a tenant manager for their own. */
export const peopleRoles = ['admin', 'tenant_manager'] as const satisfies readonly Role[];
/** The roles a tenant manager may give the people of their own tenant. */
export const tenantGrantableRoles = ['tenant_user', 'tenant_manager'] as const satisfies readonly Role[];
/** Who reads the audit log: who changed what, when. */
export const auditRoles = managerRoles;

export function hasRole(role: Role, allowed: readonly Role[]): boolean {
  return allowed.includes(role);
}

/** Staff see and act across tenants; the tenant-scoped roles only for their own tenant. */
export function roleActsForAllTenants(role: Role): boolean {
  return !(tenantScopedRoles as readonly Role[]).includes(role);
}

// --- usage statements (issue 14) ---
/** Who reads usage statements: lab managers and admins all, a tenant's people only their own tenant's. */
export const statementReaderRoles = ['lab_manager', 'admin', 'tenant_manager', 'tenant_user'] as const satisfies readonly Role[];
/** Who drafts, adjusts, corrects and issues statements. */
export const statementManagerRoles = managerRoles;
