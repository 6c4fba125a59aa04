import { useEffect, useRef } from 'preact/hooks';
import { problemBox, type AppContext } from '../ui.js';

/** A problem+json answer shown whole (the same box the DOM-helper screens use). */
export function ProblemBox(props: { problem: unknown; ctx?: AppContext }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    host.current?.replaceChildren(problemBox(props.problem, props.ctx));
  }, [props.problem, props.ctx]);
  return <div ref={host} />;
}
