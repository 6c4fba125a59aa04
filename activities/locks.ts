import type { CatalogueRows } from '../src/calendar/calendar-read.js';
import pg from 'pg';
import { execute, queryRows, type SqlSource } from '../src/data/sql.js';
import type { SlotWish } from '../src/domain/booking.js';
import { Prisma } from '../src/generated/prisma/client.js';

type Wish = Pick<SlotWish, 'toolTypeId' | 'toolIds'>;

/**
 * The tool types a wish touches: its type, or the types of the tools it names, and the types of
 * their linked tools (a placement holds those too). One statement, for a caller holding no
 * catalogue yet (see `toolTypesIn`).
 */
export async function toolTypesOf(source: SqlSource, wish: Wish): Promise<string[]> {
  const toolIds = wish.toolIds ?? [];
  const types = new Set<string>(wish.toolTypeId ? [wish.toolTypeId] : []);
  const rows = await queryRows<{ toolTypeId: string }>(
    source,
    Prisma.sql`
    SELECT t.tool_type_id AS "toolTypeId" FROM tools t WHERE t.id = ANY(${toolIds}::text[])
    UNION
    SELECT lt.tool_type_id FROM tool_links l JOIN tools s ON s.id = l.tool_id JOIN tools lt ON lt.id = l.linked_tool_id
    WHERE s.id = ANY(${toolIds}::text[]) OR s.tool_type_id = ${wish.toolTypeId ?? null}::text`,
    'pilotline/tool-types-of',
  );
  for (const row of rows) types.add(row.toolTypeId);
  return [...types].sort();
}

/**
 * `toolTypesOf` answered from a catalogue: no statement. A placement locks what its cached
 * catalogue says, then checks against the catalogue its calendar read returned (the database's
 * current one), and starts again with more locks if a change since reached further.
 */
export function toolTypesIn(catalogue: CatalogueRows, wish: Wish): string[] {
  const named = new Set(wish.toolIds ?? []);
  const typeOf = new Map(catalogue.tools.map((t) => [t.id, t.toolTypeId]));
  const types = new Set<string>(wish.toolTypeId ? [wish.toolTypeId] : []);
  for (const id of named) {
    const type = typeOf.get(id);
    if (type !== undefined) types.add(type);
  }
  for (const link of catalogue.toolLinks) {
    const from = typeOf.get(link.toolId);
    if (!named.has(link.toolId) && (from === undefined || from !== wish.toolTypeId)) continue;
    const type = typeOf.get(link.linkedToolId);
    if (type !== undefined) types.add(type);
  }
  return [...types].sort();
}

/**
 * Placements on one tool type take turns (a transaction-scoped advisory lock per type, taken in
 * sorted order so two writers never wait on each other): read, place and write then see one
 * consistent calendar and quota. The exclusion constraint still guards every other writer.
 */
export async function lockToolTypes(source: SqlSource, toolTypeIds: readonly string[]): Promise<void> {
  for (const id of [...toolTypeIds].sort()) {
    await execute(source, Prisma.sql`SELECT pg_advisory_xact_lock(hashtext(${lockKey(id)}))`, 'pilotline/lock-tool-type');
  }
}

/** `lockToolTypes` as fixed statements (the keys quoted as literals), to send with a transaction's BEGIN. */
export function lockToolTypesText(toolTypeIds: readonly string[]): string {
  return [...toolTypeIds]
    .sort()
    .map((id) => `SELECT pg_advisory_xact_lock(hashtext(${pg.escapeLiteral(lockKey(id))}))`)
    .join('; ');
}

const lockKey = (toolTypeId: string) => `pilotline/tool-type/${toolTypeId}`;
