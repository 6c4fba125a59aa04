// Roles and the role sets that endpoints, workflows and screens check (plain data: the browser uses it too).

/** Every role a person can have; `roles` is also the access list of endpoints open to all of them. */
export const roles = ['tenant_user', 'lab_manager', 'ops', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Who decides on held bookings and lots, sets policies and qualifications. */
export const managerRoles = ['lab_manager', 'admin'] as const satisfies readonly Role[];
/** Who plans maintenance and reports outages. */
export const opsRoles = ['ops', 'admin'] as const satisfies readonly Role[];
/** Lab staff: may act on any tenant's booking where the tenant itself may (check in, cancel…). */
export const staffRoles = ['lab_manager', 'admin', 'ops'] as const satisfies readonly Role[];

export function hasRole(role: Role, allowed: readonly Role[]): boolean {
  return allowed.includes(role);
}
