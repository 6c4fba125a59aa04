// The bookings list's filters as they live in the location (#/bookings?show=…&tool=…): parsed once,
// written back for links, and turned into the API's query.
import { dayMs, parseIsoDay } from '../time.js';

export const stateGroups = {
  active: { label: 'Upcoming & in use', states: ['held', 'confirmed', 'in_use'], lots: ['requested', 'held', 'confirmed', 'in_progress'] },
  finished: { label: 'Finished', states: ['completed', 'cancelled', 'rejected', 'expired', 'no_show'], lots: ['completed', 'cancelled', 'rejected', 'expired'] },
} as const;
export type StateGroup = keyof typeof stateGroups;

export interface ListFilters {
  show: StateGroup;
  /** Staff: every tenant's bookings, not only their own. */
  all: boolean;
  tool: string;
  state: string;
  tenant: string;
  /** Hong Kong days, YYYY-MM-DD: bookings ending after `from` 00:00 and starting before `to` 24:00. */
  from: string;
  to: string;
  q: string;
  order: 'newest' | 'soonest';
  cursor: string;
}

export function readFilters(params: URLSearchParams, seesAllTenants: boolean): ListFilters {
  const state = params.get('state') ?? '';
  const show: StateGroup = params.get('show') === 'finished' ? 'finished' : 'active';
  return {
    show,
    all: seesAllTenants && params.get('scope') === 'all',
    tool: params.get('tool') ?? '',
    state: (stateGroups[show].states as readonly string[]).includes(state) ? state : '',
    tenant: seesAllTenants ? (params.get('tenant') ?? '') : '',
    from: parseIsoDay(params.get('from')) === undefined ? '' : params.get('from')!,
    to: parseIsoDay(params.get('to')) === undefined ? '' : params.get('to')!,
    q: params.get('q') ?? '',
    order: params.get('order') === 'soonest' ? 'soonest' : 'newest',
    cursor: params.get('cursor') ?? '',
  };
}

/** The list's location for these filters; a change of filter starts again at the first page. */
export function filtersHash(f: ListFilters): string {
  const p = new URLSearchParams({ show: f.show });
  if (f.all) p.set('scope', 'all');
  for (const key of ['tool', 'state', 'tenant', 'from', 'to', 'q', 'cursor'] as const) if (f[key]) p.set(key, f[key]);
  if (f.order !== 'newest') p.set('order', f.order);
  return `#/bookings?${p.toString()}`;
}

/** GET /api/bookings's query for a page of the list. */
export function listQuery(f: ListFilters, limit: number): URLSearchParams {
  const q = new URLSearchParams({ state: f.state || stateGroups[f.show].states.join(','), order: f.order, limit: String(limit), lotSteps: 'false' });
  if (!f.all) q.set('mine', 'true');
  if (f.tool) q.set('tool', f.tool);
  if (f.tenant && f.all) q.set('tenant', f.tenant);
  const from = parseIsoDay(f.from);
  const to = parseIsoDay(f.to);
  if (from !== undefined) q.set('from', new Date(from).toISOString());
  if (to !== undefined) q.set('to', new Date(to + dayMs).toISOString());
  if (f.q.trim()) q.set('q', f.q.trim());
  if (f.cursor) q.set('cursor', f.cursor);
  return q;
}

/** Whether the lot routes belong on this page: the first page, filtered by nothing they lack. */
export function showsLots(f: ListFilters): boolean {
  return !f.cursor && !f.tool && !f.state && !f.from && !f.to && !f.q;
}
