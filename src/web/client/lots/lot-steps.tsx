// A lot route's steps as a table: each step's tool, slot, what was really used, its Q-time to the
// next step (kept or broken), and the run actions the state and the time allow.
import type { LotView } from '../api.js';
import { StateBadge } from '../components/state-badge.js';
import { chainOf } from '../board/lot-chain.js';
import { formatDateTime, formatDuration, formatRange, formatTime } from '../time.js';
import type { AppContext } from '../ui.js';
import { stepAction } from './step-action.js';

export function LotStepsTable(props: {
  ctx: AppContext;
  lot: LotView;
  now: number;
  /** The viewer may run the steps (the lot's tenant or staff). */
  canRun: boolean;
  working: boolean;
  onRun(verb: 'check-in' | 'check-out', seq: number): void;
}) {
  const { ctx, lot, now } = props;
  const links = new Map(chainOf(lot).map((l) => [l.fromSeq, l]));
  return (
    <table class="table lot-steps">
      <thead>
        <tr>
          <th>#</th>
          <th>Step</th>
          <th>Tool</th>
          <th>Slot</th>
          <th>State</th>
          <th>Used</th>
          <th>To the next step</th>
          {props.canRun ? <th>Run</th> : null}
        </tr>
      </thead>
      <tbody>
        {lot.steps.map((s) => {
          const b = s.booking;
          const link = links.get(s.seq);
          const action = props.canRun ? stepAction(lot, s, now) : null;
          return (
            <tr key={s.seq} class="lot-step" data-seq={s.seq} data-state={b?.state ?? 'none'}>
              <td>{s.seq}</td>
              <td>{s.name}</td>
              <td>{b ? (ctx.toolsById.get(b.toolId)?.name ?? b.toolId) : s.toolTypeId}</td>
              <td class="when">{b ? formatRange(Date.parse(b.startsAt), Date.parse(b.endsAt)) : '—'}</td>
              <td>{b ? <StateBadge state={b.state} /> : null}</td>
              <td class="used">
                {b?.checkedInAt ? `${formatTime(Date.parse(b.checkedInAt))}–${b.checkedOutAt ? formatTime(Date.parse(b.checkedOutAt)) : 'now'}` : ''}
              </td>
              <td class={link && !link.kept ? 'qtime broken' : 'qtime'}>
                {s.maxLagToNextMin !== null ? `within ${formatDuration(s.maxLagToNextMin)}` : ''}
                {link?.limitMin !== null && link ? ` · ${link.kept ? 'kept' : 'broken'}` : ''}
              </td>
              {props.canRun ? (
                <td class="row-actions">
                  {action?.verb === 'check-in' || action?.verb === 'check-out' ? (
                    <button type="button" class="btn small primary" disabled={props.working} onClick={() => props.onRun(action.verb, s.seq)}>
                      {action.verb === 'check-in' ? 'Check in' : 'Check out'}
                    </button>
                  ) : action?.verb === 'wait' ? (
                    <span class="muted small">Check-in opens {formatDateTime(action.opensAt)}</span>
                  ) : null}
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
