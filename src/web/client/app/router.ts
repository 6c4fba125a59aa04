// The hash router: `#/view?query` as a signal, so the shell re-renders when the location changes.
import { signal } from '@preact/signals';

export interface Location {
  path: string;
  params: URLSearchParams;
}

function read(): Location {
  const [path = '', query = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  return { path, params: new URLSearchParams(query) };
}

export const location = signal<Location>(read());
window.addEventListener('hashchange', () => {
  location.value = read();
});

/** Goes to `hash`; going to where we already are renders the view again (a refresh). */
export function go(hash: string): void {
  if (window.location.hash === hash) location.value = read();
  else window.location.hash = hash;
}
