// A schedule block in words: its label on the board (names, not ids) and the sentence a screen
// reader reads, from the block and the names the schedule answer carries.
import type { Schedule, ScheduleBlock } from '../api.js';
import { formatRange, formatTime } from '../time.js';
import { stateLabels } from '../ui.js';

export interface BoardNames {
  tenants: Schedule['tenants'];
  users: Schedule['users'];
  /** Staff see every tenant: their labels lead with the tenant, a tenant user's with the person. */
  seesAllTenants: boolean;
}

export interface PlacedBlock {
  block: ScheduleBlock;
  /** A stable key: booking id, maintenance id, or the busy slot's times. */
  key: string;
  start: number;
  end: number;
}

export function blockKey(block: ScheduleBlock): string {
  if (block.kind === 'booking') return `b:${block.id}`;
  if (block.kind === 'maintenance') return `m:${block.maintenanceId}:${block.startsAt}`;
  return `x:${block.startsAt}:${block.endsAt}`;
}

export function placeBlocks(blocks: readonly ScheduleBlock[]): PlacedBlock[] {
  return blocks
    .map((block) => ({ block, key: blockKey(block), start: Date.parse(block.startsAt), end: Date.parse(block.endsAt) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

export const tenantName = (names: BoardNames, id: string) => names.tenants[id] ?? id;
export const userName = (names: BoardNames, id: string) => names.users[id] ?? id;

/** Two lines on the block: who, then what (lot step or material, and the state where it matters). */
export function blockLines(block: ScheduleBlock, names: BoardNames): [string, string] {
  if (block.kind === 'busy') return ['Busy', 'another tenant'];
  if (block.kind === 'maintenance') {
    return [block.maintenanceKind === 'outage' ? 'Outage' : 'Maintenance', block.reason];
  }
  const who = names.seesAllTenants ? tenantName(names, block.tenantId) : userName(names, block.userId);
  const what = block.lot ? `${block.lot.name} · step ${block.lot.seq}` : block.material;
  const state = block.state === 'confirmed' ? '' : ` · ${stateLabels[block.state] ?? block.state}`;
  return [who, `${names.seesAllTenants ? `${userName(names, block.userId)} · ` : ''}${what}${state}`];
}

/** The whole block in one sentence (the accessible name; the drawer says more). */
export function blockDescription(block: ScheduleBlock, toolName: string, names: BoardNames): string {
  const when = formatRange(Date.parse(block.startsAt), Date.parse(block.endsAt));
  if (block.kind === 'busy') return `${toolName}: busy, another tenant's booking, ${when}`;
  if (block.kind === 'maintenance') {
    return `${toolName}: ${block.maintenanceKind === 'outage' ? 'outage' : 'maintenance'} (${block.state.replaceAll('_', ' ')}), ${when}: ${block.reason}`;
  }
  const used =
    block.checkedInAt && block.checkedOutAt
      ? `, used ${formatTime(Date.parse(block.checkedInAt))}–${formatTime(Date.parse(block.checkedOutAt))}`
      : block.checkedInAt
        ? `, in use since ${formatTime(Date.parse(block.checkedInAt))}`
        : '';
  const [who, what] = blockLines(block, names);
  return `${toolName}: ${stateLabels[block.state] ?? block.state}, ${when}${used} — ${who}, ${what}`;
}

/** The stretch of a block that was really used (check-in to check-out, or to now while in use). */
export function usedSpan(block: ScheduleBlock, now: number): { start: number; end: number } | null {
  if (block.kind !== 'booking' || !block.checkedInAt) return null;
  const start = Date.parse(block.checkedInAt);
  const end = block.checkedOutAt ? Date.parse(block.checkedOutAt) : Math.max(start, Math.min(now, Date.parse(block.endsAt)));
  return { start, end };
}
