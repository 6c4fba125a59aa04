// The unread count in the top bar: read on sign-in, every minute, on each view change, and set by
// the inbox whenever it marks something read.
import { signal } from '@preact/signals';
import type { InboxCount } from '../../../domain/inbox.js';
import type { ApiClient } from '../api.js';

export const unreadCount = signal(0);

export function refreshUnread(api: ApiClient): void {
  api.get<InboxCount>('/api/inbox/count').then(
    (r) => (unreadCount.value = r.unread),
    () => undefined,
  );
}
