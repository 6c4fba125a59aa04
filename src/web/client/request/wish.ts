// The request form's values, where they start (the person's own materials and qualified tools, the
// type's rules), and the wish as the API takes it.
import type { BookingOptions } from '../../../domain/booking-options.js';
import { ApiProblem, type PlacedBooking } from '../api.js';
import { dayMs, hourMs, toIsoHkt } from '../time.js';
import type { AppContext } from '../ui.js';

export type ToolTypeOption = BookingOptions['toolTypes'][number];

export const materials = ['SiC', 'GaN', 'GaN-on-Si', 'Si'];
export const waferSizes = [100, 150, 200];
export const contaminationGroups: Array<[string, string]> = [
  ['cmos-clean', 'CMOS-clean'],
  ['standard', 'Standard'],
  ['au-metal', 'Au-contaminated'],
];

export interface Form {
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
  projectId: string;
}

/** What the tools of a type take, over all of them. */
export function accepts(type: ToolTypeOption | undefined) {
  const tools = type?.tools ?? [];
  return {
    materials: [...new Set(tools.flatMap((t) => t.materials))],
    waferSizes: [...new Set(tools.flatMap((t) => t.waferSizes))].sort((a, b) => a - b),
  };
}

/** The form on a (new) type: what does not fit the type's tools or rules moves to what does. */
export function fitToType(form: Form, type: ToolTypeOption | undefined, recent: BookingOptions['recent']): Form {
  const taken = accepts(type);
  const pick = <T>(current: T, wanted: T | undefined, allowed: readonly T[]): T =>
    allowed.includes(current) ? current : wanted !== undefined && allowed.includes(wanted) ? wanted : (allowed[0] ?? current);
  const policy = type?.policy;
  const duration = policy ? Math.min(policy.maxDurationMin, Math.max(policy.minDurationMin, form.durationMin)) : form.durationMin;
  return {
    ...form,
    toolTypeId: type?.id ?? form.toolTypeId,
    toolId: type?.tools.some((t) => t.id === form.toolId) ? form.toolId : '',
    material: pick(form.material, recent?.material, taken.materials),
    waferSize: pick(form.waferSize, recent?.waferSize, taken.waferSizes),
    durationMin: duration,
  };
}

/** Where the form starts: the type asked for, else what the person booked last, else their first qualified type. */
export function initialForm(options: BookingOptions, asked: string | null, remembered: Partial<Form>, now: number): Form {
  const types = options.toolTypes;
  const recent = options.recent;
  const qualified = types.filter((t) => t.qualified);
  const type =
    types.find((t) => t.id === asked) ??
    types.find((t) => t.id === remembered.toolTypeId) ??
    qualified.find((t) => t.id === recent?.toolTypeId) ??
    qualified[0] ??
    types[0];
  const nextHour = Math.ceil(now / hourMs) * hourMs + hourMs;
  const start = remembered.earliestStart && remembered.earliestStart > now ? remembered.earliestStart : nextHour;
  const base: Form = {
    toolTypeId: type?.id ?? '',
    toolId: remembered.toolId ?? '',
    durationMin: remembered.durationMin ?? Math.max(type?.policy?.minDurationMin ?? 60, 60),
    earliestStart: start,
    latestEnd: remembered.latestEnd && remembered.latestEnd > start ? remembered.latestEnd : start + 2 * dayMs,
    material: remembered.material ?? recent?.material ?? '',
    waferSize: remembered.waferSize ?? recent?.waferSize ?? 150,
    contaminationGroup: remembered.contaminationGroup ?? recent?.contaminationGroup ?? 'standard',
    purpose: remembered.purpose ?? '',
    recipe: remembered.recipe ?? '',
    waferCount: remembered.waferCount ?? 1,
    projectId: remembered.projectId ?? '',
  };
  return fitToType(base, type, recent);
}

/** The wish as the API takes it; a bad date stays a string so the server names the field. */
export function wishOf(f: Form) {
  return {
    ...(f.toolId ? { toolIds: [f.toolId] } : { toolTypeId: f.toolTypeId }),
    durationMin: f.durationMin,
    earliestStart: f.earliestStart === undefined ? '' : toIsoHkt(f.earliestStart),
    latestEnd: f.latestEnd === undefined ? '' : toIsoHkt(f.latestEnd),
    material: f.material,
    waferSize: f.waferSize,
    contaminationGroup: f.contaminationGroup,
    ...(f.recipe ? { recipe: f.recipe, waferCount: f.waferCount } : {}),
  };
}

const retryDelaysMs = [400, 1500];

/** POST /api/bookings, retried with the same requestId while the answer is unknown (network, 5xx). */
export async function postWithRetry(ctx: AppContext, body: Record<string, unknown>): Promise<PlacedBooking> {
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
