// A screen still written with the DOM helpers, hosted inside the Preact shell until it is ported.
import { useEffect, useRef } from 'preact/hooks';
import type { AppContext } from '../ui.js';

export type LegacyRender = (root: HTMLElement, ctx: AppContext, params: URLSearchParams) => (() => void) | void;

export function LegacyView(props: { render: LegacyRender; ctx: AppContext; params: URLSearchParams }) {
  const host = useRef<HTMLElement>(null);
  const { render, ctx, params } = props;
  useEffect(() => {
    const cleanup = render(host.current!, ctx, params);
    return () => {
      cleanup?.();
      host.current?.replaceChildren();
    };
  }, [render, ctx, params]);
  return <main id="view" ref={host} />;
}
