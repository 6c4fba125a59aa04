// Entry: the Preact app (sign-in, then the shell and its views) rendered into #app.
import { render } from 'preact';
import { App } from './app/app.js';
import { resumeSession } from './app/session.js';

const root = document.getElementById('app')!;
void resumeSession().finally(() => render(<App />, root));
