// Walking every page of the app in a browser test: the views a role may open (from the app's own
// view table, so a new page is covered without touching the tests), what axe-core finds on them,
// and what sticks out of a narrow viewport.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { Role } from '../../src/domain/roles.js';
import { settle, type ApiRequests } from '../../src/web/settle.js';
import { views, type ViewSpec } from '../../src/web/client/app/views.js';

/** The views a role may open, in the view table's order. */
export const viewsFor = (role: Role): readonly ViewSpec[] => views.filter((v) => v.allows(role));

/**
 * Opens `#/path?query`, waits for the shell to show that view (its title names it: a view the role
 * may not open falls back to the schedule, which fails here) and for its API calls to settle.
 */
export async function openView(page: Page, api: ApiRequests, view: ViewSpec, query = ''): Promise<void> {
  await page.evaluate((hash) => (window.location.hash = hash), `#/${view.path}${query ? `?${query}` : ''}`);
  await page.waitForFunction((title) => document.title === title, `${view.label} · Pilotline`);
  await settle(page, api);
}

/** In-app links that carry a query (`#/tenant?id=…`), by view path: pages reached from others. */
export async function linksWithQuery(page: Page): Promise<Map<string, string>> {
  const hrefs = await page.locator('a[href^="#/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const found = new Map<string, string>();
  for (const href of hrefs) {
    const [path = '', query = ''] = href.slice(2).split('?');
    if (query && !found.has(path)) found.set(path, query);
  }
  return found;
}

/**
 * The view's markup without its words: tags, classes, roles, ARIA attribute names, input types, and
 * whether an element has text. Two pages alike in this (the same page as a lab manager and as an
 * admin) are alike to axe, so a walk over every role checks it once.
 */
export async function viewShape(page: Page): Promise<string> {
  return page.locator('#view').evaluate((root) =>
    [root, ...root.querySelectorAll('*')]
      .map((el) => {
        const aria = el.getAttributeNames().filter((n) => n.startsWith('aria-') || n === 'role' || n === 'type' || n === 'title' || n === 'for' || n === 'href');
        const text = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
        return `${el.tagName}.${el.className}[${aria.map((n) => (n === 'role' || n === 'type' ? `${n}=${el.getAttribute(n)}` : n)).join(',')}]${text ? '+' : ''}`;
      })
      .join(' '),
  );
}

/** axe-core's serious and critical violations on the page, one line each with where they are. */
export async function seriousViolations(page: Page, within?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  const { violations } = await (within ? builder.include(within) : builder).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}${v.nodes.length > 4 ? ` (+${v.nodes.length - 4} more)` : ''}`);
}

/**
 * How the page is wider than the viewport, if it is: the page's width and the outermost elements
 * reaching past the right edge (inside a box that scrolls on its own is fine), for the message.
 */
export async function horizontalOverflow(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const pageWidth = document.scrollingElement!.scrollWidth;
    if (pageWidth <= width) return null;
    const clipsX = (el: Element) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
    const culprits: string[] = [];
    const walk = (el: Element) => {
      const box = el.getBoundingClientRect();
      if (box.right > width + 0.5 && box.width > 0) {
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')}`;
        culprits.push(`${name} (${Math.round(box.left)}–${Math.round(box.right)} px)`);
        return;
      }
      if (!clipsX(el)) for (const child of el.children) walk(child);
    };
    for (const child of document.body.children) walk(child);
    return `page ${pageWidth} px wide in a ${width} px viewport; past the edge: ${culprits.slice(0, 6).join(', ')}`;
  });
}

/**
 * Visible buttons and links of the view that start or end left or right of the viewport, unless a
 * box that scrolls on its own holds them (a wide table does); they could not be reached.
 */
export async function controlsOutOfReach(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const scrollsX = (el: Element | null): boolean => {
      for (let at = el?.parentElement; at && at !== document.body; at = at.parentElement) {
        if (['auto', 'scroll'].includes(getComputedStyle(at).overflowX)) return true;
      }
      return false;
    };
    const out: string[] = [];
    for (const el of document.querySelectorAll('button, a.btn, input[type=submit]')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if ((box.left < -0.5 || box.right > width + 0.5) && !scrollsX(el)) out.push(`${el.textContent?.trim() || el.getAttribute('aria-label')} (${Math.round(box.left)}–${Math.round(box.right)} px)`);
    }
    return out;
  });
}
