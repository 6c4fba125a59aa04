// Several starts in one free gap, on a grid of round times (quarter hours, or a tool's own grid),
// ranked so that the first keep the gap's free time in one piece.

/** The grid starts are offered on: every `minutes` from `originMinute` (e.g. midnight in the facility's zone). */
export interface StartGrid {
  readonly minutes: number;
  readonly originMinute: number;
}

/** The first grid point at or after `minute`. */
export function gridAtOrAfter(minute: number, grid: StartGrid): number {
  const offset = (((minute - grid.originMinute) % grid.minutes) + grid.minutes) % grid.minutes;
  return offset === 0 ? minute : minute + grid.minutes - offset;
}

/** The last grid point at or before `minute`. */
export function gridAtOrBefore(minute: number, grid: StartGrid): number {
  const offset = (((minute - grid.originMinute) % grid.minutes) + grid.minutes) % grid.minutes;
  return minute - offset;
}

export function isOnGrid(minute: number, grid: StartGrid): boolean {
  return gridAtOrAfter(minute, grid) === minute;
}

/**
 * Up to `count` starts in [from, to] (both feasible, inclusive), best first: the earliest grid start,
 * then the latest (flush with what follows: both keep the rest of the gap in one piece), then grid
 * starts spread evenly in between, earliest first. A gap too short to hold a grid start offers its
 * earliest start, off the grid, rather than nothing.
 */
export function rankedGridStarts(from: number, to: number, grid: StartGrid, count: number): number[] {
  const first = gridAtOrAfter(from, grid);
  const last = gridAtOrBefore(to, grid);
  if (first > last) return [from];
  if (count <= 1 || first === last) return [first];
  const points = (last - first) / grid.minutes + 1;
  const picked: number[] = [];
  if (points <= count) {
    for (let i = 0; i < points; i++) picked.push(first + i * grid.minutes);
  } else {
    // Evenly spread grid indices 0 … points-1, both ends included; distinct because points > count.
    for (let i = 0; i < count; i++) picked.push(first + Math.round((i * (points - 1)) / (count - 1)) * grid.minutes);
  }
  const inner = picked.slice(1, -1);
  return [first, last, ...inner];
}
