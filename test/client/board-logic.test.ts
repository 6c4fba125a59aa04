import { describe, expect, it } from 'vitest';
import type { Approvals } from '../../src/domain/approvals.js';
import type { BookingView } from '../../src/domain/booking.js';
import type { LotView } from '../../src/domain/lot.js';
import { escalated, groupByDayAndTool, pendingRequests, urgencyOf } from '../../src/web/client/approvals/queue.js';
import { move } from '../../src/web/client/board/navigate.js';
import { rangeOf, todayStart } from '../../src/web/client/board/range.js';
import { chainOf } from '../../src/web/client/board/lot-chain.js';
import { stepAction } from '../../src/web/client/lots/step-action.js';
import { dayMs, hourMs, isoDay, parseIsoDay } from '../../src/web/client/time.js';

// The pure parts of the board, the approvals queue and the lot page: what the browser tests reach
// only through a few cases, here across their edges.

const minute = 60_000;
// A Saturday in Hong Kong: 2031-03-08 14:30 HKT.
const saturday = parseIsoDay('2031-03-08')! + 14.5 * hourMs;

describe('the board range', () => {
  it('opens 7 days on today and a month a week back, whatever the weekday', () => {
    expect(isoDay(rangeOf('7d', null, saturday).from)).toBe('2031-03-08');
    expect(rangeOf('7d', null, saturday).to - rangeOf('7d', null, saturday).from).toBe(7 * dayMs);
    expect(isoDay(todayStart('month', saturday))).toBe('2031-03-01');
    expect(isoDay(rangeOf('day', '2031-02-27', saturday).from)).toBe('2031-02-27');
  });
});

describe('keyboard moves between blocks', () => {
  const row = (...starts: number[]) => ({ blocks: starts.map((s) => ({ start: s * hourMs, end: (s + 1) * hourMs })) });
  const rows = [row(1, 5, 9), row(), row(4, 10), row(2)];
  it('goes along a row, and up or down to the nearest block in time on the next row that has one', () => {
    expect(move(rows, { row: 0, index: 1 }, 'ArrowRight')).toEqual({ row: 0, index: 2 });
    expect(move(rows, { row: 0, index: 2 }, 'ArrowRight')).toBeNull();
    expect(move(rows, { row: 0, index: 0 }, 'ArrowLeft')).toBeNull();
    expect(move(rows, { row: 0, index: 1 }, 'ArrowDown')).toEqual({ row: 2, index: 0 });
    expect(move(rows, { row: 0, index: 2 }, 'ArrowDown')).toEqual({ row: 2, index: 1 });
    expect(move(rows, { row: 3, index: 0 }, 'ArrowUp')).toEqual({ row: 2, index: 0 });
    expect(move(rows, { row: 0, index: 0 }, 'End')).toEqual({ row: 0, index: 2 });
    expect(move(rows, { row: 0, index: 0 }, 'PageDown')).toEqual({ row: 3, index: 0 });
  });
});

const booking = (id: string, toolId: string, startsAt: number, deadline: number | null): BookingView =>
  ({
    id,
    toolId,
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(startsAt + hourMs).toISOString(),
    approvalDeadline: deadline === null ? null : new Date(deadline).toISOString(),
  }) as BookingView;

const lotOf = (state: LotView['state'], steps: Array<{ start: number; state: string; maxLag?: number }>): LotView =>
  ({
    id: 'lot-1',
    name: 'HEMT lot',
    state,
    earliestStart: new Date(steps[0]!.start).toISOString(),
    approvalDeadline: null,
    steps: steps.map((s, i) => ({
      seq: i + 1,
      name: `step ${i + 1}`,
      toolTypeId: 't',
      durationMin: 60,
      minLagToNextMin: 0,
      maxLagToNextMin: s.maxLag ?? null,
      booking: { id: `b${i}`, toolId: `T${i}`, startsAt: new Date(s.start).toISOString(), endsAt: new Date(s.start + hourMs).toISOString(), state: s.state, checkedInAt: null, checkedOutAt: null },
    })),
  }) as unknown as LotView;

describe('the approvals queue', () => {
  const monday = parseIsoDay('2031-03-10')!;
  const approvals = {
    bookings: [
      booking('b-late', 'EPI-1', monday + 15 * hourMs, saturday + 30 * minute),
      booking('b-early', 'EPI-1', monday + 9 * hourMs, saturday + 3 * hourMs),
      booking('b-sem', 'SEM-1', monday + 10 * hourMs, saturday - minute),
      // 01:00 on Tuesday in Hong Kong (Monday 17:00 UTC): Tuesday's group.
      booking('b-tue', 'SEM-1', monday + dayMs + hourMs, null),
    ],
    lots: [lotOf('held', [{ start: monday + 8 * hourMs, state: 'held' }])],
    insights: {},
  } as unknown as Approvals;
  const names: Record<string, string> = { 'EPI-1': 'MOCVD reactor', 'SEM-1': 'Field-emission SEM' };

  it('groups by Hong Kong day, then tool by name, each by start, lot routes apart', () => {
    const days = groupByDayAndTool(pendingRequests(approvals), (id) => names[id] ?? id);
    expect(days.map((d) => isoDay(d.day))).toEqual(['2031-03-10', '2031-03-11']);
    expect(days[0]!.tools.map((t) => [t.toolId, t.requests.map((r) => r.id)])).toEqual([
      ['SEM-1', ['b-sem']],
      ['EPI-1', ['b-early', 'b-late']],
    ]);
    expect(days[0]!.lots.map((r) => r.id)).toEqual(['lot-1']);
    expect(days[1]!.tools.map((t) => t.toolId)).toEqual(['SEM-1']);
  });

  it('escalates what is due within 2 hours or overdue, nearest first', () => {
    expect(urgencyOf(saturday + 2 * hourMs + minute, saturday)).toBe('normal');
    expect(urgencyOf(saturday + 2 * hourMs, saturday)).toBe('soon');
    expect(urgencyOf(saturday, saturday)).toBe('overdue');
    expect(urgencyOf(null, saturday)).toBe('normal');
    expect(escalated(pendingRequests(approvals), saturday).map((r) => r.id)).toEqual(['b-sem', 'b-late']);
  });
});

describe('a lot step’s run action', () => {
  const now = saturday;
  it('offers check-in only on the next step, from 15 minutes before it, and check-out on the one in use', () => {
    const confirmed = lotOf('confirmed', [{ start: now + 10 * minute, state: 'confirmed' }, { start: now + 2 * hourMs, state: 'confirmed' }]);
    expect(stepAction(confirmed, confirmed.steps[0]!, now)).toEqual({ verb: 'check-in', seq: 1 });
    expect(stepAction(confirmed, confirmed.steps[1]!, now)).toBeNull();
    const later = lotOf('confirmed', [{ start: now + 3 * dayMs, state: 'confirmed' }]);
    expect(stepAction(later, later.steps[0]!, now)).toEqual({ verb: 'wait', seq: 1, opensAt: now + 3 * dayMs - 15 * minute });
    const running = lotOf('in_progress', [{ start: now - hourMs, state: 'completed' }, { start: now + 20 * minute, state: 'confirmed' }, { start: now + 3 * hourMs, state: 'confirmed' }]);
    expect(stepAction(running, running.steps[1]!, now)).toEqual({ verb: 'wait', seq: 2, opensAt: now + 5 * minute });
    expect(stepAction(running, running.steps[1]!, now + 5 * minute)).toEqual({ verb: 'check-in', seq: 2 });
    const inUse = lotOf('in_progress', [{ start: now - hourMs, state: 'in_use' }, { start: now + hourMs, state: 'confirmed' }]);
    expect(stepAction(inUse, inUse.steps[0]!, now)).toEqual({ verb: 'check-out', seq: 1 });
    expect(stepAction(inUse, inUse.steps[1]!, now)).toBeNull();
    const held = lotOf('held', [{ start: now, state: 'held' }]);
    expect(stepAction(held, held.steps[0]!, now)).toBeNull();
  });
});

describe('the lot chain', () => {
  it('draws each Q-time window from the step’s end and says whether the next start keeps it', () => {
    const start = saturday;
    const lot = lotOf('held', [
      { start, state: 'held', maxLag: 60 },
      { start: start + 2 * hourMs, state: 'held', maxLag: 30 },
      { start: start + 3.5 * hourMs, state: 'held' },
    ]);
    const links = chainOf(lot);
    expect(links.map((l) => [l.fromSeq, l.toSeq, l.kept, l.waitMin])).toEqual([
      [1, 2, true, 60],
      [2, 3, true, 30],
    ]);
    expect(links[0]!.window).toEqual({ start: start + hourMs, end: start + 2 * hourMs });
    const late = chainOf(lotOf('held', [{ start, state: 'held', maxLag: 30 }, { start: start + 2 * hourMs, state: 'held' }]));
    expect(late[0]).toMatchObject({ kept: false, waitMin: 60, limitMin: 30 });
  });
});
