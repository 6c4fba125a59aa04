// The tenant's rounds screen: submit to an open round, and my round requests with their outcomes.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { isAbort } from '../api.js';
import { ProblemBox } from '../components/problem-box.js';
import { MyRoundRequests } from './my-round-requests.js';
import { SubmitToRound } from './submit-to-round.js';
import type { RoundRequestView, RoundView, ViewProps } from './types.js';

export function RoundsView({ ctx }: ViewProps) {
  const [rounds, setRounds] = useState<RoundView[] | null>(null);
  const [requests, setRequests] = useState<RoundRequestView[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const load = useCallback(
    (signal?: AbortSignal) =>
      Promise.all([
        ctx.api.get<{ rounds: RoundView[] }>('/api/rounds', signal ? { signal } : {}),
        ctx.api.get<{ requests: RoundRequestView[] }>('/api/round-requests', signal ? { signal } : {}),
      ]).then(
        ([r, q]) => {
          setRounds(r.rounds);
          setRequests(q.requests);
        },
        (err: unknown) => {
          if (!isAbort(err)) setProblem(err);
        },
      ),
    [ctx],
  );
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  return (
    <section class="rounds">
      <div class="toolbar">
        <h2>Allocation rounds</h2>
      </div>
      {problem ? <ProblemBox problem={problem} ctx={ctx} /> : null}
      {rounds === null ? (
        <div class="status-line">Loading…</div>
      ) : (
        <>
          <h3>Submit to a round</h3>
          <SubmitToRound ctx={ctx} rounds={rounds} onSubmitted={() => void load()} />
          <h3>My round requests</h3>
          <MyRoundRequests ctx={ctx} rounds={rounds} requests={requests} onChanged={() => void load()} />
        </>
      )}
    </section>
  );
}
