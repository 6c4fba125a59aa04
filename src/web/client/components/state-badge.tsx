import { stateLabels } from '../ui.js';

export function StateBadge(props: { state: string }) {
  return <span class={`badge state-${props.state}`}>{stateLabels[props.state] ?? props.state}</span>;
}
