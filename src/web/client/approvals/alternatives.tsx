// The slots a held booking's requester could have instead (GET /api/approvals/:id/alternatives): a
// lab manager picks one to offer in the rejection reason rather than a plain no.
import { useState } from 'preact/hooks';
import type { Preview, SlotOption } from '../api.js';
import { ProblemBox } from '../components/problem-box.js';
import { formatRange } from '../time.js';
import type { AppContext } from '../ui.js';

export function offerText(ctx: AppContext, option: SlotOption): string {
  const tool = ctx.toolsById.get(option.toolId)?.name ?? option.toolId;
  return `This slot cannot be approved. ${tool}, ${formatRange(Date.parse(option.startsAt), Date.parse(option.endsAt))} is free: please request that instead.`;
}

export function Alternatives(props: { ctx: AppContext; bookingId: string; onOffer(text: string): void }) {
  const { ctx } = props;
  const [answer, setAnswer] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const load = async () => {
    setLoading(true);
    setProblem(null);
    try {
      setAnswer(await ctx.api.get<Preview>(`/api/approvals/${props.bookingId}/alternatives`));
    } catch (err) {
      setProblem(err);
    } finally {
      setLoading(false);
    }
  };
  if (!answer) {
    return (
      <div class="approval-alternatives">
        <button type="button" class={`btn small${loading ? ' is-busy' : ''}`} disabled={loading} onClick={() => void load()}>
          Find alternatives
        </button>
        {problem ? <ProblemBox problem={problem} ctx={ctx} /> : null}
      </div>
    );
  }
  const options = answer.kind === 'options' ? answer.options : [];
  return (
    <div class="approval-alternatives">
      {options.length ? (
        <ul aria-label="Alternatives the requester could have">
          {options.map((o) => (
            <li key={`${o.toolId}-${o.startsAt}`} data-tool={o.toolId} data-start={o.startsAt}>
              <span>
                {ctx.toolsById.get(o.toolId)?.name ?? o.toolId} · {formatRange(Date.parse(o.startsAt), Date.parse(o.endsAt))}
                {o.approvalRequired ? ' (needs approval)' : ''}
              </span>{' '}
              <button type="button" class="btn small subtle-dark" onClick={() => props.onOffer(offerText(ctx, o))}>
                Offer in the reason
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No other slot fits this request in the days around it.</p>
      )}
    </div>
  );
}
