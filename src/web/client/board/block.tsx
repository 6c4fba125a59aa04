// One block on a tool's row: a button (one tab stop for the whole board, arrows between blocks),
// labelled with names; the completed layer shows the stretch really used inside the planned slot.
import type { BoardRange } from './range.js';
import { blockDescription, blockLines, usedSpan, type BoardNames, type PlacedBlock } from './blocks.js';

/** Below this width (px) a block shows no text; focus widens it to show its label whole. */
const labelMinPx = 30;

export interface BlockProps {
  placed: PlacedBlock;
  toolName: string;
  range: BoardRange;
  names: BoardNames;
  now: number;
  /** The board's track width in px (labels only where they can be read). */
  trackPx: number;
  tabbable: boolean;
  open: boolean;
  dimmed: boolean;
}

export function Block(props: BlockProps) {
  const { placed, range, names, now, trackPx } = props;
  const { block } = placed;
  const span = range.to - range.from;
  const from = Math.max(placed.start, range.from);
  const to = Math.min(placed.end, range.to);
  const left = ((from - range.from) / span) * 100;
  const width = ((to - from) / span) * 100;
  const px = (width / 100) * trackPx;
  const [line1, line2] = blockLines(block, names);
  const used = usedSpan(block, now);
  const classes = [
    'block',
    block.kind,
    block.kind === 'booking' ? `state-${block.state}` : '',
    block.kind === 'maintenance' ? `mkind-${block.maintenanceKind}` : '',
    block.kind === 'booking' && block.lot ? 'lot-step' : '',
    px < labelMinPx ? 'narrow' : '',
    props.open ? 'open' : '',
    props.dimmed ? 'dimmed' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <button
      type="button"
      class={classes}
      style={{ left: `${left}%`, width: `${width}%` }}
      tabIndex={props.tabbable ? 0 : -1}
      aria-label={blockDescription(block, props.toolName, names)}
      aria-haspopup="dialog"
      aria-expanded={props.open}
      data-key={placed.key}
      data-booking={block.kind === 'booking' ? block.id : undefined}
      data-maintenance={block.kind === 'maintenance' ? block.maintenanceId : undefined}
      data-state={block.kind === 'busy' ? 'busy' : block.state}
      data-lot={block.kind === 'booking' && block.lot ? block.lot.id : undefined}
    >
      {used && to > from ? (
        <span
          class="used"
          aria-hidden="true"
          style={{
            left: `${((Math.max(used.start, from) - from) / (to - from)) * 100}%`,
            width: `${(Math.max(0, Math.min(used.end, to) - Math.max(used.start, from)) / (to - from)) * 100}%`,
          }}
        />
      ) : null}
      {px >= labelMinPx || props.tabbable || props.open ? (
        <span class="label" aria-hidden="true">
          <span class="line1">{line1}</span>
          <span class="line2">{line2}</span>
        </span>
      ) : null}
    </button>
  );
}
