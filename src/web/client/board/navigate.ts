// Keyboard moves between the blocks of the board (one tab stop; arrows move, as in an ARIA grid):
// left/right along a tool's row, up/down to the nearest block in time on the next row that has one,
// Home/End to a row's ends, PageUp/PageDown ten rows at a time.

export interface Position {
  row: number;
  index: number;
}

export interface NavRow {
  blocks: ReadonlyArray<{ start: number; end: number }>;
}

export const navigationKeys = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'] as const;
export type NavigationKey = (typeof navigationKeys)[number];

export function isNavigationKey(key: string): key is NavigationKey {
  return (navigationKeys as readonly string[]).includes(key);
}

/** The block in `row` closest in time to [start, end): an overlapping one first, else the nearest. */
function nearestIn(row: NavRow, start: number, end: number): number {
  let best = 0;
  let bestDistance = Infinity;
  const middle = (start + end) / 2;
  row.blocks.forEach((b, i) => {
    const distance = b.start < end && b.end > start ? Math.abs((b.start + b.end) / 2 - middle) / 1e6 : Math.min(Math.abs(b.start - end), Math.abs(b.end - start));
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  });
  return best;
}

/** Where `key` moves from `at`, or null when it cannot move (the edge of the board). */
export function move(rows: readonly NavRow[], at: Position, key: NavigationKey): Position | null {
  const here = rows[at.row]?.blocks[at.index];
  if (!here) return null;
  const inRow = (index: number) => (index >= 0 && index < rows[at.row]!.blocks.length && index !== at.index ? { row: at.row, index } : null);
  switch (key) {
    case 'ArrowLeft':
      return inRow(at.index - 1);
    case 'ArrowRight':
      return inRow(at.index + 1);
    case 'Home':
      return inRow(0);
    case 'End':
      return inRow(rows[at.row]!.blocks.length - 1);
    default: {
      const direction = key === 'ArrowUp' || key === 'PageUp' ? -1 : 1;
      const wanted = key === 'PageUp' || key === 'PageDown' ? 10 : 1;
      let target: number | null = null;
      let passed = 0;
      for (let r = at.row + direction; r >= 0 && r < rows.length; r += direction) {
        if (!rows[r]!.blocks.length) continue;
        target = r;
        if (++passed >= wanted) break;
      }
      return target === null ? null : { row: target, index: nearestIn(rows[target]!, here.start, here.end) };
    }
  }
}
