import { useEffect, useRef, useState } from 'preact/hooks';
import { callApi, type OidcRefusal, type SignInOptions } from '../api.js';
import { ProblemBox } from '../components/problem-box.js';
import { location } from './router.js';
import { signIn, signInProblem } from './session.js';

/** What the identity provider's refusal means, in words (the callback sends only a reason code). */
const refusals: Record<OidcRefusal, string> = {
  'unknown-user':
    'The identity provider signed you in, but Pilotline has no account for you (or your e-mail address is not verified there). Ask a lab manager or an administrator to add you.',
  deactivated: 'Your Pilotline account is deactivated. Ask an administrator if you need it again.',
  state: 'That sign-in could not be matched to this browser (it was started elsewhere, or altered). Please try again.',
  failed: 'The identity provider did not complete the sign-in. Please try again.',
  unavailable: 'The identity provider cannot be reached right now. Sign in with your password, or try again later.',
};

/** The sign-in page: e-mail and password, and the institute's identity provider where configured. */
export function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [working, setWorking] = useState(false);
  const [options, setOptions] = useState<SignInOptions | null>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const refusal = location.value.params.get('problem') as OidcRefusal | null;

  useEffect(() => {
    callApi<SignInOptions>('GET', '/api/auth/options', undefined).then(setOptions, () => setOptions({ oidc: null }));
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (working) return;
    setWorking(true);
    signInProblem.value = null;
    try {
      await signIn(email.trim(), password);
      if (location.value.path === 'sign-in') window.location.hash = '#/schedule';
    } catch (err) {
      signInProblem.value = err;
      setPassword('');
      passwordInput.current?.focus();
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
        {refusal && refusals[refusal] ? (
          <div class="problem" role="alert" data-code={refusal}>
            <strong>Not signed in.</strong> {refusals[refusal]}
          </div>
        ) : null}
        <label for="email">E-mail</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          autoFocus
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          ref={passwordInput}
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <button type="submit" class={`btn primary${working ? ' is-busy' : ''}`} disabled={working}>
          Sign in
        </button>
        {options?.oidc ? (
          <>
            <p class="signin-or muted">or</p>
            {/* A link, not a form: the browser leaves for the identity provider and comes back. */}
            <a class="btn" href={options.oidc.startUrl}>
              Sign in with {options.oidc.label}
            </a>
          </>
        ) : null}
        <p class="hint">Forgot your password? An administrator can send you a link to set a new one.</p>
        <div>{signInProblem.value ? <ProblemBox problem={signInProblem.value} /> : null}</div>
      </form>
    </main>
  );
}
