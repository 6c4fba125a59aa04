// "Submit to a round": a request for tool time in the week of an open round, on one of its tool
// types; the round allocates it with everyone else's at its deadline.
import type { ComponentChildren } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { ApiProblem } from '../api.js';
import { ProblemBox } from '../components/problem-box.js';
import { formatDateTime, fromLocalInput, toIsoHkt, toLocalInput } from '../time.js';
import { showFieldErrors, toast, type AppContext } from '../ui.js';
import type { RoundRequestView, RoundView } from './types.js';

export function SubmitToRound(props: {
  ctx: AppContext;
  rounds: RoundView[];
  onSubmitted: (request: RoundRequestView) => void;
}) {
  const { ctx } = props;
  const open = props.rounds.filter((r) => r.state === 'open' && Date.parse(r.closesAt) > Date.now());
  const [roundId, setRoundId] = useState(open[0]?.id ?? '');
  const round = open.find((r) => r.id === roundId) ?? open[0];
  if (!round) return <p class="muted">No round is taking requests now.</p>;
  return (
    <RoundForm
      key={round.id}
      ctx={ctx}
      round={round}
      open={open}
      onRound={setRoundId}
      onSubmitted={props.onSubmitted}
    />
  );
}

function RoundForm(props: {
  ctx: AppContext;
  round: RoundView;
  open: RoundView[];
  onRound: (id: string) => void;
  onSubmitted: (request: RoundRequestView) => void;
}) {
  const { ctx, round } = props;
  const weekStart = Date.parse(round.weekStart);
  const weekEnd = Date.parse(round.weekEnd);
  const [toolTypeId, setToolTypeId] = useState(round.toolTypeIds[0] ?? '');
  const tools = useMemo(() => ctx.tools.filter((t) => t.type.id === toolTypeId), [ctx.tools, toolTypeId]);
  const materials = [...new Set(tools.flatMap((t) => t.materials))];
  const sizes = [...new Set(tools.flatMap((t) => t.waferSizes))].sort((a, b) => a - b);
  const [durationH, setDurationH] = useState('8');
  const [earliest, setEarliest] = useState(toLocalInput(weekStart));
  const [latest, setLatest] = useState(toLocalInput(weekEnd));
  const [material, setMaterial] = useState('');
  const [waferSize, setWaferSize] = useState('');
  const [priority, setPriority] = useState('2');
  const [purpose, setPurpose] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [working, setWorking] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (working) return;
    setWorking(true);
    setProblem(null);
    const start = fromLocalInput(earliest);
    const end = fromLocalInput(latest);
    try {
      const made = await ctx.api.post<RoundRequestView>(`/api/rounds/${round.id}/requests`, {
        requestId: crypto.randomUUID(),
        toolTypeId,
        durationMin: Math.round(Number(durationH) * 60),
        earliestStart: start === undefined ? earliest : toIsoHkt(start),
        latestEnd: end === undefined ? latest : toIsoHkt(end),
        material: material || materials[0],
        waferSize: Number(waferSize || sizes[0]),
        priority: Number(priority),
        ...(purpose.trim() ? { purpose: purpose.trim() } : {}),
      });
      if (form.current) showFieldErrors(form.current, undefined);
      toast(`Submitted to the round for the week of ${round.id}`);
      props.onSubmitted(made);
    } catch (err) {
      if (form.current) showFieldErrors(form.current, err instanceof ApiProblem ? err : undefined);
      setProblem(err);
    } finally {
      setWorking(false);
    }
  };

  return (
    <form class="round-form request-form" ref={form} onSubmit={submit}>
      <p class="muted">
        Requests for the week of {round.id} on {round.toolTypeIds.join(', ')} are taken until{' '}
        {formatDateTime(Date.parse(round.closesAt))}; then the round allocates them together within the
        classes' shares, and a lab manager approves the whole schedule.
      </p>
      <div class="row">
        {props.open.length > 1 ? (
          <label class="field" data-field="round">
            <span class="label">Round</span>
            <select name="roundId" value={round.id} onChange={(e) => props.onRound(e.currentTarget.value)}>
              {props.open.map((r) => (
                <option key={r.id} value={r.id}>
                  Week of {r.id}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <Field name="toolTypeId" label="Tool type">
          <select name="toolTypeId" value={toolTypeId} onChange={(e) => setToolTypeId(e.currentTarget.value)}>
            {round.toolTypeIds.map((id) => (
              <option key={id} value={id}>
                {ctx.tools.find((t) => t.type.id === id)?.type.name ?? id}
              </option>
            ))}
          </select>
        </Field>
        <Field name="durationMin" label="Hours">
          <input
            name="durationH"
            type="number"
            min="0.25"
            step="0.25"
            value={durationH}
            onInput={(e) => setDurationH(e.currentTarget.value)}
          />
        </Field>
        <Field name="priority" label="Your priority">
          <select name="priority" value={priority} onChange={(e) => setPriority(e.currentTarget.value)}>
            <option value="3">High</option>
            <option value="2">Normal</option>
            <option value="1">Low</option>
          </select>
        </Field>
      </div>
      <div class="row">
        <Field name="earliestStart" label="Not before">
          <input
            name="earliestStart"
            type="datetime-local"
            value={earliest}
            onInput={(e) => setEarliest(e.currentTarget.value)}
          />
        </Field>
        <Field name="latestEnd" label="Done by">
          <input
            name="latestEnd"
            type="datetime-local"
            value={latest}
            onInput={(e) => setLatest(e.currentTarget.value)}
          />
        </Field>
        <Field name="material" label="Material">
          <select
            name="material"
            value={material || materials[0]}
            onChange={(e) => setMaterial(e.currentTarget.value)}
          >
            {materials.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </Field>
        <Field name="waferSize" label="Wafer">
          <select
            name="waferSize"
            value={waferSize || String(sizes[0] ?? '')}
            onChange={(e) => setWaferSize(e.currentTarget.value)}
          >
            {sizes.map((s) => (
              <option key={s} value={String(s)}>
                {s} mm
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field name="purpose" label="Purpose (optional)">
        <input
          name="purpose"
          type="text"
          maxLength={500}
          value={purpose}
          onInput={(e) => setPurpose(e.currentTarget.value)}
        />
      </Field>
      <div class="actions">
        <button type="submit" class="btn primary" disabled={working}>
          Submit to round
        </button>
      </div>
      {problem ? <ProblemBox problem={problem} ctx={ctx} /> : null}
    </form>
  );
}

/** A labelled control with the slot `showFieldErrors` fills. */
function Field(props: { name: string; label: string; children: ComponentChildren }) {
  return (
    <label class="field" data-field={props.name}>
      <span class="label">{props.label}</span>
      {props.children}
      <span class="field-error" />
    </label>
  );
}
