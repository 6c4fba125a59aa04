import type { Booking, SolverSnapshot, Violation } from './model.js';

// The referee's reading of linked tools, by plain scans over the snapshot: a member booking goes
// with its primary (same interval, tenant and user, on a tool the primary's tool links to), and a
// primary on a tool with links holds every one of them.

/** Every broken linked group of the snapshot. */
export function linkedGroupViolations(snapshot: SolverSnapshot): Violation[] {
  const violations: Violation[] = [];
  const bookings = snapshot.reservations.filter((r): r is Booking => r.kind === 'booking');
  const byId = new Map(bookings.map((b) => [b.id, b]));
  const linksOf = (toolId: string) => snapshot.tools.find((t) => t.id === toolId)?.linkedToolIds ?? [];
  const flag = (ids: string[], toolId: string, tenantId: string, detail: string) =>
    violations.push({ code: 'LINKED_GROUP', reservationIds: ids, toolId, tenantId, detail });

  for (const member of bookings) {
    if (member.linkedTo === undefined) continue;
    const primary = byId.get(member.linkedTo);
    if (primary === undefined) {
      flag([member.id], member.toolId, member.tenantId, `${member.id} goes with ${member.linkedTo}, which holds no slot`);
      continue;
    }
    if (primary.start !== member.start || primary.end !== member.end)
      flag(
        [primary.id, member.id],
        member.toolId,
        member.tenantId,
        `${member.id} holds [${member.start}, ${member.end}), its primary ${primary.id} [${primary.start}, ${primary.end})`,
      );
    if (primary.tenantId !== member.tenantId || primary.userId !== member.userId)
      flag([primary.id, member.id], member.toolId, member.tenantId, `${member.id} is not held for ${primary.id}'s user`);
    if (!linksOf(primary.toolId).includes(member.toolId))
      flag([primary.id, member.id], member.toolId, member.tenantId, `${primary.toolId} does not link to ${member.toolId}`);
  }
  for (const primary of bookings) {
    if (primary.linkedTo !== undefined) continue;
    for (const linkedToolId of linksOf(primary.toolId)) {
      const held = bookings.some((b) => b.linkedTo === primary.id && b.toolId === linkedToolId);
      if (!held)
        flag([primary.id], primary.toolId, primary.tenantId, `${primary.id} on ${primary.toolId} does not hold its linked ${linkedToolId}`);
    }
  }
  return violations;
}
