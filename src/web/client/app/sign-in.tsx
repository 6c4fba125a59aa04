import { useRef, useState } from 'preact/hooks';
import { ProblemBox } from '../components/problem-box.js';
import { signIn, signInProblem } from './session.js';

/** The sign-in page: a personal API token, kept in this browser until sign-out. */
export function SignIn() {
  const [token, setToken] = useState('');
  const [working, setWorking] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const value = token.trim();
    if (!value || working) return;
    setWorking(true);
    signInProblem.value = null;
    try {
      await signIn(value);
    } catch (err) {
      signInProblem.value = err;
      input.current?.focus();
    } finally {
      setWorking(false);
    }
  };
  return (
    <main class="signin-page">
      <form class="signin card" onSubmit={submit}>
        <h1>
          <span class="logo" aria-hidden="true" />
          Pilotline
        </h1>
        <p class="muted">Tool time on the SiC/GaN pilot line of the Microelectronics Centre.</p>
        <label for="token">Your API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          placeholder="plt_…"
          required
          aria-label="API token"
          autoFocus
          ref={input}
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
        />
        <p class="hint">Paste it once: it stays in this browser until you sign out.</p>
        <button type="submit" class={`btn primary${working ? ' is-busy' : ''}`} disabled={working}>
          Sign in
        </button>
        <div>{signInProblem.value ? <ProblemBox problem={signInProblem.value} /> : null}</div>
      </form>
    </main>
  );
}
