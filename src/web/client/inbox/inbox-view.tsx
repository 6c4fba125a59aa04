// My notifications, newest first: the events my e-mails carry, in their words, each linking to what
// it is about; unread ones stand out until marked read (one, or all at once).
import { useState } from 'preact/hooks';
import type { InboxEntry, InboxPage } from '../../../domain/inbox.js';
import type { ViewProps } from '../app/view-props.js';
import { Problem, useAction } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { formatDateTime } from '../time.js';
import { unreadCount } from './unread.js';

export function InboxView(props: ViewProps) {
  const { api } = props.ctx;
  const cursor = props.params.get('cursor') ?? '';
  const onlyUnread = props.params.get('unread') === 'true';
  const page = useLoad(async (signal) => {
    const q = new URLSearchParams({ limit: '30' });
    if (cursor) q.set('cursor', cursor);
    if (onlyUnread) q.set('unread', 'true');
    const answer = await api.get<InboxPage>(`/api/inbox?${q}`, { signal });
    unreadCount.value = answer.unread;
    return answer;
  }, [cursor, onlyUnread]);
  const [read, setRead] = useState<ReadonlySet<string>>(new Set());
  const action = useAction();
  const markRead = (entry: InboxEntry) =>
    void action.run(async () => {
      const answer = await api.post<{ unread: number }>(`/api/inbox/${entry.id}/read`);
      unreadCount.value = answer.unread;
      setRead(new Set([...read, entry.id]));
    });
  const markAll = () =>
    void action.run(async () => {
      const answer = await api.post<{ unread: number }>('/api/inbox/read-all');
      unreadCount.value = answer.unread;
      setRead(new Set(page.data?.entries.map((e) => e.id)));
    });
  const entries = page.data?.entries ?? [];
  const here = (changes: { cursor?: string; unread?: boolean }) => {
    const q = new URLSearchParams();
    if (changes.cursor) q.set('cursor', changes.cursor);
    if (changes.unread ?? onlyUnread) q.set('unread', 'true');
    return `#/inbox${q.size ? `?${q}` : ''}`;
  };
  return (
    <section class="inbox">
      <div class="toolbar">
        <h2>Inbox</h2>
        <div class="btn-group" role="group" aria-label="Which notifications">
          <a class={`btn${onlyUnread ? '' : ' active'}`} href={here({ unread: false })}>
            All
          </a>
          <a class={`btn${onlyUnread ? ' active' : ''}`} href={here({ unread: true })}>
            Unread
          </a>
        </div>
        <span class="spacer" />
        <span class="muted">{unreadCount.value ? `${unreadCount.value} unread` : 'All read'}</span>
        <button type="button" class="btn" disabled={action.working || unreadCount.value === 0} onClick={markAll}>
          Mark all read
        </button>
      </div>
      <p class="muted small">The same notices your e-mails carry; which ones are mailed is set under E-mail &amp; calendars.</p>
      <Problem problem={page.problem ?? action.problem} />
      {page.data && !entries.length ? <p class="muted">Nothing here.</p> : null}
      <ol class="inbox-entries">
        {entries.map((e) => {
          const isRead = e.read || read.has(e.id);
          return (
            <li key={e.id} class={`inbox-entry${isRead ? '' : ' unread'}`} data-kind={e.kind} data-read={String(isRead)}>
              <div class="inbox-head">
                <strong class="subject">{e.subject}</strong>
                <time class="muted" dateTime={e.at}>
                  {formatDateTime(Date.parse(e.at))}
                </time>
              </div>
              {e.paragraphs.map((p, i) => (
                <p key={i}>{p}</p>
              ))}
              <div class="inbox-actions">
                <a href={e.link.href.replace(/^.*?#/, '#')} onClick={() => (isRead ? undefined : markRead(e))}>
                  {e.link.label}
                </a>
                {isRead ? null : (
                  <button type="button" class="btn small" disabled={action.working} onClick={() => markRead(e)}>
                    Mark read
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ol>
      <nav class="pager" aria-label="Pages">
        {cursor ? (
          <a class="btn" href={here({})}>
            ← Newest
          </a>
        ) : null}
        {page.data?.nextCursor ? (
          <a class="btn next-page" href={here({ cursor: page.data.nextCursor })}>
            Older →
          </a>
        ) : null}
      </nav>
    </section>
  );
}
