// The round API's shapes as the browser sees them (types only: nothing of the server is bundled).
import type { RoundProposal } from '../../../domain/round-proposal.js';
import type { RoundRequestView, RoundView } from '../../../domain/round.js';

export type { RoundProposal, RoundRequestView, RoundView };

export interface RoundReview {
  round: RoundView;
  proposal: RoundProposal;
  requests: RoundRequestView[];
}

export type { ViewProps } from '../app/views.js';

export const classNames: Record<string, string> = {
  institute: 'Institute',
  university: 'Universities',
  industry: 'Industry',
};

export const hours = (minutes: number) => `${(minutes / 60).toFixed(minutes % 60 === 0 ? 0 : 1)} h`;
export const pct = (value: number) => `${value.toFixed(1)} %`;
