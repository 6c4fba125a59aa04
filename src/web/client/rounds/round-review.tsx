// The lab manager's round review: pick a round; its proposal's fairness figures, every request with
// its slot or reason, the diff to the calendar; pin, drop and change the shares, run it again, and
// approve the proposal in review as a whole.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { isAbort } from '../api.js';
import { ProblemBox } from '../components/problem-box.js';
import { formatDateTime } from '../time.js';
import { toast } from '../ui.js';
import { ReviewDiff } from './review-diff.js';
import { ReviewFigures } from './review-figures.js';
import { ReviewRequests } from './review-requests.js';
import type { RoundReview, RoundView, ViewProps } from './types.js';
import { classNames } from './types.js';

const classes = ['institute', 'university', 'industry'] as const;

export function RoundReviewView({ ctx, params }: ViewProps) {
  const [rounds, setRounds] = useState<RoundView[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    const controller = new AbortController();
    ctx.api.get<{ rounds: RoundView[] }>('/api/rounds', { signal: controller.signal }).then(
      (r) => setRounds(r.rounds),
      (err: unknown) => !isAbort(err) && setProblem(err),
    );
    return () => controller.abort();
  }, [ctx]);
  const wanted = params.get('round');
  const chosen =
    rounds?.find((r) => r.id === wanted) ?? rounds?.find((r) => r.state === 'proposed') ?? rounds?.[0];
  return (
    <section class="round-review">
      <div class="toolbar">
        <h2>Round review</h2>
        {rounds && rounds.length > 0 ? (
          <select
            name="round"
            value={chosen?.id}
            onChange={(e) => ctx.go(`#/round-review?round=${e.currentTarget.value}`)}
          >
            {rounds.map((r) => (
              <option key={r.id} value={r.id}>
                Week of {r.id} · {r.state}
              </option>
            ))}
          </select>
        ) : null}
      </div>
      {problem ? <ProblemBox problem={problem} ctx={ctx} /> : null}
      {rounds === null ? (
        <div class="status-line">Loading…</div>
      ) : chosen ? (
        <RoundPanel key={chosen.id} ctx={ctx} round={chosen} />
      ) : (
        <p class="muted">No rounds yet.</p>
      )}
    </section>
  );
}

function RoundPanel(props: { ctx: ViewProps['ctx']; round: RoundView }) {
  const { ctx } = props;
  const [round, setRound] = useState(props.round);
  const [review, setReview] = useState<RoundReview | null>(null);
  const [pinned, setPinned] = useState<Set<string>>(new Set());
  const [dropped, setDropped] = useState<Set<string>>(new Set());
  const [shares, setShares] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [working, setWorking] = useState(false);

  const adopt = useCallback((next: RoundReview) => {
    setReview(next);
    setRound(next.round);
    setPinned(new Set(next.requests.filter((r) => r.pinned).map((r) => r.id)));
    setDropped(new Set(next.requests.filter((r) => r.dropped).map((r) => r.id)));
    setShares(Object.fromEntries(classes.map((c) => [c, String(next.round.shares[c])])));
  }, []);

  useEffect(() => {
    if (props.round.proposedAt === null) return;
    const controller = new AbortController();
    ctx.api
      .get<RoundReview>(`/api/rounds/${props.round.id}/proposal`, { signal: controller.signal })
      .then(adopt, (err: unknown) => !isAbort(err) && setProblem(err));
    return () => controller.abort();
  }, [ctx, props.round, adopt]);

  const act = async (work: () => Promise<void>) => {
    if (working) return;
    setWorking(true);
    setProblem(null);
    try {
      await work();
    } catch (err) {
      setProblem(err);
    } finally {
      setWorking(false);
    }
  };
  const rerun = () =>
    act(async () => {
      const body = {
        pinned: [...pinned],
        dropped: [...dropped],
        shares: Object.fromEntries(classes.map((c) => [c, Number(shares[c])])),
      };
      adopt(await ctx.api.post<RoundReview>(`/api/rounds/${round.id}/rerun`, body));
      toast('The round ran again');
    });
  const close = () =>
    act(async () => {
      const proposed = await ctx.api.post<RoundView>(`/api/rounds/${round.id}/close`, {});
      adopt(await ctx.api.get<RoundReview>(`/api/rounds/${proposed.id}/proposal`));
      toast('The round is closed and proposed');
    });
  const approve = () =>
    act(async () => {
      const published = await ctx.api.post<RoundView>(`/api/rounds/${round.id}/approve`, {
        revision: round.revision,
      });
      setRound(published);
      toast(`Round for the week of ${round.id} published`);
    });
  const mark = (id: string, which: 'pinned' | 'dropped', on: boolean) => {
    const [set, setter] = which === 'pinned' ? [pinned, setPinned] : [dropped, setDropped];
    const next = new Set(set);
    if (on) next.add(id);
    else next.delete(id);
    setter(next);
  };
  const editable = round.state === 'proposed';
  const total = classes.reduce((sum, c) => sum + Number(shares[c] ?? 0), 0);

  return (
    <div class="round-panel" data-round={round.id} data-state={round.state}>
      <p class="round-head">
        <span class={`badge rstate-${round.state}`}>{round.state}</span> Week of {round.id} ·{' '}
        {round.toolTypeIds.join(', ')} · requests until {formatDateTime(Date.parse(round.closesAt))} · approve
        by {formatDateTime(Date.parse(round.approvalDeadline))}
        {round.revision > 0 ? <> · proposal {round.revision}</> : null}
      </p>
      {problem ? <ProblemBox problem={problem} ctx={ctx} /> : null}
      {!review ? (
        round.state === 'open' ? (
          <p class="muted">
            The round is taking requests; the solver proposes a schedule at its deadline.{' '}
            <button type="button" class="btn small" disabled={working} onClick={() => void close()}>
              Close now and propose
            </button>
          </p>
        ) : (
          <p class="muted">No proposal.</p>
        )
      ) : (
        <>
          <ReviewFigures proposal={review.proposal} />
          {editable ? (
            <form class="share-edit inline-form" onSubmit={(e) => (e.preventDefault(), void rerun())}>
              <span>Target shares:</span>
              {classes.map((c) => (
                <label key={c}>
                  {classNames[c]}{' '}
                  <input
                    class="narrow"
                    type="number"
                    name={`share-${c}`}
                    min="0"
                    max="100"
                    step="1"
                    value={shares[c]}
                    onInput={(e) => setShares({ ...shares, [c]: e.currentTarget.value })}
                  />{' '}
                  %
                </label>
              ))}
              <span class={Math.abs(total - 100) < 1e-6 ? 'muted' : 'field-error'}>total {total} %</span>
              <button type="submit" class="btn" disabled={working}>
                Re-run
              </button>
              <button type="button" class="btn primary" disabled={working} onClick={() => void approve()}>
                Approve proposal {round.revision}
              </button>
            </form>
          ) : null}
          <h3>Requests</h3>
          <ReviewRequests
            proposal={review.proposal}
            requests={review.requests}
            marks={{ pinned, dropped }}
            editable={editable}
            onMark={mark}
          />
          <h3>Against the calendar</h3>
          <ReviewDiff proposal={review.proposal} />
        </>
      )}
    </div>
  );
}
