/** Time as logic sees it: injected everywhere, so tests can pin or shift it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock running at real speed from a shifted origin (tests: "it is 09:59:58 on Monday"). */
export function offsetClock(offsetMs: number, base: Clock = systemClock): Clock {
  return { now: () => new Date(base.now().getTime() + offsetMs) };
}

/** A clock that only moves when told to. */
export function fixedClock(at: Date): Clock & { set(to: Date): void; advance(ms: number): void } {
  let current = at.getTime();
  return {
    now: () => new Date(current),
    set: (to) => (current = to.getTime()),
    advance: (ms) => (current += ms),
  };
}
