// A DOM-helper piece (a lot card) inside a Preact page until it is ported itself.
import { useEffect, useRef } from 'preact/hooks';

export function DomNode(props: { make: () => Node; class?: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    host.current?.replaceChildren(props.make());
    // `make` is a fresh closure each render: the node is built once per mount.
  }, []);
  return <div ref={host} class={props.class} />;
}
