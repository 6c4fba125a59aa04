import { useState } from 'preact/hooks';
import { ApiProblem } from '../api.js';
import { ProblemBox } from '../components/problem-box.js';
import { location } from './router.js';
import { openSignInLink } from './session.js';

const minLength = 10;

/** A one-time sign-in link (#/welcome?token=…): the person sets their password and is signed in. */
export function Welcome() {
  const token = location.value.params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [working, setWorking] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (working) return;
    if (password !== again) {
      setProblem(new ApiProblem({ status: 0, code: 'VALIDATION_FAILED', detail: 'The two passwords differ.' }));
      return;
    }
    setWorking(true);
    setProblem(null);
    try {
      await openSignInLink(token, password);
      // The link is used up: keep it out of the history and the address bar.
      window.history.replaceState(null, '', '#/schedule');
      location.value = { path: 'schedule', params: new URLSearchParams() };
    } catch (err) {
      setProblem(err);
    } finally {
      setWorking(false);
    }
  };
  return (
    <main class="signin-page">
      <form class="signin card" onSubmit={submit}>
        <h1>
          <span class="logo" aria-hidden="true" />
          Welcome to Pilotline
        </h1>
        <p class="muted">Choose your password. This link works once; afterwards you sign in with your e-mail address and this password.</p>
        <label for="new-password">New password</label>
        <input
          id="new-password"
          type="password"
          autocomplete="new-password"
          required
          autoFocus
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <label for="new-password-again">The same again</label>
        <input
          id="new-password-again"
          type="password"
          autocomplete="new-password"
          required
          value={again}
          onInput={(e) => setAgain(e.currentTarget.value)}
        />
        <p class="hint">At least {minLength} characters; a few words you remember are better than a short code.</p>
        <button type="submit" class={`btn primary${working ? ' is-busy' : ''}`} disabled={working}>
          Set password and sign in
        </button>
        <p class="hint">
          <a href="#/sign-in">Already have a password? Sign in.</a>
        </p>
        <div>{problem ? <ProblemBox problem={problem} /> : null}</div>
      </form>
    </main>
  );
}
