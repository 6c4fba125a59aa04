import type { Prisma } from '../src/generated/prisma/client.js';
import type { SlotWish } from '../src/domain/booking.js';

type Tx = Prisma.TransactionClient;

/** The tool types a wish touches (its type, or the types of the tools it names, and of their linked tools). */
export async function toolTypesOf(tx: Tx, wish: Pick<SlotWish, 'toolTypeId' | 'toolIds'>): Promise<string[]> {
  const types = new Set<string>();
  if (wish.toolTypeId) types.add(wish.toolTypeId);
  if (wish.toolIds?.length) {
    const tools = await tx.tool.findMany({ where: { id: { in: wish.toolIds } }, select: { toolTypeId: true } });
    for (const tool of tools) types.add(tool.toolTypeId);
  }
  const linked = await tx.toolLink.findMany({
    where: { OR: [...(wish.toolIds?.length ? [{ toolId: { in: wish.toolIds } }] : []), ...(wish.toolTypeId ? [{ tool: { toolTypeId: wish.toolTypeId } }] : [])] },
    select: { linkedTool: { select: { toolTypeId: true } } },
  });
  for (const link of linked) types.add(link.linkedTool.toolTypeId);
  return [...types].sort();
}

/**
 * Placements on one tool type take turns (a transaction-scoped advisory lock per type, taken in
 * sorted order so two writers never wait on each other): read, place and write then see one
 * consistent calendar and quota. The exclusion constraint still guards every other writer.
 */
export async function lockToolTypes(tx: Tx, toolTypeIds: readonly string[]): Promise<void> {
  for (const id of [...toolTypeIds].sort()) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`pilotline/tool-type/${id}`}))`;
  }
}
