/** A range of allowed start minutes, both ends inclusive (starts are integers). */
export interface StartRange {
  readonly from: number;
  readonly to: number;
}

/** `range` minus the (sorted by `from`) ranges in `holes`. */
export function subtractRanges(range: StartRange, holes: readonly StartRange[]): StartRange[] {
  const kept: StartRange[] = [];
  let cursor = range.from;
  for (const hole of holes) {
    if (hole.from > cursor) kept.push({ from: cursor, to: Math.min(hole.from - 1, range.to) });
    cursor = Math.max(cursor, hole.to + 1);
    if (cursor > range.to) return kept;
  }
  if (cursor <= range.to) kept.push({ from: cursor, to: range.to });
  return kept;
}
