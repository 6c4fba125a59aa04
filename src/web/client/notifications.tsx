// "E-mail & calendars": which e-mails a person gets (each kind on or off, at once or a daily
// digest), and their private calendar feeds — made here, the secret URL shown once, rotated, revoked.
import { useEffect, useState } from 'preact/hooks';
import type { CalendarFeedView } from '../../domain/calendar-feed.js';
import type { MailDelivery, MailPreferences } from '../../domain/notifications.js';
import { ProblemBox } from './components/problem-box.js';
import { formatDateTime } from './time.js';
import { toast, type AppContext } from './ui.js';

export function NotificationsView({ ctx }: { ctx: AppContext }) {
  return (
    <div class="notifications-page">
      <h2>E-mail and calendars</h2>
      <MailPreferencesForm ctx={ctx} />
      <CalendarFeeds ctx={ctx} />
    </div>
  );
}

function MailPreferencesForm({ ctx }: { ctx: AppContext }) {
  const [prefs, setPrefs] = useState<MailPreferences | null>(null);
  const [delivery, setDelivery] = useState<MailDelivery>('immediate');
  const [muted, setMuted] = useState<Set<string>>(new Set());
  const [problem, setProblem] = useState<unknown>(null);
  const [working, setWorking] = useState(false);

  const adopt = (p: MailPreferences) => {
    setPrefs(p);
    setDelivery(p.delivery);
    setMuted(new Set(p.events.filter((e) => !e.enabled).map((e) => e.kind)));
  };
  useEffect(() => void ctx.api.get<MailPreferences>('/api/me/mail-preferences').then(adopt, setProblem), [ctx]);

  const toggle = (kind: string, on: boolean) => {
    const next = new Set(muted);
    if (on) next.delete(kind);
    else next.add(kind);
    setMuted(next);
  };
  const save = async (event: Event) => {
    event.preventDefault();
    setWorking(true);
    setProblem(null);
    try {
      adopt(await ctx.api.post<MailPreferences>('/api/me/mail-preferences', { delivery, muted: [...muted] }));
      toast('E-mail preferences saved');
    } catch (err) {
      setProblem(err);
    } finally {
      setWorking(false);
    }
  };

  if (!prefs) return problem ? <ProblemBox problem={problem} /> : <p class="muted">Loading…</p>;
  return (
    <form class="card mail-preferences" onSubmit={save}>
      <h3>E-mail</h3>
      <p class="muted">
        Sent to <strong>{prefs.email}</strong>, with times in Hong Kong time and a link to what it is about.
      </p>
      <fieldset class="delivery">
        <legend>When</legend>
        <label class="check">
          <input type="radio" name="delivery" value="immediate" checked={delivery === 'immediate'} onChange={() => setDelivery('immediate')} /> At once, one
          e-mail per event
        </label>
        <label class="check">
          <input type="radio" name="delivery" value="digest" checked={delivery === 'digest'} onChange={() => setDelivery('digest')} /> One digest a day at{' '}
          {prefs.digestAt}
        </label>
      </fieldset>
      <fieldset class="events">
        <legend>Which</legend>
        {prefs.events.map((e) => (
          <label key={e.kind} class="check" data-kind={e.kind}>
            <input type="checkbox" name={e.kind} checked={!muted.has(e.kind)} onChange={(ev) => toggle(e.kind, ev.currentTarget.checked)} /> {e.label}
            {e.alwaysAtOnce ? <span class="muted"> (always at once)</span> : null}
          </label>
        ))}
      </fieldset>
      {problem ? <ProblemBox problem={problem} /> : null}
      <button type="submit" class={`btn primary${working ? ' is-busy' : ''}`} disabled={working}>
        Save
      </button>
    </form>
  );
}

interface Issued {
  feed: CalendarFeedView;
  url: string;
}

function CalendarFeeds({ ctx }: { ctx: AppContext }) {
  const [feeds, setFeeds] = useState<CalendarFeedView[] | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [toolId, setToolId] = useState(ctx.tools[0]?.id ?? '');
  const [problem, setProblem] = useState<unknown>(null);

  const reload = () => ctx.api.get<{ feeds: CalendarFeedView[] }>('/api/calendar-feeds').then((r) => setFeeds(r.feeds), setProblem);
  useEffect(() => void reload(), [ctx]);

  const act = async (work: () => Promise<Issued | CalendarFeedView>, said: string) => {
    setProblem(null);
    try {
      const answer = await work();
      if ('url' in answer) setIssued(answer);
      toast(said);
      await reload();
    } catch (err) {
      setProblem(err);
    }
  };
  const create = (body: object) => act(() => ctx.api.post<Issued>('/api/calendar-feeds', body), 'Calendar feed made');
  const toolName = (id: string | null) => (id ? (ctx.toolsById.get(id)?.name ?? id) : '');

  return (
    <section class="card calendar-feeds">
      <h3>Calendar feeds</h3>
      <p class="muted">
        Subscribe to these in Outlook, Google or Apple Calendar; they follow every change. Anyone with a feed’s address can read it: keep it private,
        and rotate or revoke it if it leaks.
      </p>
      <div class="toolbar">
        <button type="button" class="btn" onClick={() => void create({ scope: 'user' })}>
          Feed of my bookings
        </button>
        <select name="feedTool" aria-label="Tool" value={toolId} onChange={(e) => setToolId(e.currentTarget.value)}>
          {ctx.tools.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name} ({t.id})
            </option>
          ))}
        </select>
        <button type="button" class="btn" disabled={!toolId} onClick={() => void create({ scope: 'tool', toolId })}>
          Feed of this tool
        </button>
      </div>
      {issued ? (
        <div class="new-secret" role="status">
          <strong>Copy this address now: it is not shown again.</strong>
          <input class="secret feed-url" readOnly value={issued.url} onFocus={(e) => e.currentTarget.select()} aria-label="Feed address" />
          <button type="button" class="btn small" onClick={() => setIssued(null)}>
            Done
          </button>
        </div>
      ) : null}
      {problem ? <ProblemBox problem={problem} /> : null}
      {feeds === null ? (
        <p class="muted">Loading…</p>
      ) : feeds.length === 0 ? (
        <p class="muted empty">No feeds yet.</p>
      ) : (
        <table class="table feeds">
          <thead>
            <tr>
              <th>Feed</th>
              <th>Made</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {feeds.map((f) => (
              <tr key={f.id} data-feed={f.id} data-state={f.revokedAt ? 'revoked' : 'active'}>
                <td>{f.scope === 'user' ? 'My bookings' : toolName(f.toolId)}</td>
                <td>{formatDateTime(Date.parse(f.rotatedAt ?? f.createdAt))}</td>
                <td>{f.revokedAt ? 'revoked' : 'active'}</td>
                <td class="row-actions">
                  {f.revokedAt ? null : (
                    <>
                      <button type="button" class="btn small" onClick={() => void act(() => ctx.api.post<Issued>(`/api/calendar-feeds/${f.id}/rotate`), 'New address made; the old one no longer works')}>
                        New address
                      </button>
                      <button type="button" class="btn small danger" onClick={() => void act(() => ctx.api.post<CalendarFeedView>(`/api/calendar-feeds/${f.id}/revoke`), 'Feed revoked')}>
                        Revoke
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
