import type { Prisma } from '../generated/prisma/client.js';
import type { Actor } from '../domain/actor.js';

type Tx = Prisma.TransactionClient;

export interface NotificationDraft {
  /** One user, or an audience such as `lab_manager` (with the tenant when it matters). */
  recipientId?: string;
  tenantId?: string;
  audience?: string;
  kind: string;
  subject: string;
  payload?: Record<string, unknown>;
}

/**
 * Writes the audit entry for a change and the notifications it causes, inside the transaction
 * that makes the change: nothing is announced that did not happen, nothing happens unannounced.
 */
export async function recordChange(
  tx: Tx,
  change: {
    actor: Actor | undefined;
    action: string;
    entityType: string;
    entityId: string;
    data?: Record<string, unknown>;
    notify?: readonly NotificationDraft[];
  },
): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorId: change.actor?.userId ?? null,
      actorRole: change.actor?.role ?? 'system',
      action: change.action,
      entityType: change.entityType,
      entityId: change.entityId,
      data: (change.data ?? {}) as Prisma.InputJsonValue,
    },
  });
  if (change.notify?.length) {
    await tx.notification.createMany({
      data: change.notify.map((n) => ({
        recipientId: n.recipientId ?? null,
        tenantId: n.tenantId ?? null,
        audience: n.audience ?? null,
        kind: n.kind,
        subject: n.subject,
        payload: (n.payload ?? {}) as Prisma.InputJsonValue,
      })),
    });
  }
}
