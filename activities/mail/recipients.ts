import type { Tx } from '../../src/data/db.js';
import type { MailDelivery } from '../../src/domain/notifications.js';
import type { Notification } from '../../src/generated/prisma/client.js';
import type { Recipient } from '../../src/mail/facts.js';

// Who reads a notification: its own user, or every person of the role its audience names
// (`tenant_user`, `lab_manager`, `ops`), each with their e-mail address and preferences.

export interface Addressee extends Recipient {
  delivery: MailDelivery;
  muted: ReadonlySet<string>;
}

/** The audiences a notification may name, as the activities write them. */
const roleAudiences = new Set(['tenant_user', 'lab_manager', 'ops']);

export async function addresseesOf(tx: Tx, notification: Notification): Promise<Addressee[]> {
  const { recipientId, audience } = notification;
  const reached = [
    ...(recipientId ? [{ id: recipientId }] : []),
    ...(audience && roleAudiences.has(audience) ? [{ role: audience as 'tenant_user' | 'lab_manager' | 'ops' }] : []),
  ];
  if (!reached.length) return [];
  const users = await tx.user.findMany({ where: { OR: reached }, include: { mailPreference: true }, orderBy: { id: 'asc' } });
  return users.map((user) => ({
    userId: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    isOwner: user.id === recipientId,
    delivery: user.mailPreference?.delivery ?? 'immediate',
    muted: new Set(user.mailPreference?.mutedKinds ?? []),
  }));
}
