import { session } from './session.js';
import { Shell } from './shell.js';
import { SignIn } from './sign-in.js';

export function App() {
  const current = session.value;
  return current ? <Shell session={current} /> : <SignIn />;
}
