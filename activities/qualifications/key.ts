import type { Tx } from '../../src/data/db.js';
import type { QualificationScope } from '../../src/domain/qualification.js';

/** A qualification is known by its person and its scope (one tool, or a tool type): one row each. */
export interface QualificationKey {
  userId: string;
  scope: QualificationScope;
}

export const whereKey = (key: QualificationKey) => ({
  userId: key.userId,
  toolId: key.scope.toolId ?? null,
  toolTypeId: key.scope.toolTypeId ?? null,
});

export const scopeWords = (scope: QualificationScope) => (scope.toolId ? `tool ${scope.toolId}` : `tool type ${scope.toolTypeId}`);

/** The tools a scope covers (retired ones too: their bookings still need a qualified user). */
export async function toolsCovered(tx: Pick<Tx, 'tool'>, scope: { toolId: string | null; toolTypeId: string | null }): Promise<string[]> {
  if (scope.toolId) return [scope.toolId];
  const tools = await tx.tool.findMany({ where: { toolTypeId: scope.toolTypeId ?? '' }, select: { id: true } });
  return tools.map((t) => t.id);
}
