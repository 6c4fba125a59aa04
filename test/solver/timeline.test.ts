import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_SETUP, SETUP_KEY_COUNT } from '../../src/solver/setup.js';
import type { Slot, SlotQuery, Timeline, TimelineRules } from '../../src/solver/timeline.js';
import { earliestSlot, latestSlot, ToolTimeline } from '../../src/solver/timeline.js';
import { ReferenceTimeline } from '../../src/solver/timeline-reference.js';

const plain: TimelineRules = { bufferAfterMinutes: 0, changeovers: null };

function withChangeover(from: number, to: number, minutes: number, buffer = 0): TimelineRules {
  const table = new Int32Array(SETUP_KEY_COUNT * SETUP_KEY_COUNT);
  table[from * SETUP_KEY_COUNT + to] = minutes;
  return { bufferAfterMinutes: buffer, changeovers: table };
}

const query = (
  durationMinutes: number,
  earliestStart: number,
  latestStart: number,
  setup = 0,
): SlotQuery => ({
  durationMinutes,
  setup,
  earliestStart,
  latestStart,
});

describe('ToolTimeline', () => {
  it('finds the first gap long enough after the window opens', () => {
    const t = new ToolTimeline(plain);
    t.insert({ id: 'a', start: 100, end: 200, setup: 0 });
    t.insert({ id: 'b', start: 230, end: 300, setup: 0 });
    t.insert({ id: 'c', start: 400, end: 500, setup: 0 });
    expect(earliestSlot(t, query(50, 0, 1000))?.start).toBe(0);
    expect(earliestSlot(t, query(50, 120, 1000))?.start).toBe(300);
    expect(earliestSlot(t, query(150, 120, 1000))?.start).toBe(500);
    expect(earliestSlot(t, query(50, 120, 299))).toBeUndefined();
  });

  it('keeps the buffer after every booking but not after maintenance', () => {
    const t = new ToolTimeline({ bufferAfterMinutes: 15, changeovers: null });
    t.insert({ id: 'booking', start: 0, end: 60, setup: 0 });
    t.insert({ id: 'pm', start: 200, end: 260, setup: NO_SETUP });
    expect(earliestSlot(t, query(30, 0, 1000))?.start).toBe(75);
    // The new booking's own buffer must end before the maintenance starts.
    expect(latestSlot(t, query(30, 0, 199))?.start).toBe(155);
    expect(earliestSlot(t, query(30, 201, 1000))?.start).toBe(260);
  });

  it('adds the changeover from the previous booking and to the next one', () => {
    const t = new ToolTimeline(withChangeover(1, 2, 40));
    t.insert({ id: 'sic', start: 0, end: 60, setup: 1 });
    t.insert({ id: 'next', start: 200, end: 260, setup: 1 });
    expect(earliestSlot(t, query(30, 0, 1000, 2))?.start).toBe(100);
    expect(earliestSlot(t, query(30, 0, 1000, 1))?.start).toBe(60);
    const back = new ToolTimeline(withChangeover(2, 1, 40));
    back.insert({ id: 'next', start: 200, end: 260, setup: 1 });
    expect(latestSlot(back, query(30, 0, 1000, 2))?.start).not.toBe(170);
    expect(latestSlot(back, query(30, 0, 199, 2))?.start).toBe(130);
  });

  it('lists footprints overlapping an interval and forgets removed entries', () => {
    const t = new ToolTimeline({ bufferAfterMinutes: 10, changeovers: null });
    t.insert({ id: 'a', start: 0, end: 50, setup: 0 });
    t.insert({ id: 'b', start: 100, end: 150, setup: 0 });
    expect(t.overlapping(55, 60).map((e) => e.id)).toEqual(['a']);
    expect(t.overlapping(60, 100).map((e) => e.id)).toEqual([]);
    expect(t.remove('a')).toBe(true);
    expect(t.remove('a')).toBe(false);
    expect(t.entries().map((e) => e.id)).toEqual(['b']);
    expect(() => t.insert({ id: 'b', start: 500, end: 510, setup: 0 })).toThrow();
  });

  it('agrees with the reference timeline on random operations', () => {
    const rulesArb = fc.record({
      bufferAfterMinutes: step(0, 20),
      changeovers: fc.option(fc.array(step(0, 30), { minLength: 16, maxLength: 16 }), { nil: null }),
    });
    const entryArb = fc.record({
      start: step(0, 3000),
      length: step(1, 200),
      setup: fc.integer({ min: -1, max: 3 }),
    });
    const opArb = fc.oneof(
      { weight: 5, arbitrary: entryArb.map((e) => ({ op: 'insert' as const, ...e })) },
      { weight: 2, arbitrary: fc.nat().map((pick) => ({ op: 'remove' as const, pick })) },
      {
        weight: 3,
        arbitrary: fc
          .record({
            duration: step(1, 150),
            from: step(-100, 3300),
            span: step(0, 1500),
            setup: fc.integer({ min: 0, max: 3 }),
          })
          .map((q) => ({ op: 'query' as const, ...q })),
      },
    );
    fc.assert(
      fc.property(rulesArb, fc.boolean(), fc.array(opArb, { maxLength: 60 }), (rawRules, disjoint, ops) => {
        const rules = {
          bufferAfterMinutes: rawRules.bufferAfterMinutes,
          changeovers: expandTable(rawRules.changeovers),
        };
        const fast = new ToolTimeline(rules);
        const reference = new ReferenceTimeline(rules);
        let counter = 0;
        for (const op of ops) {
          if (op.op === 'insert') {
            const entry = {
              id: `e${counter++}`,
              start: op.start,
              end: op.start + op.length,
              setup: op.setup,
            };
            // Half the runs keep footprints apart, as a clean calendar does; the others stress overlaps.
            if (disjoint && reference.overlapping(entry.start - 40, entry.end + 40).length > 0) continue;
            fast.insert(entry);
            reference.insert(entry);
          } else if (op.op === 'remove') {
            const all = reference.entries();
            const victim = all.length === 0 ? 'none' : all[op.pick % all.length]!.id;
            expect(fast.remove(victim)).toBe(reference.remove(victim));
          } else {
            const q = query(op.duration, op.from, op.from + op.span, op.setup);
            expect(slots(fast, q, true)).toEqual(slots(reference, q, true));
            expect(slots(fast, q, false)).toEqual(slots(reference, q, false));
            expect(fast.overlapping(op.from, op.from + op.span + 1)).toEqual(
              reference.overlapping(op.from, op.from + op.span + 1),
            );
          }
        }
        expect(fast.entries()).toEqual(reference.entries());
        expect(fast.size).toBe(reference.size);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with the reference timeline on packed calendars with many short gaps', () => {
    const rulesArb = fc.record({
      bufferAfterMinutes: step(0, 10),
      changeovers: fc.option(fc.array(step(0, 15), { minLength: 16, maxLength: 16 }), { nil: null }),
    });
    const runArb = fc.array(
      fc.record({ gap: step(0, 40), length: step(5, 60), setup: fc.integer({ min: -1, max: 3 }) }),
      {
        minLength: 1,
        maxLength: 120,
      },
    );
    const queryArb = fc.record({
      duration: step(1, 45),
      from: step(-50, 6000),
      span: step(0, 4000),
      setup: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(
        rulesArb,
        runArb,
        fc.array(queryArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (rawRules, run, queries, removals) => {
          const rules = {
            bufferAfterMinutes: rawRules.bufferAfterMinutes,
            changeovers: expandTable(rawRules.changeovers),
          };
          const fast = new ToolTimeline(rules);
          const reference = new ReferenceTimeline(rules);
          let cursor = 0;
          run.forEach((piece, i) => {
            const entry = {
              id: `e${i}`,
              start: cursor + piece.gap,
              end: cursor + piece.gap + piece.length,
              setup: piece.setup,
            };
            cursor = entry.end + (piece.setup < 0 ? 0 : rules.bufferAfterMinutes);
            fast.insert(entry);
            reference.insert(entry);
          });
          for (const pick of removals) {
            const victim = `e${pick % run.length}`;
            expect(fast.remove(victim)).toBe(reference.remove(victim));
          }
          for (const op of queries) {
            const q = query(op.duration, op.from, op.from + op.span, op.setup);
            expect(slots(fast, q, true)).toEqual(slots(reference, q, true));
            expect(slots(fast, q, false)).toEqual(slots(reference, q, false));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

/** Mostly multiples of 5, so exact fits (gap == need) are common; sometimes any integer. */
function step(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .integer({ min: Math.ceil(min / 5), max: Math.floor(max / 5) })
        .map((k) => Math.max(min, k * 5)),
    },
    { weight: 1, arbitrary: fc.integer({ min, max }) },
  );
}

function slots(timeline: Timeline, q: SlotQuery, forward: boolean): Slot[] {
  const found: Slot[] = [];
  const visit = (slot: Slot) => found.push(slot) < 6;
  if (forward) timeline.forEachSlot(q, visit);
  else timeline.forEachSlotBackward(q, visit);
  return found;
}

/** A 4×4 table over setups 0..3 spread into the solver's full setup matrix. */
function expandTable(small: number[] | null): Int32Array | null {
  if (small === null) return null;
  const table = new Int32Array(SETUP_KEY_COUNT * SETUP_KEY_COUNT);
  for (let from = 0; from < 4; from++)
    for (let to = 0; to < 4; to++) table[from * SETUP_KEY_COUNT + to] = small[from * 4 + to]!;
  return table;
}
