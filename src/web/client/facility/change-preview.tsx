// A change whose effect on existing bookings is shown before it is made: "Check" asks the API for a
// dry run, "Apply" makes it; either way the affected bookings are listed, never touched.
import { useState } from 'preact/hooks';
import type { AffectedListing } from '../api.js';
import { AffectedList } from '../components/affected-list.js';
import { Problem, useAction } from '../components/form.js';

export interface ChangeAnswer {
  applied: boolean;
  affected: AffectedListing;
}

export function CheckAndApply(props: { send(dryRun: boolean): Promise<ChangeAnswer>; onApplied(): void; label?: string; disabled?: boolean }) {
  const [answer, setAnswer] = useState<ChangeAnswer | null>(null);
  const action = useAction();
  const run = (dryRun: boolean) =>
    void action.run(async () => {
      const result = await props.send(dryRun);
      setAnswer(result);
      if (result.applied) props.onApplied();
    });
  return (
    <div class="check-apply">
      <span class="btn-group">
        <button type="button" class="btn small" disabled={action.working || props.disabled} onClick={() => run(true)}>
          Check what it affects
        </button>
        <button type="button" class="btn small primary" disabled={action.working || props.disabled} onClick={() => run(false)}>
          {props.label ?? 'Apply'}
        </button>
      </span>
      {answer ? (
        <div class="change-answer" data-applied={String(answer.applied)}>
          <p class="small">{answer.applied ? 'Applied for new requests. Existing bookings it affects (not changed):' : 'Not applied yet. It would affect:'}</p>
          <AffectedList listing={answer.affected} />
        </div>
      ) : null}
      <Problem problem={action.problem} />
    </div>
  );
}
