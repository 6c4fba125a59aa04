// Starting a lot from a route template (the line's process flows): pick the flow, name the lot, give
// the window it may run in; every step is placed and held together, or the answer says which step
// does not fit and why.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LotExplanation } from '../../../domain/lot.js';
import type { RouteTemplateView } from '../../../domain/route-template.js';
import { ApiProblem, type LotView } from '../api.js';
import { Field, useAction } from '../components/form.js';
import { ProblemBox } from '../components/problem-box.js';
import { useLoad } from '../components/use-load.js';
import { dayMs, formatDate, formatDuration, fromLocalInput, toIsoHkt, toLocalInput } from '../time.js';
import { explanationList, toast, type AppContext } from '../ui.js';

const quarterMs = 15 * 60_000;

/** The window a new lot gets by default: from the next quarter hour, a week or three times its work. */
function defaultWindow(template: RouteTemplateView, now: number): { from: number; to: number } {
  const from = Math.ceil(now / quarterMs) * quarterMs;
  return { from, to: from + Math.max(7 * dayMs, template.processMin * 3 * 60_000) };
}

export function StartLot(props: { ctx: AppContext; templateId: string | null }) {
  const { ctx } = props;
  const templates = useLoad<{ templates: RouteTemplateView[] }>((signal) => ctx.api.get('/api/route-templates', { signal }), []);
  const list = templates.data?.templates ?? [];
  const [templateId, setTemplateId] = useState(props.templateId ?? '');
  const template = list.find((t) => t.id === templateId) ?? list[0];
  const [name, setName] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const action = useAction();
  // A new template resets the fields it proposes.
  const shownFor = useRef<string | null>(null);
  useEffect(() => {
    if (!template || shownFor.current === template.id) return;
    shownFor.current = template.id;
    const window = defaultWindow(template, Date.now());
    setName(`${template.name} ${formatDate(window.from)}`);
    setFrom(toLocalInput(window.from));
    setTo(toLocalInput(window.to));
  }, [template?.id]);

  if (templates.problem) return <ProblemBox problem={templates.problem} ctx={ctx} />;
  if (!templates.data) return <p class="muted">Loading the route templates…</p>;
  if (!template) return <p class="muted">No route template is set up yet.</p>;
  const typeName = (id: string) => ctx.tools.find((t) => t.type.id === id)?.type.name ?? id;

  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const earliest = fromLocalInput(from);
      const latest = fromLocalInput(to);
      const answer = await ctx.api.post<{ lot: LotView; approvalRequired: boolean }>('/api/lots', {
        requestId: crypto.randomUUID(),
        name: name.trim(),
        material: template.material,
        waferSize: template.waferSize,
        contaminationGroup: template.contaminationGroup,
        earliestStart: earliest === undefined ? from : toIsoHkt(earliest),
        latestEnd: latest === undefined ? to : toIsoHkt(latest),
        steps: template.steps,
      });
      toast(`${answer.lot.name}: ${answer.lot.steps.length} steps ${answer.approvalRequired ? 'held, waiting for approval' : 'booked'}`);
      ctx.go(`#/lot?id=${answer.lot.id}`);
    });
  };
  const explanation = action.problem instanceof ApiProblem ? (action.problem.details?.explanation as LotExplanation | undefined) : undefined;

  return (
    <form class="start-lot card" onSubmit={submit} aria-labelledby="start-lot-title">
      <h3 id="start-lot-title">Start a lot from a route template</h3>
      <fieldset class="template-picker">
        <legend>Process flow</legend>
        {list.map((t) => (
          <label key={t.id} class={`template-option${t.id === template.id ? ' chosen' : ''}`} data-template={t.id}>
            <input type="radio" name="template" value={t.id} checked={t.id === template.id} onChange={() => setTemplateId(t.id)} />
            <span>
              <strong>{t.name}</strong> · {t.material} · {t.steps.length} steps · {formatDuration(t.processMin)} of work
              {t.description ? <span class="muted small"> — {t.description}</span> : null}
            </span>
          </label>
        ))}
      </fieldset>
      <table class="table template-steps">
        <caption class="muted small">The steps of {template.name}, in order</caption>
        <thead>
          <tr>
            <th>#</th>
            <th>Step</th>
            <th>Tool type</th>
            <th>Takes</th>
            <th>Next step</th>
          </tr>
        </thead>
        <tbody>
          {template.steps.map((s, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              <td>{s.name}</td>
              <td>{typeName(s.toolTypeId)}</td>
              <td>{formatDuration(s.durationMin)}</td>
              <td>
                {i + 1 === template.steps.length
                  ? '—'
                  : s.maxLagToNextMin !== undefined
                    ? `within ${formatDuration(s.maxLagToNextMin)} (Q-time)${s.minLagToNextMin ? `, not before ${formatDuration(s.minLagToNextMin)}` : ''}`
                    : s.minLagToNextMin
                      ? `after ${formatDuration(s.minLagToNextMin)}`
                      : 'any time after'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="form-row">
        <Field name="name" label="Lot name" problem={action.problem}>
          <input name="name" required maxLength={120} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field name="earliestStart" label="Earliest start" problem={action.problem}>
          <input name="earliestStart" type="datetime-local" required value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </Field>
        <Field name="latestEnd" label="Latest end" problem={action.problem}>
          <input name="latestEnd" type="datetime-local" required value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </Field>
      </div>
      <p class="hint">
        {template.material} wafers, {template.waferSize} mm, {template.contaminationGroup.replaceAll('-', ' ')}. Times in Hong Kong. Every step is placed within its Q-time and held together, or none is.
      </p>
      <button type="submit" class={`btn primary${action.working ? ' is-busy' : ''}`} disabled={action.working}>
        Place the lot
      </button>
      {action.problem ? <ProblemBox problem={action.problem} /> : null}
      {explanation?.length ? <LotExplanationList ctx={ctx} explanation={explanation} /> : null}
    </form>
  );
}

/** Why a route does not fit, step by step (each candidate tool's reasons, in the request form's words). */
function LotExplanationList(props: { ctx: AppContext; explanation: LotExplanation }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    host.current?.replaceChildren(
      ...props.explanation.map((step) => {
        const item = document.createElement('div');
        item.className = 'lot-explanation-step';
        const head = document.createElement('strong');
        head.textContent = `Step ${step.seq} · ${step.name}${step.detail ? `: ${step.detail}` : ''}`;
        item.append(head, explanationList(props.ctx, step.tools));
        return item;
      }),
    );
  }, [props.explanation]);
  return <div class="lot-explanation" ref={host} />;
}
