// "My profile": who I am here, my name (the e-mail address only for an administrator), my password.
import { useEffect, useState } from 'preact/hooks';
import type { Profile } from './api.js';
import { ProblemBox } from './components/problem-box.js';
import { formatDateTime } from './time.js';
import { roleLabels, toast, type AppContext } from './ui.js';

export function ProfileView({ ctx }: { ctx: AppContext }) {
  const [profile, setProfile] = useState<Profile | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    ctx.api.get<Profile>('/api/profile').then(setProfile, setProblem);
  }, [ctx]);
  if (!profile) return problem ? <ProblemBox problem={problem} /> : <p class="muted">Loading…</p>;
  return (
    <div class="account-page">
      <h2>My profile</h2>
      <Details ctx={ctx} profile={profile} onSaved={setProfile} />
      <Password ctx={ctx} hasPassword={profile.hasPassword} />
    </div>
  );
}

function Details({ ctx, profile, onSaved }: { ctx: AppContext } & { profile: Profile; onSaved(p: Profile): void }) {
  const [name, setName] = useState(profile.name);
  const [email, setEmail] = useState(profile.email);
  const [problem, setProblem] = useState<unknown>(null);
  const [working, setWorking] = useState(false);
  const isAdmin = profile.role === 'admin';
  const save = async (event: Event) => {
    event.preventDefault();
    setWorking(true);
    setProblem(null);
    try {
      const saved = await ctx.api.post<Profile>('/api/profile', { name, ...(isAdmin ? { email } : {}) });
      onSaved(saved);
      toast('Profile saved');
    } catch (err) {
      setProblem(err);
    } finally {
      setWorking(false);
    }
  };
  return (
    <form class="card account-card profile-details" onSubmit={save}>
      <label class="field" data-field="name">
        <span class="label">Name</span>
        <input name="name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label class="field" data-field="email">
        <span class="label">E-mail (you sign in with it)</span>
        <input
          name="email"
          type="email"
          required
          readOnly={!isAdmin}
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        {isAdmin ? null : <span class="hint">Only an administrator changes e-mail addresses.</span>}
      </label>
      <dl class="facts">
        <dt>Role</dt>
        <dd class="profile-role">{roleLabels[profile.role]}</dd>
        <dt>Tenant</dt>
        <dd>{profile.tenant.name}</dd>
        <dt>Signs in with</dt>
        <dd class="profile-methods">
          {[profile.hasPassword ? 'a password' : null, profile.oidcIssuer ? `the identity provider (${profile.oidcIssuer})` : null]
            .filter(Boolean)
            .join(' and ') || 'nothing yet'}
        </dd>
        <dt>Last sign-in</dt>
        <dd>{profile.lastSignInAt ? formatDateTime(Date.parse(profile.lastSignInAt)) : '—'}</dd>
      </dl>
      <div class="actions">
        <button type="submit" class={`btn primary${working ? ' is-busy' : ''}`} disabled={working}>
          Save
        </button>
      </div>
      {problem ? <ProblemBox problem={problem} /> : null}
    </form>
  );
}

function Password({ ctx, hasPassword }: { ctx: AppContext } & { hasPassword: boolean }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [working, setWorking] = useState(false);
  const change = async (event: Event) => {
    event.preventDefault();
    setWorking(true);
    setProblem(null);
    try {
      const answer = await ctx.api.post<{ endedSessions: number }>('/api/profile/password', {
        ...(hasPassword ? { currentPassword: current } : {}),
        newPassword: next,
      });
      setCurrent('');
      setNext('');
      toast(answer.endedSessions ? `Password changed; ${answer.endedSessions} other session(s) signed out` : 'Password changed');
    } catch (err) {
      setProblem(err);
    } finally {
      setWorking(false);
    }
  };
  return (
    <form class="card account-card profile-password" onSubmit={change}>
      <h3>{hasPassword ? 'Change your password' : 'Set a password'}</h3>
      {hasPassword ? (
        <label class="field" data-field="currentPassword">
          <span class="label">Current password</span>
          <input
            name="currentPassword"
            type="password"
            autocomplete="current-password"
            required
            value={current}
            onInput={(e) => setCurrent(e.currentTarget.value)}
          />
        </label>
      ) : null}
      <label class="field" data-field="newPassword">
        <span class="label">New password (at least 10 characters)</span>
        <input
          name="newPassword"
          type="password"
          autocomplete="new-password"
          required
          value={next}
          onInput={(e) => setNext(e.currentTarget.value)}
        />
      </label>
      <p class="hint">Your other browsers are signed out; this one stays signed in.</p>
      <div class="actions">
        <button type="submit" class={`btn${working ? ' is-busy' : ''}`} disabled={working}>
          Change password
        </button>
      </div>
      {problem ? <ProblemBox problem={problem} /> : null}
    </form>
  );
}
