// "API tokens": personal tokens for scripts — made here, shown once, listed with their last use,
// revoked at once. An administrator may list everyone's and revoke any.
import { useEffect, useState } from 'preact/hooks';
import type { ApiTokenView, CreatedToken } from './api.js';
import { ProblemBox } from './components/problem-box.js';
import { dayMs, formatDateTime } from './time.js';
import { toast, type AppContext } from './ui.js';

const lifetimes = [
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: 'one year' },
  { days: 0, label: 'until revoked' },
];

export function TokensView({ ctx }: { ctx: AppContext }) {
  const isAdmin = ctx.me.role === 'admin';
  const [everyone, setEveryone] = useState(false);
  const [tokens, setTokens] = useState<ApiTokenView[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);

  const reload = () =>
    ctx.api.get<{ tokens: ApiTokenView[] }>(`/api/tokens${everyone ? '?all=true' : ''}`).then(
      (r) => setTokens(r.tokens),
      setProblem,
    );
  useEffect(() => void reload(), [ctx, everyone]);

  const revoke = async (token: ApiTokenView) => {
    setProblem(null);
    try {
      await ctx.api.post(`/api/tokens/${token.id}/revoke`);
      toast(`Token “${token.name}” revoked`);
      await reload();
    } catch (err) {
      setProblem(err);
    }
  };

  return (
    <div class="account-page">
      <h2>API tokens</h2>
      <p class="muted">
        For scripts and notebooks: send one as <code>Authorization: Bearer …</code>. A token acts as you; revoke it when it is no
        longer needed.
      </p>
      <NewToken
        ctx={ctx}
        onCreated={(token) => {
          setCreated(token);
          void reload();
        }}
      />
      {created ? (
        <div class="card account-card new-secret" role="status">
          <strong>Token “{created.token.name}” made. Copy it now: it is not shown again.</strong>
          <input class="secret" readOnly value={created.secret} onFocus={(e) => e.currentTarget.select()} aria-label="New token" />
          <button type="button" class="btn small" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      ) : null}
      {isAdmin ? (
        <label class="check">
          <input type="checkbox" checked={everyone} onChange={(e) => setEveryone(e.currentTarget.checked)} /> Everyone’s tokens
        </label>
      ) : null}
      {problem ? <ProblemBox problem={problem} /> : null}
      {tokens === null ? (
        <p class="muted">Loading…</p>
      ) : tokens.length === 0 ? (
        <p class="muted empty">No tokens yet.</p>
      ) : (
        <table class="table tokens">
          <thead>
            <tr>
              {everyone ? <th>Person</th> : null}
              <th>Name</th>
              <th>State</th>
              <th>Made</th>
              <th>Expires</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} data-token={t.id} data-state={t.state}>
                {everyone ? <td>{t.userName}</td> : null}
                <td class="token-name">{t.name}</td>
                <td>
                  <span class={`badge token-${t.state}`}>{t.state}</span>
                </td>
                <td>{formatDateTime(Date.parse(t.createdAt))}</td>
                <td>{t.expiresAt ? formatDateTime(Date.parse(t.expiresAt)) : 'never'}</td>
                <td class="last-used">{t.lastUsedAt ? formatDateTime(Date.parse(t.lastUsedAt)) : 'never'}</td>
                <td class="row-actions">
                  {t.state === 'revoked' ? null : (
                    <button type="button" class="btn small danger" onClick={() => void revoke(t)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function NewToken({ ctx, onCreated }: { ctx: AppContext } & { onCreated(token: CreatedToken): void }) {
  const [name, setName] = useState('');
  const [days, setDays] = useState(90);
  const [problem, setProblem] = useState<unknown>(null);
  const [working, setWorking] = useState(false);
  const create = async (event: Event) => {
    event.preventDefault();
    setWorking(true);
    setProblem(null);
    try {
      const expiresAt = days ? new Date(Date.now() + days * dayMs).toISOString() : undefined;
      onCreated(await ctx.api.post<CreatedToken>('/api/tokens', { name: name.trim(), ...(expiresAt ? { expiresAt } : {}) }));
      setName('');
    } catch (err) {
      setProblem(err);
    } finally {
      setWorking(false);
    }
  };
  return (
    <form class="card account-card new-token" onSubmit={create}>
      <label class="field grow" data-field="name">
        <span class="label">Name (what uses it)</span>
        <input name="name" required maxLength={100} placeholder="e.g. utilisation notebook" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label class="field" data-field="expiresAt">
        <span class="label">Valid for</span>
        <select name="lifetime" value={String(days)} onChange={(e) => setDays(Number(e.currentTarget.value))}>
          {lifetimes.map((l) => (
            <option key={l.days} value={String(l.days)}>
              {l.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class={`btn primary${working ? ' is-busy' : ''}`} disabled={working}>
        Make token
      </button>
      {problem ? <ProblemBox problem={problem} /> : null}
    </form>
  );
}
