// The README's pictures by name: which view, as whom, at what size. `npx tsx src/web/screenshot.ts
// --shot NAME` takes one (several --shot, several pictures; none, every one). A new screen's picture
// is a new entry here.
import type { Page } from 'playwright-core';

export interface ShotContext {
  /** The picture's "now" and its day (YYYY-MM-DD, Hong Kong). */
  now: number;
  day: string;
  /** The lot route placed from a seed template for the picture. */
  lotId: string;
}

export interface Shot {
  /** The seeded person signed in (the lab manager unless said). */
  as?: string;
  /** What follows `#/`: the view and its query. */
  view: (at: ShotContext) => string;
  viewport: { width: number; height: number };
  /** Shown once the view has loaded (its API calls are also waited for). */
  ready?: string;
  /** Steps before the picture (open the menu, a drawer). */
  prepare?: (page: Page) => Promise<void>;
  /** The file in the output folder; `<name>.png` unless said. */
  file?: string;
}

const desktop = { width: 1400, height: 800 };
const phone = { width: 390, height: 844 };

export const shots: Record<string, Shot> = {
  schedule: { view: ({ day }) => `schedule?view=7d&from=${day}`, viewport: desktop, ready: '.gantt .tool-row' },
  approvals: { view: () => 'approvals', viewport: desktop, ready: '.approval-card' },
  lot: { view: ({ lotId }) => `schedule?lot=${lotId}`, viewport: desktop, ready: 'svg.lot-chain .chain-link' },
  // A lab manager's phone: the requests waiting, with their buttons in reach; and the menu.
  phone: { view: () => 'approvals', viewport: phone },
  'phone-menu': {
    view: ({ day }) => `schedule?view=7d&from=${day}`,
    viewport: phone,
    ready: '.gantt .tool-row',
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.locator('#site-menu').waitFor();
    },
  },
};
