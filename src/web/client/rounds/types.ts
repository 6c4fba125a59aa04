// The round API's shapes as the browser sees them (types only: nothing of the server is bundled).
import type { RoundProposal } from '../../../domain/round-proposal.js';
import type { RoundRequestView, RoundView } from '../../../domain/round.js';
import type { AppContext } from '../ui.js';

export type { RoundProposal, RoundRequestView, RoundView };

export interface RoundReview {
  round: RoundView;
  proposal: RoundProposal;
  requests: RoundRequestView[];
}

// The props every view gets (the same shape as app/views.ts's; declared here: no import cycle).
export interface ViewProps {
  ctx: AppContext;
  params: URLSearchParams;
}

export const classNames: Record<string, string> = {
  institute: 'Institute',
  university: 'Universities',
  industry: 'Industry',
};

export const hours = (minutes: number) => `${(minutes / 60).toFixed(minutes % 60 === 0 ? 0 : 1)} h`;
export const pct = (value: number) => `${value.toFixed(1)} %`;
