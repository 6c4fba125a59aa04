// A lot route on the board: its steps joined in order, and on each step's row the Q-time window in
// which it had to start after the step before (red when the route starts it too late).
import type { LotView } from '../api.js';
import { formatDuration } from '../time.js';
import { rowHeights, type RowLayout } from './gantt.js';
import type { BoardRange } from './range.js';

export interface ChainLink {
  fromSeq: number;
  toSeq: number;
  /** The window the next step must start in (ms), when the step has a Q-time limit. */
  window: { start: number; end: number } | null;
  limitMin: number | null;
  /** The next step's start is inside its window (or there is none). */
  kept: boolean;
  /** Minutes from one step's end to the next one's start. */
  waitMin: number;
}

/** Each consecutive pair of placed steps, with its Q-time window. */
export function chainOf(lot: LotView): ChainLink[] {
  const links: ChainLink[] = [];
  for (let i = 0; i + 1 < lot.steps.length; i++) {
    const step = lot.steps[i]!;
    const next = lot.steps[i + 1]!;
    if (!step.booking || !next.booking) continue;
    const end = Date.parse(step.booking.checkedOutAt ?? step.booking.endsAt);
    const start = Date.parse(next.booking.checkedInAt ?? next.booking.startsAt);
    const window =
      step.maxLagToNextMin === null ? null : { start: end + step.minLagToNextMin * 60_000, end: end + step.maxLagToNextMin * 60_000 };
    links.push({
      fromSeq: step.seq,
      toSeq: next.seq,
      window,
      limitMin: step.maxLagToNextMin,
      kept: !window || (start >= window.start && start <= window.end),
      waitMin: Math.round((start - end) / 60_000),
    });
  }
  return links;
}

export function LotChain(props: { lot: LotView; range: BoardRange; layout: RowLayout }) {
  const { lot, range, layout } = props;
  const span = range.to - range.from;
  const x = (ms: number) => `${((Math.min(Math.max(ms, range.from), range.to) - range.from) / span) * 100}%`;
  const rowOf = new Map<string, number>();
  layout.rows.forEach((row, i) => row.kind === 'tool' && !rowOf.has(row.tool.id) && rowOf.set(row.tool.id, i));
  const middle = (toolId: string) => {
    const r = rowOf.get(toolId);
    return r === undefined ? null : layout.offsets[r]! + rowHeights.tool / 2;
  };
  const links = chainOf(lot);
  const height = layout.offsets[layout.offsets.length - 1] ?? 0;
  return (
    <svg class="lot-chain" width="100%" height={height} data-lot={lot.id}>
      <defs>
        <marker id="chain-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L8,4 L0,8 z" />
        </marker>
      </defs>
      {links.map((link) => {
        const from = lot.steps.find((s) => s.seq === link.fromSeq)!.booking!;
        const to = lot.steps.find((s) => s.seq === link.toSeq)!.booking!;
        const y1 = middle(from.toolId);
        const y2 = middle(to.toolId);
        if (y1 === null || y2 === null) return null;
        const top = y2 - rowHeights.tool / 2 + 2;
        return (
          <g key={link.fromSeq} class={`chain-link${link.kept ? '' : ' broken'}`} data-from={link.fromSeq} data-to={link.toSeq}>
            {link.window ? (
              <>
                <rect class="qtime-window" x={x(link.window.start)} width={`${(Math.max(0, Math.min(link.window.end, range.to) - Math.max(link.window.start, range.from)) / span) * 100}%`} y={top} height={rowHeights.tool - 4} rx="3" />
                <text class="qtime-label" x={x(link.window.start)} y={top + 10} dx="3">
                  Q ≤ {formatDuration(link.limitMin ?? 0)}
                </text>
              </>
            ) : null}
            <line x1={x(Date.parse(from.endsAt))} y1={y1} x2={x(Date.parse(to.startsAt))} y2={y2} marker-end="url(#chain-arrow)" />
          </g>
        );
      })}
    </svg>
  );
}
