// Above the board when it follows a lot: the route's name and state, each Q-time limit and whether
// the placed route keeps it (the same facts the chain draws, in words), and its alerts.
import type { LotView } from '../api.js';
import { StateBadge } from '../components/state-badge.js';
import { formatDuration } from '../time.js';
import { chainOf } from './lot-chain.js';

export function LotBanner(props: { lot: LotView & { alerts: Array<{ detail: string }> }; allTools: boolean; toggleHref: string }) {
  const { lot } = props;
  const limits = chainOf(lot).filter((l) => l.limitMin !== null);
  return (
    <div class="lot-banner card" data-lot={lot.id}>
      <div class="lot-banner-head">
        <span class="lot-tag">Lot route</span>
        <strong>{lot.name}</strong>
        <StateBadge state={lot.state} />
        <a href={`#/lot?id=${lot.id}`}>Steps and actions</a>
        <a href={props.toggleHref}>{props.allTools ? 'Only this lot’s tools' : 'All tools'}</a>
      </div>
      {limits.length ? (
        <ul class="qtime-list">
          {limits.map((l) => (
            <li key={l.fromSeq} class={l.kept ? 'kept' : 'broken'}>
              Step {l.fromSeq} → {l.toSeq}: start within {formatDuration(l.limitMin ?? 0)} — {l.kept ? 'kept' : 'broken'}, {l.waitMin >= 0 ? `${formatDuration(l.waitMin)} between` : 'overlapping'}
            </li>
          ))}
        </ul>
      ) : null}
      {lot.alerts.map((a, i) => (
        <p key={i} class="problem" role="alert">
          {a.detail}
        </p>
      ))}
    </div>
  );
}
