// The request form: every edit asks POST /api/placements/preview (debounced) for ranked slots or
// the reasons none fits; "Book" sends POST /api/bookings with an idempotency key.
import {
  ApiProblem,
  isAbort,
  type PlacedBooking,
  type Preview,
  type ProjectView,
  type SlotOption,
  type ToolView,
  type WaitListEntryView,
} from './api.js';
import { bookedCard, capabilities, optionList, unplaced } from './answers.js';
import { debounce, h, mount } from './dom.js';
import { dayMs, fromLocalInput, hourMs, toIsoHkt, toLocalInput } from './time.js';
import {
  areaName,
  busy,
  compareAreas,
  field,
  problemBox,
  showFieldErrors,
  toast,
  type AppContext,
} from './ui.js';

const materials = ['SiC', 'GaN', 'GaN-on-Si', 'Si'];
const waferSizes = [100, 150, 200];
const contaminationGroups: Array<[string, string]> = [
  ['cmos-clean', 'CMOS-clean'],
  ['standard', 'Standard'],
  ['au-metal', 'Au-contaminated'],
];
const retryDelaysMs = [400, 1500];

interface Form {
  toolTypeId: string;
  toolId: string;
  durationMin: number;
  earliestStart: number | undefined;
  latestEnd: number | undefined;
  material: string;
  waferSize: number;
  contaminationGroup: string;
  purpose: string;
  /** Batch tools: the recipe (a planned run of it is joined) and the wafers loaded. */
  recipe: string;
  waferCount: number;
}

/** One submission and its idempotency key: a retry of the same submission reuses the key. */
interface Submission {
  key: string;
  requestId: string;
}
let pending: Submission | undefined;

/** The form's values survive switching views. */
let remembered: Partial<Form> = {};

export function renderRequest(root: HTMLElement, ctx: AppContext, params: URLSearchParams): () => void {
  const types = toolTypes(ctx.tools);
  const now = Date.now();
  const nextHour = Math.ceil(now / hourMs) * hourMs + hourMs;
  const initial: Form = {
    toolTypeId: params.get('type') ?? remembered.toolTypeId ?? types[0]?.id ?? '',
    toolId: remembered.toolId ?? '',
    durationMin: remembered.durationMin ?? 60,
    earliestStart:
      remembered.earliestStart && remembered.earliestStart > now ? remembered.earliestStart : nextHour,
    latestEnd:
      remembered.latestEnd && remembered.latestEnd > now ? remembered.latestEnd : nextHour + 2 * dayMs,
    material: remembered.material ?? 'SiC',
    waferSize: remembered.waferSize ?? 150,
    contaminationGroup: remembered.contaminationGroup ?? 'standard',
    purpose: remembered.purpose ?? '',
    recipe: remembered.recipe ?? '',
    waferCount: remembered.waferCount ?? 1,
  };

  const typeSelect = h(
    'select',
    { name: 'toolTypeId', required: true },
    groupBy(types, (t) => t.area)
      .sort(([a], [b]) => compareAreas(a, b))
      .map(([area, list]) =>
        h(
          'optgroup',
          { label: areaName(area) },
          list.map((t) => h('option', { value: t.id, selected: t.id === initial.toolTypeId }, t.name)),
        ),
      ),
  );
  const toolSelect = h('select', { name: 'toolId' });
  const typeHint = h('small', { class: 'hint' });
  const durationInput = h('input', {
    name: 'durationMin',
    type: 'number',
    min: '0.25',
    step: '0.25',
    value: String(initial.durationMin / 60),
    required: true,
  });
  const earliestInput = h('input', {
    name: 'earliestStart',
    type: 'datetime-local',
    value: toLocalInput(initial.earliestStart!),
    required: true,
  });
  const latestInput = h('input', {
    name: 'latestEnd',
    type: 'datetime-local',
    value: toLocalInput(initial.latestEnd!),
    required: true,
  });
  const materialSelect = h(
    'select',
    { name: 'material' },
    materials.map((m) => h('option', { value: m, selected: m === initial.material }, m)),
  );
  const waferSelect = h(
    'select',
    { name: 'waferSize' },
    waferSizes.map((s) => h('option', { value: String(s), selected: s === initial.waferSize }, `${s} mm`)),
  );
  const contaminationSelect = h(
    'select',
    { name: 'contaminationGroup' },
    contaminationGroups.map(([value, label]) =>
      h('option', { value, selected: value === initial.contaminationGroup }, label),
    ),
  );
  const purposeInput = h('input', {
    name: 'purpose',
    type: 'text',
    maxlength: '500',
    placeholder: 'e.g. p-GaN activation, lot 24-117',
    value: initial.purpose,
  });
  const recipeInput = h('input', {
    name: 'recipe',
    type: 'text',
    maxlength: '100',
    placeholder: 'furnaces: e.g. activation-1700C-30min',
    value: initial.recipe,
  });
  const wafersInput = h('input', { name: 'waferCount', type: 'number', min: '1', max: '200', value: String(initial.waferCount) });
  // Filled once the caller's projects are known; shown only to people who belong to one.
  const projectSelect = h('select', { name: 'projectId' });
  const projectField = field('projectId', 'Charged to project', projectSelect);
  projectField.hidden = true;
  const bookBest = h('button', { type: 'submit', class: 'btn primary' }, 'Book best slot');
  const previewHost = h('div', { class: 'preview', 'aria-live': 'polite' });
  const resultHost = h('div', { class: 'result' });

  const form = h(
    'form',
    { class: 'request-form', novalidate: true },
    h('h2', null, 'Request tool time'),
    field('toolTypeId', 'Tool type', typeSelect, typeHint),
    field('toolIds', 'Tool', toolSelect),
    h(
      'div',
      { class: 'row' },
      field('durationMin', 'Duration (hours)', durationInput),
      field('material', 'Material', materialSelect),
    ),
    h(
      'div',
      { class: 'row' },
      field('earliestStart', 'Earliest start (HKT)', earliestInput),
      field('latestEnd', 'Latest end (HKT)', latestInput),
    ),
    h(
      'div',
      { class: 'row' },
      field('waferSize', 'Wafer size', waferSelect),
      field('contaminationGroup', 'Contamination', contaminationSelect),
    ),
    h(
      'div',
      { class: 'row' },
      field('recipe', 'Recipe (batch tools: joins a planned run of it)', recipeInput),
      field('waferCount', 'Wafers', wafersInput),
    ),
    field('purpose', 'Purpose (optional)', purposeInput),
    projectField,
    h('div', { class: 'actions' }, bookBest),
    resultHost,
  );

  mount(
    root,
    h(
      'section',
      { class: 'request' },
      form,
      h('div', { class: 'alternatives' }, h('h2', null, 'Alternatives'), previewHost),
    ),
  );

  const fillTools = () => {
    const tools = ctx.tools.filter((t) => t.type.id === typeSelect.value);
    const keep = toolSelect.value || initial.toolId;
    mount(
      toolSelect,
      h(
        'option',
        { value: '' },
        `Any ${types.find((t) => t.id === typeSelect.value)?.name ?? 'tool'} (${tools.length})`,
      ),
      tools.map((t) =>
        h(
          'option',
          { value: t.id, selected: t.id === keep },
          `${t.id} — ${t.name}${t.status === 'up' ? '' : ` (${t.status})`}`,
        ),
      ),
    );
    if (!tools.some((t) => t.id === toolSelect.value)) toolSelect.value = '';
    mount(typeHint, capabilities(tools));
  };

  const read = (): Form => ({
    toolTypeId: typeSelect.value,
    toolId: toolSelect.value,
    durationMin: Math.round(Number(durationInput.value) * 60),
    earliestStart: fromLocalInput(earliestInput.value),
    latestEnd: fromLocalInput(latestInput.value),
    material: materialSelect.value,
    waferSize: Number(waferSelect.value),
    contaminationGroup: contaminationSelect.value,
    purpose: purposeInput.value.trim(),
    recipe: recipeInput.value.trim(),
    waferCount: Math.max(1, Math.round(Number(wafersInput.value) || 1)),
  });

  /** The wish as the API takes it; a bad date stays a string so the server names the field. */
  const wishOf = (f: Form) => ({
    ...(f.toolId ? { toolIds: [f.toolId] } : { toolTypeId: f.toolTypeId }),
    durationMin: f.durationMin,
    earliestStart: f.earliestStart === undefined ? '' : toIsoHkt(f.earliestStart),
    latestEnd: f.latestEnd === undefined ? '' : toIsoHkt(f.latestEnd),
    material: f.material,
    waferSize: f.waferSize,
    contaminationGroup: f.contaminationGroup,
    ...(f.recipe ? { recipe: f.recipe, waferCount: f.waferCount } : {}),
  });

  let controller: AbortController | undefined;
  const preview = async () => {
    const f = read();
    remembered = f;
    controller?.abort();
    controller = new AbortController();
    previewHost.classList.add('loading');
    try {
      const answer = await ctx.api.post<Preview>(
        '/api/placements/preview',
        { ...wishOf(f), maxOptions: 6 },
        { signal: controller.signal },
      );
      showFieldErrors(form, undefined);
      mount(
        previewHost,
        answer.kind === 'options'
          ? optionList(ctx, f.durationMin, answer.options, book)
          : [unplaced(ctx, answer.explanation), joinOffer()],
      );
    } catch (err) {
      if (isAbort(err)) return;
      showFieldErrors(form, err instanceof ApiProblem ? err : undefined);
      mount(previewHost, problemBox(err, ctx));
    } finally {
      previewHost.classList.remove('loading');
    }
  };
  const previewSoon = debounce(() => void preview(), 250);

  /** Nothing fits: the same request may wait for freed time instead. */
  function joinOffer(): HTMLElement {
    const button = h('button', { type: 'button', class: 'btn primary small' }, 'Join the wait list');
    button.addEventListener('click', () => void joinWaitList(button));
    return h(
      'div',
      { class: 'join-wait-list' },
      h('p', { class: 'muted' }, 'Wait for this window: if time comes free, it is offered to you in turn, held until you answer.'),
      button,
    );
  }

  async function joinWaitList(button: HTMLButtonElement) {
    const f = read();
    const body = { requestId: crypto.randomUUID(), ...wishOf(f), ...(f.purpose ? { purpose: f.purpose } : {}) };
    await busy(button, async () => {
      try {
        const entry = await ctx.api.post<WaitListEntryView>('/api/wait-list', body);
        showFieldErrors(form, undefined);
        mount(
          resultHost,
          h(
            'div',
            { class: 'booked waiting', dataset: { entry: entry.id } },
            h('h3', null, entry.offer ? 'Time is free for you now' : 'On the wait list'),
            h('p', null, 'We will offer you freed time in this window; you answer on your wait list.'),
            h('p', null, h('a', { href: '#/wait-list' }, 'My wait list')),
          ),
        );
        toast('On the wait list');
      } catch (err) {
        showFieldErrors(form, err instanceof ApiProblem ? err : undefined);
        mount(resultHost, problemBox(err, ctx));
      }
    });
  }

  async function book(button: HTMLButtonElement, option?: SlotOption) {
    const f = read();
    const wish = wishOf(f);
    const body = {
      ...wish,
      // A chosen option pins its tool and exact slot; otherwise the solver picks the best in the window.
      ...(option
        ? {
            toolIds: [option.toolId],
            toolTypeId: undefined,
            earliestStart: option.startsAt,
            latestEnd: option.endsAt,
          }
        : {}),
      ...(f.purpose ? { purpose: f.purpose } : {}),
      ...(projectSelect.value ? { projectId: projectSelect.value } : {}),
    };
    const key = JSON.stringify(body);
    if (pending?.key !== key) pending = { key, requestId: crypto.randomUUID() };
    const submission = pending;
    mount(resultHost, h('p', { class: 'muted' }, 'Booking…'));
    await busy(button, async () => {
      try {
        const placed = await postWithRetry(ctx, { requestId: submission.requestId, ...body });
        pending = undefined;
        showFieldErrors(form, undefined);
        mount(resultHost, bookedCard(ctx, placed));
        toast(placed.approvalRequired ? 'Booking held: waiting for a lab manager' : 'Booking confirmed');
        if (placed.approvalRequired) ctx.refreshApprovals();
        void preview();
      } catch (err) {
        // An answer the server gave settles this submission; without one, the next click retries it safely.
        if (!(err instanceof ApiProblem && err.uncertain)) pending = undefined;
        showFieldErrors(form, err instanceof ApiProblem ? err : undefined);
        mount(
          resultHost,
          problemBox(err, ctx),
          err instanceof ApiProblem && err.uncertain
            ? h(
                'p',
                { class: 'hint' },
                'It is not known whether this booking was made. Press Book again: the retry carries the same request id, so it never books twice.',
              )
            : null,
        );
      }
    });
  }

  form.addEventListener('input', previewSoon);
  form.addEventListener('change', (event) => {
    if (event.target === typeSelect) {
      toolSelect.value = '';
      fillTools();
    }
    previewSoon();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void book(bookBest);
  });

  fillTools();
  void preview();
  void ctx.api.get<{ projects: ProjectView[] }>('/api/projects?mine=true&active=true').then(
    ({ projects }) => {
      if (!projects.length) return;
      mount(
        projectSelect,
        projects.length > 1 ? h('option', { value: '' }, 'Choose a project…') : null,
        projects.map((p) => h('option', { value: p.id }, `${p.code} — ${p.name}`)),
      );
      projectField.hidden = false;
    },
    () => undefined,
  );
  return () => controller?.abort();
}

/** POST /api/bookings, retried with the same requestId while the answer is unknown (network, 5xx). */
async function postWithRetry(ctx: AppContext, body: Record<string, unknown>): Promise<PlacedBooking> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.api.post<PlacedBooking>('/api/bookings', body);
    } catch (err) {
      const delay = retryDelaysMs[attempt];
      if (!(err instanceof ApiProblem && err.uncertain) || delay === undefined) throw err;
      await new Promise((resolve) => window.setTimeout(resolve, delay));
    }
  }
}

function toolTypes(tools: ToolView[]): Array<{ id: string; name: string; area: string }> {
  const byId = new Map<string, { id: string; name: string; area: string }>();
  for (const t of tools) byId.set(t.type.id, t.type);
  return [...byId.values()].sort((a, b) => compareAreas(a.area, b.area) || a.name.localeCompare(b.name));
}

function groupBy<T>(items: T[], key: (item: T) => string): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.entries()];
}
