// The request form: it starts from the person's own materials and qualified tools, shows the type's
// rules, quota left and qualification expiry, and asks POST /api/placements/preview (debounced) for
// several ranked starts per free gap on the tool's grid, or the reasons none fits; "Book" sends
// POST /api/bookings with an idempotency key.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { BookingOptions } from '../../../domain/booking-options.js';
import { ApiProblem, isAbort, type PlacedBooking, type Preview, type ProjectView, type SlotOption, type WaitListEntryView } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { ExplanationList } from '../components/explanation.js';
import { Field, Problem, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { fromLocalInput, toLocalInput } from '../time.js';
import { areaName, compareAreas, toast } from '../ui.js';
import { BookedCard, SlotOptions } from './slot-options.js';
import { TypeRules } from './type-rules.js';
import { accepts, contaminationGroups, fitToType, initialForm, materials, postWithRetry, waferSizes, wishOf, type Form } from './wish.js';

/** One submission and its idempotency key: a retry of the same submission reuses the key. */
let pending: { key: string; requestId: string } | undefined;
/** The form's values survive switching views. */
let remembered: Partial<Form> = {};

const startsPerGap = 4;
const maxOptions = 12;

export function RequestView(props: ViewProps) {
  const options = useLoad((signal) => props.ctx.api.get<BookingOptions>('/api/me/booking-options', { signal }), []);
  if (!options.data) return <section class="request">{options.problem ? <Problem problem={options.problem} /> : <p class="muted">Loading…</p>}</section>;
  return <RequestForm {...props} options={options.data} />;
}

type Result = { kind: 'booked'; placed: PlacedBooking } | { kind: 'waiting'; entry: WaitListEntryView } | { kind: 'problem'; problem: unknown } | { kind: 'booking' };

function RequestForm(props: ViewProps & { options: BookingOptions }) {
  const { ctx, options } = props;
  const [form, setForm] = useState<Form>(() => initialForm(options, props.params.get('type'), remembered, Date.now()));
  // The text of the hour and date inputs as typed: the form holds what they parse to.
  const [typed, setTyped] = useState(() => ({
    duration: String(form.durationMin / 60),
    earliestStart: toLocalInput(form.earliestStart!),
    latestEnd: toLocalInput(form.latestEnd!),
  }));
  const [preview, setPreview] = useState<{ answer?: Preview; problem?: unknown; loading: boolean }>({ loading: true });
  const [result, setResult] = useState<Result | undefined>();
  const [round, setRound] = useState(0);
  const projects = useLoad((signal) => ctx.api.get<{ projects: ProjectView[] }>('/api/projects?mine=true&active=true', { signal }), []);
  const types = useMemo(
    () => [...options.toolTypes].sort((a, b) => compareAreas(a.area, b.area) || a.name.localeCompare(b.name)),
    [options],
  );
  const type = types.find((t) => t.id === form.toolTypeId);
  const taken = accepts(type);
  remembered = form;

  const change = (next: Partial<Form>) => setForm({ ...form, ...next });
  const changeType = (id: string) => {
    const fitted = fitToType({ ...form, toolTypeId: id, toolId: '' }, types.find((t) => t.id === id), options.recent);
    setForm(fitted);
    setTyped({ ...typed, duration: String(fitted.durationMin / 60) });
  };

  useEffect(() => {
    const controller = new AbortController();
    setPreview((p) => ({ ...p, loading: true }));
    const timer = window.setTimeout(() => {
      ctx.api.post<Preview>('/api/placements/preview', { ...wishOf(form), maxOptions, startsPerGap }, { signal: controller.signal }).then(
        (answer) => setPreview({ answer, loading: false }),
        (problem: unknown) => {
          if (!isAbort(problem)) setPreview({ problem, loading: false });
        },
      );
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [JSON.stringify(wishOf(form)), round]);

  const fieldProblem = result?.kind === 'problem' ? result.problem : preview.problem;
  const projectList = projects.data?.projects ?? [];

  const book = (option?: SlotOption) => {
    const body = {
      ...wishOf(form),
      // A chosen option pins its tool and exact slot; otherwise the solver picks the best in the window.
      ...(option ? { toolIds: [option.toolId], toolTypeId: undefined, earliestStart: option.startsAt, latestEnd: option.endsAt } : {}),
      ...(form.purpose.trim() ? { purpose: form.purpose.trim() } : {}),
      ...(form.projectId || projectList.length === 1 ? { projectId: form.projectId || projectList[0]!.id } : {}),
    };
    const key = JSON.stringify(body);
    if (pending?.key !== key) pending = { key, requestId: crypto.randomUUID() };
    const submission = pending;
    setResult({ kind: 'booking' });
    postWithRetry(ctx, { requestId: submission.requestId, ...body }).then(
      (placed) => {
        pending = undefined;
        setResult({ kind: 'booked', placed });
        toast(placed.approvalRequired ? 'Booking held: waiting for a lab manager' : 'Booking confirmed');
        if (placed.approvalRequired) ctx.refreshApprovals();
        setRound((r) => r + 1);
      },
      (problem: unknown) => {
        // An answer the server gave settles this submission; without one, the next click retries it safely.
        if (!(problem instanceof ApiProblem && problem.uncertain)) pending = undefined;
        setResult({ kind: 'problem', problem });
      },
    );
  };

  const joinWaitList = () => {
    const body = { requestId: crypto.randomUUID(), ...wishOf(form), ...(form.purpose.trim() ? { purpose: form.purpose.trim() } : {}) };
    setResult({ kind: 'booking' });
    ctx.api.post<WaitListEntryView>('/api/wait-list', body).then(
      (entry) => {
        setResult({ kind: 'waiting', entry });
        toast('On the wait list');
      },
      (problem: unknown) => setResult({ kind: 'problem', problem }),
    );
  };

  const areas = [...new Set(types.map((t) => t.area))];
  return (
    <section class="request">
      <form
        class="request-form"
        novalidate
        onSubmit={(e) => {
          e.preventDefault();
          book();
        }}
      >
        <h2>Request tool time</h2>
        <Field name="toolTypeId" label="Tool type" problem={fieldProblem}>
          <select name="toolTypeId" required value={form.toolTypeId} onChange={(e) => changeType(valueOf(e))}>
            {areas.map((area) => (
              <optgroup key={area} label={areaName(area)}>
                {types
                  .filter((t) => t.area === area)
                  .map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                      {t.qualified ? '' : ' (not qualified)'}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </Field>
        <Field name="toolIds" label="Tool" problem={fieldProblem}>
          <select name="toolId" value={form.toolId} onChange={(e) => change({ toolId: valueOf(e) })}>
            <option value="">
              Any {type?.name ?? 'tool'} ({type?.tools.length ?? 0})
            </option>
            {(type?.tools ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.id} — {t.name}
                {t.status === 'up' ? '' : ` (${t.status})`}
                {t.qualified ? '' : ' (not qualified)'}
              </option>
            ))}
          </select>
        </Field>
        <div class="row">
          <Field name="durationMin" label="Duration (hours)" problem={fieldProblem}>
            <input
              name="durationMin"
              type="number"
              min="0.25"
              step="0.25"
              required
              value={typed.duration}
              onInput={(e) => {
                setTyped({ ...typed, duration: valueOf(e) });
                change({ durationMin: Math.round(Number(valueOf(e)) * 60) });
              }}
            />
          </Field>
          <Field name="material" label="Material" problem={fieldProblem}>
            <select name="material" value={form.material} onChange={(e) => change({ material: valueOf(e) })}>
              {materials.map((m) => (
                <option key={m} value={m}>
                  {m}
                  {taken.materials.includes(m) ? '' : ' (not taken here)'}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div class="row">
          <Field name="earliestStart" label="Earliest start (HKT)" problem={fieldProblem}>
            <input
              name="earliestStart"
              type="datetime-local"
              required
              value={typed.earliestStart}
              onInput={(e) => {
                setTyped({ ...typed, earliestStart: valueOf(e) });
                change({ earliestStart: fromLocalInput(valueOf(e)) });
              }}
            />
          </Field>
          <Field name="latestEnd" label="Latest end (HKT)" problem={fieldProblem}>
            <input
              name="latestEnd"
              type="datetime-local"
              required
              value={typed.latestEnd}
              onInput={(e) => {
                setTyped({ ...typed, latestEnd: valueOf(e) });
                change({ latestEnd: fromLocalInput(valueOf(e)) });
              }}
            />
          </Field>
        </div>
        <div class="row">
          <Field name="waferSize" label="Wafer size" problem={fieldProblem}>
            <select name="waferSize" value={String(form.waferSize)} onChange={(e) => change({ waferSize: Number(valueOf(e)) })}>
              {waferSizes.map((s) => (
                <option key={s} value={String(s)}>
                  {s} mm{taken.waferSizes.includes(s) ? '' : ' (not taken here)'}
                </option>
              ))}
            </select>
          </Field>
          <Field name="contaminationGroup" label="Contamination" problem={fieldProblem}>
            <select name="contaminationGroup" value={form.contaminationGroup} onChange={(e) => change({ contaminationGroup: valueOf(e) })}>
              {contaminationGroups.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div class="row">
          <Field name="recipe" label="Recipe (batch tools: joins a planned run of it)" problem={fieldProblem}>
            <input name="recipe" type="text" maxLength={100} placeholder="furnaces: e.g. activation-1700C-30min" value={form.recipe} onInput={(e) => change({ recipe: valueOf(e).trim() })} />
          </Field>
          <Field name="waferCount" label="Wafers" problem={fieldProblem}>
            <input
              name="waferCount"
              type="number"
              min="1"
              max="200"
              value={String(form.waferCount)}
              onInput={(e) => change({ waferCount: Math.max(1, Math.round(Number(valueOf(e)) || 1)) })}
            />
          </Field>
        </div>
        <Field name="purpose" label="Purpose (optional)" problem={fieldProblem}>
          <input name="purpose" type="text" maxLength={500} placeholder="e.g. p-GaN activation, lot 24-117" value={form.purpose} onInput={(e) => change({ purpose: valueOf(e) })} />
        </Field>
        {projectList.length ? (
          <Field name="projectId" label="Charged to project" problem={fieldProblem}>
            <select name="projectId" value={form.projectId} onChange={(e) => change({ projectId: valueOf(e) })}>
              {projectList.length > 1 ? <option value="">Choose a project…</option> : null}
              {projectList.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.code} — {p.name}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        <div class="actions">
          <button type="submit" class="btn primary" disabled={result?.kind === 'booking'}>
            Book best slot
          </button>
        </div>
        <div class="result">
          {result?.kind === 'booking' ? <p class="muted">Booking…</p> : null}
          {result?.kind === 'booked' ? <BookedCard tools={ctx.toolsById} placed={result.placed} /> : null}
          {result?.kind === 'waiting' ? (
            <div class="booked waiting" data-entry={result.entry.id}>
              <h3>{result.entry.offer ? 'Time is free for you now' : 'On the wait list'}</h3>
              <p>We will offer you freed time in this window; you answer on your wait list.</p>
              <p>
                <a href="#/wait-list">My wait list</a>
              </p>
            </div>
          ) : null}
          {result?.kind === 'problem' ? (
            <>
              <Problem problem={result.problem} />
              {result.problem instanceof ApiProblem && result.problem.uncertain ? (
                <p class="hint">It is not known whether this booking was made. Press Book again: the retry carries the same request id, so it never books twice.</p>
              ) : null}
            </>
          ) : null}
        </div>
      </form>
      <div class="alternatives">
        <TypeRules type={type} durationMin={form.durationMin} />
        <h2>Alternatives</h2>
        <div class={`preview${preview.loading ? ' loading' : ''}`} aria-live="polite">
          {preview.problem ? <Problem problem={preview.problem} /> : null}
          {preview.answer?.kind === 'options' ? (
            <SlotOptions tools={ctx.toolsById} durationMin={form.durationMin} options={preview.answer.options} booking={result?.kind === 'booking'} onBook={book} />
          ) : null}
          {preview.answer?.kind === 'unplaced' ? (
            <>
              <div class="unplaced">
                <p>
                  <strong>No slot fits this request.</strong> Why, tool by tool:
                </p>
                <ExplanationList tools={ctx.toolsById} explanation={preview.answer.explanation} />
              </div>
              <div class="join-wait-list">
                <p class="muted">Wait for this window: if time comes free, it is offered to you in turn, held until you answer.</p>
                <button type="button" class="btn primary small" disabled={result?.kind === 'booking'} onClick={joinWaitList}>
                  Join the wait list
                </button>
              </div>
            </>
          ) : null}
        </div>
      </div>
    </section>
  );
}
