// My wait list (GET /api/wait-list?mine=true): requests waiting for freed time, and the offers made
// to them — a held slot with a deadline, accepted or declined here. Re-read every few seconds while
// open, so an offer shows without a reload.
import { isAbort, type AcceptedOffer, type WaitListEntryView } from './api.js';
import { h, mount } from './dom.js';
import { formatDateTime, formatDuration, formatRange, formatRelative } from './time.js';
import { busy, problemBox, toast, toolLabel, type AppContext } from './ui.js';

const refreshMs = 3_000;

const stateText: Record<WaitListEntryView['state'], string> = {
  waiting: 'waiting',
  offered: 'offer open',
  accepted: 'accepted',
  expired: 'window passed',
  withdrawn: 'left the list',
};

export function renderWaitList(root: HTMLElement, ctx: AppContext): () => void {
  const status = h('div', { class: 'status-line', 'aria-live': 'polite' }, 'Loading…');
  const host = h('div', { class: 'wait-list' });
  mount(
    root,
    h(
      'section',
      { class: 'wait-list-view' },
      h(
        'div',
        { class: 'toolbar' },
        h('h2', null, 'My wait list'),
        h('span', { class: 'spacer' }),
        h('a', { class: 'btn primary', href: '#/request' }, 'New request'),
      ),
      h(
        'p',
        { class: 'muted' },
        'When time comes free in your window, it is offered in turn: tenant priority, then who joined first, one open offer per tenant at a time. An offer holds the slot for you until its deadline.',
      ),
      status,
      host,
    ),
  );

  const controller = new AbortController();
  let timer: number | undefined;
  /** While a button is working, the list is not redrawn under it. */
  let acting = 0;
  const load = async () => {
    try {
      const { entries } = await ctx.api.get<{ entries: WaitListEntryView[] }>('/api/wait-list?mine=true&limit=200', {
        signal: controller.signal,
      });
      if (acting) return;
      const open = entries.filter((e) => e.state === 'waiting' || e.state === 'offered');
      mount(status, entries.length ? `${open.length} waiting · times in Hong Kong (UTC+8)` : 'Nothing on your wait list.');
      mount(host, entries.map((e) => entryCard(ctx, e, act)));
    } catch (err) {
      if (!isAbort(err)) mount(status, problemBox(err, ctx));
    } finally {
      if (!controller.signal.aborted) timer = window.setTimeout(() => void load(), refreshMs);
    }
  };
  const act = async (button: HTMLButtonElement, message: HTMLElement, path: string, done: (r: unknown) => string) => {
    acting += 1;
    try {
      await busy(button, async () => {
        mount(message);
        try {
          toast(done(await ctx.api.post<unknown>(path, {})));
        } catch (err) {
          mount(message, problemBox(err, ctx));
          throw err;
        }
      });
      acting -= 1;
      window.clearTimeout(timer);
      await load();
    } catch {
      acting -= 1;
    }
  };
  void load();
  return () => {
    controller.abort();
    window.clearTimeout(timer);
  };
}

type Act = (button: HTMLButtonElement, message: HTMLElement, path: string, done: (r: unknown) => string) => Promise<void>;

function entryCard(ctx: AppContext, e: WaitListEntryView, act: Act): HTMLElement {
  const message = h('div', { class: 'row-message' });
  const button = (label: string, path: string, done: (r: unknown) => string, cls = 'btn small') => {
    const b = h('button', { type: 'button', class: cls }, label);
    b.addEventListener('click', () => void act(b, message, `/api/wait-list/${e.id}/${path}`, done));
    return b;
  };
  const what = e.toolIds.length ? e.toolIds.map((id) => toolLabel(ctx, id)) : [e.toolTypeId ?? ''];
  const offer = e.offer;
  return h(
    'article',
    { class: `wait-entry state-${e.state}`, dataset: { entry: e.id, state: e.state } },
    h(
      'div',
      { class: 'wait-main' },
      h('strong', null, ...what),
      ` · ${formatDuration(e.durationMin)} within ${formatRange(Date.parse(e.earliestStart), Date.parse(e.latestEnd))}`,
      h('span', { class: `badge wait-${e.state}` }, stateText[e.state]),
      e.closeReason && e.state !== 'accepted' ? h('div', { class: 'muted small' }, e.closeReason) : null,
      e.state === 'accepted' && e.bookingId ? h('div', null, h('a', { href: `#/bookings?focus=${e.bookingId}` }, 'Your booking')) : null,
    ),
    offer
      ? h(
          'div',
          { class: 'offer', dataset: { offer: offer.id } },
          h('h3', null, 'Time came free for you'),
          h('p', null, h('strong', null, toolLabel(ctx, offer.toolId)), ` ${formatRange(Date.parse(offer.startsAt), Date.parse(offer.endsAt))}`),
          h(
            'p',
            { class: 'muted' },
            `Held for you until ${formatDateTime(Date.parse(offer.expiresAt))} (${formatRelative(Date.parse(offer.expiresAt), Date.now())}); then it goes to the next waiter.`,
          ),
          h(
            'div',
            { class: 'actions' },
            button(
              'Accept',
              'accept',
              (r) => ((r as AcceptedOffer).booking.state === 'held' ? 'Accepted: held for a lab manager’s approval' : 'Accepted: booking confirmed'),
              'btn small primary',
            ),
            button('Decline', 'decline', () => 'Declined: you stay on the wait list'),
          ),
        )
      : null,
    e.state === 'waiting' ? h('div', { class: 'actions' }, button('Leave the list', 'withdraw', () => 'You left the wait list')) : null,
    message,
  );
}
