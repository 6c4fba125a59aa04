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

export interface Change {
  actor: Actor | undefined;
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
  notify?: readonly NotificationDraft[];
}

/** The audit row and the outbox rows a change writes (the hot path writes them in its own statement). */
export function changeRows(change: Change) {
  return {
    audit: {
      actorId: change.actor?.userId ?? null,
      actorRole: change.actor?.role ?? 'system',
      action: change.action,
      entityType: change.entityType,
      entityId: change.entityId,
      data: (change.data ?? {}) as Prisma.InputJsonValue,
    },
    notifications: (change.notify ?? []).map((n) => ({
      recipientId: n.recipientId ?? null,
      tenantId: n.tenantId ?? null,
      audience: n.audience ?? null,
      kind: n.kind,
      subject: n.subject,
      payload: (n.payload ?? {}) as Prisma.InputJsonValue,
    })),
  };
}

/**
 * Writes the audit entry for a change and the notifications it causes, inside the transaction
 * that makes the change: nothing is announced that did not happen, nothing happens unannounced.
 */
export async function recordChange(tx: Tx, change: Change): Promise<void> {
  const { audit, notifications } = changeRows(change);
  await tx.auditLog.create({ data: audit });
  if (notifications.length) await tx.notification.createMany({ data: notifications });
}
