// Small pieces every view shares: the app context, problem boxes, toasts, badges.
import { ApiProblem, type ApiClient, type Explanation, type Me, type Role, type ToolView } from './api.js';
import { h, type Child } from './dom.js';
import { reasonInWords } from './explain.js';

export interface AppContext {
  api: ApiClient;
  /** Who is signed in (GET /api/me). */
  me: Me;
  /** Staff see every tenant's bookings in full; a tenant user sees others' as busy. */
  seesAllTenants: boolean;
  /** Lab managers and admins: the approval queue. */
  canApprove: boolean;
  /** Ops and admins: the maintenance planner. */
  canMaintain: boolean;
  tools: ToolView[];
  toolsById: Map<string, ToolView>;
  /** Re-reads /api/tools (statuses change with maintenance). */
  reloadTools(): Promise<void>;
  /** Sets the location hash; the router renders the view. */
  go(hash: string): void;
  /** Re-reads the approval count for the nav badge. */
  refreshApprovals(): void;
}

export const roleLabels: Record<Role, string> = {
  tenant_user: 'Tenant user',
  lab_manager: 'Lab manager',
  ops: 'Ops',
  admin: 'Admin',
  tenant_manager: 'Tenant manager',
};

export const stateLabels: Record<string, string> = {
  requested: 'requested',
  held: 'held',
  confirmed: 'confirmed',
  in_use: 'in use',
  in_progress: 'in progress',
  completed: 'completed',
  rejected: 'rejected',
  cancelled: 'cancelled',
  expired: 'expired',
  no_show: 'no-show',
};

export function stateBadge(state: string): HTMLElement {
  return h('span', { class: `badge state-${state}` }, stateLabels[state] ?? state);
}

export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `status status-${status}`, title: `Tool status: ${status}` }, status);
}

const areaNames: Record<string, string> = {
  epitaxy: 'Epitaxy',
  implant: 'Implant & anneal',
  deposition: 'Oxidation & deposition',
  lithography: 'Lithography',
  etch: 'Etch',
  wet: 'Wet & back-end',
  metrology: 'Metrology & test',
};
const areaOrder = Object.keys(areaNames);

export const areaName = (area: string) => areaNames[area] ?? area.charAt(0).toUpperCase() + area.slice(1);

/** Process order (epitaxy first, metrology last); unknown areas after, alphabetically. */
export function compareAreas(a: string, b: string): number {
  const ia = areaOrder.indexOf(a);
  const ib = areaOrder.indexOf(b);
  if (ia !== ib) return (ia < 0 ? areaOrder.length : ia) - (ib < 0 ? areaOrder.length : ib);
  return a.localeCompare(b);
}

export function toolLabel(ctx: AppContext, toolId: string): Child {
  const tool = ctx.toolsById.get(toolId);
  return h('span', { class: 'tool-ref', title: tool ? `${tool.name} — ${tool.type.name}` : toolId }, toolId);
}

/** A problem+json answer, shown whole: title, detail, each field's issue, and an explanation if any. */
export function problemBox(err: unknown, ctx?: AppContext): HTMLElement {
  const problem =
    err instanceof ApiProblem
      ? err
      : new ApiProblem({
          status: 0,
          code: 'ERROR',
          title: 'Something went wrong',
          detail: String((err as Error)?.message ?? err),
        });
  const explanation = problem.details?.explanation as Explanation | undefined;
  return h(
    'div',
    { class: 'problem', role: 'alert', dataset: { code: problem.code } },
    h('strong', null, problemTitle(problem)),
    problem.detail ? h('span', { class: 'problem-detail' }, ` ${problem.detail}`) : null,
    problem.issues.length
      ? h(
          'ul',
          { class: 'issues' },
          problem.issues.map((i) => h('li', null, h('code', null, i.field), ` ${i.message}`)),
        )
      : null,
    explanation?.length && ctx ? explanationList(ctx, explanation) : null,
  );
}

const problemTitles: Record<string, string> = {
  TOOL_DOWN: 'The tool is down.',
  VALIDATION_FAILED: 'Please check the form.',
  UNAUTHENTICATED: 'Not signed in.',
  FORBIDDEN: 'Not allowed.',
  NOT_FOUND: 'Not found.',
  SLOT_TAKEN: 'That slot was just taken.',
  NO_FEASIBLE_SLOT: 'No slot fits.',
  INVALID_STATE: 'Not possible now.',
  NETWORK: 'No answer from the server.',
};

function problemTitle(problem: ApiProblem): string {
  return problemTitles[problem.code] ?? `${problem.title}${problem.status ? ` (${problem.status})` : ''}.`;
}

export function explanationList(ctx: AppContext, explanation: Explanation): HTMLElement {
  return h(
    'ul',
    { class: 'explanation' },
    explanation.map((tool) =>
      h(
        'li',
        { dataset: { tool: tool.toolId } },
        h('strong', null, toolLabel(ctx, tool.toolId)),
        h(
          'ul',
          null,
          tool.reasons.map((reason) => h('li', null, reasonInWords(reason))),
        ),
      ),
    ),
  );
}

/** A short message in the corner that goes away by itself. */
export function toast(message: string, kind: 'ok' | 'error' = 'ok'): void {
  let host = document.getElementById('toasts');
  if (!host) {
    host = h('div', { id: 'toasts', 'aria-live': 'polite' });
    document.body.append(host);
  }
  const item = h(
    'div',
    { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    message,
  );
  host.append(item);
  window.setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

/** Disables a button while `work` runs, so a double click sends one request. */
export async function busy<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  button.disabled = true;
  button.classList.add('is-busy');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.classList.remove('is-busy');
  }
}

/** A button that runs `work` once per click (disabled meanwhile) and shows a failure in `message`. */
export function actionButton(
  ctx: AppContext,
  label: string,
  cls: string,
  message: HTMLElement,
  work: () => Promise<void>,
): HTMLButtonElement {
  const button = h('button', { type: 'button', class: cls }, label);
  button.addEventListener(
    'click',
    () =>
      void busy(button, async () => {
        message.replaceChildren();
        try {
          await work();
        } catch (err) {
          message.replaceChildren(problemBox(err, ctx));
        }
      }),
  );
  return button;
}

/** A labelled control, the field's error shown under it (issues are matched by `name`). */
export function field(name: string, label: string, control: HTMLElement, hint?: Child): HTMLElement {
  return h(
    'label',
    { class: 'field', dataset: { field: name } },
    h('span', { class: 'label' }, label),
    control,
    hint ?? null,
    h('span', { class: 'field-error' }),
  );
}

/** Marks the fields a problem's issues name (`body.endsAt` → data-field="endsAt"); clears the rest. */
export function showFieldErrors(form: HTMLElement, problem: ApiProblem | undefined): void {
  for (const el of form.querySelectorAll<HTMLElement>('.field')) {
    const issue = problem?.issues.find(
      (i) => i.field.replace(/^body\./, '').split('.')[0] === el.dataset.field,
    );
    el.classList.toggle('invalid', Boolean(issue));
    const slot = el.querySelector('.field-error');
    if (slot) slot.textContent = issue?.message ?? '';
  }
}
