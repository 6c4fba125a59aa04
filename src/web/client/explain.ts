// Why no slot fits, in words a lab user reads: one sentence per reason the solver gave.
import type { Explanation } from './api.js';
import { formatDateTime, formatDuration, formatRange } from './time.js';

type Reason = Explanation[number]['reasons'][number];
type Interval = { start: string; end: string };

const contamination: Record<string, string> = {
  'cmos-clean': 'CMOS-clean',
  standard: 'standard',
  'au-metal': 'gold-contaminated (Au)',
};

const at = (iso: unknown) => (typeof iso === 'string' ? formatDateTime(Date.parse(iso)) : '?');
const minutes = (n: unknown) => (typeof n === 'number' ? formatDuration(n) : '?');
const intervals = (list: unknown, max = 3): string => {
  const all = Array.isArray(list) ? (list as Interval[]) : [];
  const shown = all.slice(0, max).map((i) => formatRange(Date.parse(i.start), Date.parse(i.end)));
  return shown.join('; ') + (all.length > max ? ` and ${all.length - max} more` : '');
};

export function reasonInWords(reason: Reason): string {
  const r = reason as Record<string, unknown>;
  switch (reason.code) {
    case 'NOT_QUALIFIED':
      return 'You are not qualified on this tool.';
    case 'QUALIFICATION_EXPIRED':
      return `Your qualification expires ${at(r.expiresAt)}; the booking must end before then.`;
    case 'INCOMPATIBLE_MATERIAL': {
      const accepted = (r.acceptedMaterials as string[] | undefined)?.join(', ') ?? '?';
      const lot = `${String(r.material)}, ${contamination[String(r.contaminationGroup)] ?? String(r.contaminationGroup)}`;
      return `Takes ${accepted} up to ${contamination[String(r.toolContaminationClass)] ?? String(r.toolContaminationClass)} wafers; your lot is ${lot}.`;
    }
    case 'WAFER_SIZE':
      return `Takes ${(r.acceptedWaferSizes as number[] | undefined)?.join(' / ') ?? '?'} mm wafers, not ${String(r.waferSize)} mm.`;
    case 'TOOL_DOWN': {
      const windows = intervals(r.maintenance);
      if (r.status && r.status !== 'up')
        return `The tool is ${String(r.status)}${windows ? `; maintenance ${windows}` : ''}.`;
      return `Maintenance blocks ${windows || 'the window'}.`;
    }
    case 'FULLY_BOOKED':
      return `Fully booked in your window (busy ${intervals(r.busy) || 'throughout'}).`;
    case 'QUOTA_EXCEEDED': {
      const weeks =
        (r.weeks as Array<{ weekStart: string; usedHours: number; allowedHours: number }> | undefined) ?? [];
      const week = weeks
        .slice(0, 2)
        .map(
          (w) =>
            `week of ${at(w.weekStart).replace(/ \d\d:\d\d$/, '')}: ${w.usedHours} h of ${w.allowedHours} h used`,
        )
        .join('; ');
      return `Your tenant's weekly quota on ${String(r.toolType)} would be exceeded by ${String(r.requestedHours)} h more (${week}).`;
    }
    case 'OUTSIDE_POLICY':
      switch (r.rule) {
        case 'MIN_DURATION':
          return `The shortest booking is ${minutes(r.limitMinutes)}; you asked for ${minutes(r.requestedMinutes)}.`;
        case 'MAX_DURATION':
          return `The longest booking is ${minutes(r.limitMinutes)}; you asked for ${minutes(r.requestedMinutes)}.`;
        case 'MIN_NOTICE':
          return `Needs ${minutes(r.limitMinutes)} notice: the earliest start is ${at(r.boundary)}.`;
        case 'MAX_ADVANCE':
          return `Bookable at most ${minutes(r.limitMinutes)} ahead: the latest start is ${at(r.boundary)}.`;
        case 'REQUEST_WINDOW':
          return `Your window (${minutes(r.requestedMinutes)}) is shorter than the duration (${minutes(r.limitMinutes)}).`;
        default:
          return `Outside the booking policy (${String(r.rule)}).`;
      }
    case 'UNKNOWN_TOOL':
      return 'No such tool.';
    default:
      return `Blocked: ${String(r.code)}.`;
  }
}
