// What every Preact page gets from the shell (its own module: pages and the view table both need it).
import type { AppContext } from '../ui.js';

export interface ViewProps {
  ctx: AppContext;
  params: URLSearchParams;
}
