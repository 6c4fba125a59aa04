import { stateLabels } from '../ui.js';

/** A booking's or lot's state as a coloured badge. */
export function StateBadge(props: { state: string }) {
  return <span class={`badge state-${props.state}`}>{stateLabels[props.state] ?? props.state.replaceAll('_', ' ')}</span>;
}
