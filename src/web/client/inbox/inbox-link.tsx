// "Inbox" in the top bar with the unread count (polled once a minute and on every view change).
import { useEffect } from 'preact/hooks';
import type { ApiClient } from '../api.js';
import { refreshUnread, unreadCount } from './unread.js';

export function InboxLink(props: { api: ApiClient; active: boolean; here: string }) {
  useEffect(() => {
    const timer = window.setInterval(() => refreshUnread(props.api), 60_000);
    return () => window.clearInterval(timer);
  }, [props.api]);
  useEffect(() => refreshUnread(props.api), [props.api, props.here]);
  const unread = unreadCount.value;
  return (
    <a class={`inbox-link${props.active ? ' active' : ''}`} href="#/inbox" aria-label={unread ? `Inbox, ${unread} unread` : 'Inbox'}>
      Inbox
      <span class="count" hidden={unread === 0} data-unread={unread}>
        {String(unread)}
      </span>
    </a>
  );
}
