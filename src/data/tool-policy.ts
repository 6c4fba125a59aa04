import type { Policy } from '../generated/prisma/client.js';
import type { Db } from './db.js';

// The policy row that governs each tool: its own, else its tool type's, else none.

export type PolicyOf = (toolId: string) => Policy | null;

export async function policiesOfTools(db: Pick<Db, 'tool' | 'policy'>, toolIds: readonly string[]): Promise<PolicyOf> {
  const ids = [...new Set(toolIds)];
  if (!ids.length) return () => null;
  const tools = await db.tool.findMany({ where: { id: { in: ids } }, select: { id: true, toolTypeId: true } });
  const typeOf = new Map(tools.map((t) => [t.id, t.toolTypeId]));
  const policies = await db.policy.findMany({ where: { OR: [{ toolId: { in: ids } }, { toolTypeId: { in: [...new Set(typeOf.values())] } }] } });
  return (toolId) => policies.find((p) => p.toolId === toolId) ?? policies.find((p) => p.toolTypeId === typeOf.get(toolId)) ?? null;
}
