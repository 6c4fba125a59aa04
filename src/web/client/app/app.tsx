import { location } from './router.js';
import { session } from './session.js';
import { Shell } from './shell.js';
import { SignIn } from './sign-in.js';
import { Welcome } from './welcome.js';

export function App() {
  const current = session.value;
  // A one-time link opens its page even in a signed-in browser: it signs in as the link's person.
  if (location.value.path === 'welcome' && location.value.params.has('token')) return <Welcome />;
  return current ? <Shell session={current} /> : <SignIn />;
}
