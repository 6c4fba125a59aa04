import type { Prisma } from '../src/generated/prisma/client.js';
import type { SlotWish } from '../src/domain/booking.js';

type Tx = Prisma.TransactionClient;

/**
 * The tool types a wish touches: its type, or the types of the tools it names, and the types of
 * their linked tools (a placement holds those too). One statement: it runs on every placement,
 * before the lock, so the catalogue cache (read after the lock) cannot answer it.
 */
export async function toolTypesOf(tx: Tx, wish: Pick<SlotWish, 'toolTypeId' | 'toolIds'>): Promise<string[]> {
  const toolIds = wish.toolIds ?? [];
  const types = new Set<string>(wish.toolTypeId ? [wish.toolTypeId] : []);
  const rows = await tx.$queryRaw<Array<{ toolTypeId: string }>>`
    SELECT t.tool_type_id AS "toolTypeId" FROM tools t WHERE t.id = ANY(${toolIds}::text[])
    UNION
    SELECT lt.tool_type_id FROM tool_links l JOIN tools s ON s.id = l.tool_id JOIN tools lt ON lt.id = l.linked_tool_id
    WHERE s.id = ANY(${toolIds}::text[]) OR s.tool_type_id = ${wish.toolTypeId ?? null}::text`;
  for (const row of rows) types.add(row.toolTypeId);
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
