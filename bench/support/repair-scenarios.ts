import type { Hotspot, RepairWindow } from '../../src/solver/index.js';
import { DEFAULT_START, weekIndexOf, weekStartOf } from '../../src/solver/index.js';

// The maintenance scenarios of bench:repair, all on one generated 40-tool line with a year of history.
// Each busy period is a hotspot on its own tool type, so the scenarios do not disturb one another
// (every tool's history comes from its own random stream).

export const HISTORY_DAYS = 365;
const DAY = 1_440;
const HOUR = 60;

export const NOW = DEFAULT_START + HISTORY_DAYS * DAY;

/** The first Friday 09:00 (Hong Kong) at least two days ahead. */
const friday = (() => {
  let at = weekStartOf(weekIndexOf(NOW)) + 4 * DAY + 9 * HOUR;
  if (at < NOW + 2 * DAY) at += 7 * DAY;
  return at;
})();
/** The Tuesday 08:00 after that Friday. */
const tuesday = friday + 4 * DAY - HOUR;

export interface RepairScenario {
  readonly name: string;
  readonly what: string;
  readonly window: RepairWindow;
  readonly hotspot?: Hotspot;
}

export const SCENARIOS: readonly RepairScenario[] = [
  {
    name: 'implanter-pm',
    what: 'a 48 h PM on the only high-temperature implanter, the line bottleneck, on a week of short dense bookings',
    window: {
      id: 'pm-implanter',
      toolIds: ['IMPL-1'],
      start: friday,
      end: friday + 2 * DAY,
      reason: 'planned',
    },
    hotspot: {
      toolType: 'ht-implanter',
      from: friday - 2 * HOUR,
      to: friday + 2 * DAY,
      utilisation: 0.95,
      durationMinutes: [15, 20],
    },
  },
  {
    name: 'pecvd-pm',
    what: 'a 48 h PM on PECVD-1 of two equivalent, equally busy PECVD tools: 20 min seasoning on material changes, 15 min buffer',
    window: {
      id: 'pm-pecvd',
      toolIds: ['PECVD-1'],
      start: tuesday,
      end: tuesday + 2 * DAY,
      reason: 'planned',
    },
    hotspot: {
      toolType: 'pecvd',
      from: tuesday - DAY,
      to: tuesday + 3 * DAY,
      utilisation: 0.9,
      durationMinutes: [30, 60],
    },
  },
  {
    name: 'mocvd-outage-week',
    what: 'a week-long breakdown of MOCVD-1 from now, both reactors busy: 4–10 h runs, 24 h notice, 1 h bake after each',
    window: { id: 'outage-mocvd', toolIds: ['MOCVD-1'], start: NOW, end: NOW + 7 * DAY, reason: 'outage' },
    hotspot: {
      toolType: 'gan-mocvd',
      from: NOW - DAY,
      to: NOW + 9 * DAY,
      utilisation: 0.85,
      durationMinutes: [240, 600],
    },
  },
  {
    name: 'anneal-furnace-pm',
    what: 'a 48 h PM on the 1700 °C activation anneal furnace (a batch tool, the only one): 2–6 h runs, 1 h buffer',
    window: {
      id: 'pm-anneal',
      toolIds: ['ANNEAL-1'],
      start: tuesday,
      end: tuesday + 2 * DAY,
      reason: 'planned',
    },
    hotspot: {
      toolType: 'activation-furnace',
      from: tuesday - DAY,
      to: tuesday + 3 * DAY,
      utilisation: 0.85,
      durationMinutes: [120, 360],
    },
  },
];
