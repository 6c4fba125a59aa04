// The audit log: who changed what, when; newest first, filtered, a page at a time.
import { useState } from 'preact/hooks';
import type { AuditEntry } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { Problem, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { formatDateTime } from '../time.js';

const entityTypes = ['', 'booking', 'lot', 'maintenance', 'qualification', 'training_request', 'user', 'tenant', 'project', 'tool', 'tool_type', 'policy', 'setup_rule', 'rate'];

export function AuditView(props: ViewProps) {
  const { api } = props.ctx;
  const [entityType, setEntityType] = useState(props.params.get('entityType') ?? '');
  const [actorId, setActorId] = useState('');
  const [before, setBefore] = useState<string[]>([]);
  const query = new URLSearchParams({
    ...(entityType ? { entityType } : {}),
    ...(actorId.trim() ? { actorId: actorId.trim() } : {}),
    ...(before.length ? { before: before.at(-1)! } : {}),
    limit: '50',
  }).toString();
  const page = useLoad((signal) => api.get<{ entries: AuditEntry[]; next: string | null }>(`/api/audit?${query}`, { signal }), [query]);
  return (
    <section class="audit">
      <h2>Audit log</h2>
      <div class="toolbar">
        <select aria-label="What changed" value={entityType} onChange={(e) => { setEntityType(valueOf(e)); setBefore([]); }}>
          {entityTypes.map((t) => (
            <option key={t} value={t}>
              {t || 'everything'}
            </option>
          ))}
        </select>
        <input aria-label="Who" placeholder="Who (user id)" value={actorId} onInput={(e) => { setActorId(valueOf(e)); setBefore([]); }} />
      </div>
      <Problem problem={page.problem} />
      <table class="table audit-list">
        <thead>
          <tr>
            <th>When (HKT)</th>
            <th>Who</th>
            <th>What</th>
            <th>Of</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {(page.data?.entries ?? []).map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td>{formatDateTime(Date.parse(e.at))}</td>
              <td>
                {e.actorId ?? 'system'} <span class="muted">{e.actorRole ?? ''}</span>
              </td>
              <td>{e.action}</td>
              <td>
                {e.entityType} <code>{e.entityId.length > 24 ? `${e.entityId.slice(0, 8)}…` : e.entityId}</code>
              </td>
              <td class="small">
                <code>{JSON.stringify(e.data).slice(0, 200)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions">
        {before.length ? (
          <button type="button" class="btn small" onClick={() => setBefore(before.slice(0, -1))}>
            Newer
          </button>
        ) : null}
        {page.data?.next ? (
          <button type="button" class="btn small" onClick={() => setBefore([...before, page.data!.next!])}>
            Older
          </button>
        ) : null}
      </div>
    </section>
  );
}
