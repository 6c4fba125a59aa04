// Windowing: only the rows near the viewport are in the DOM (a month of a year's history on 40 tools
// is thousands of blocks). TanStack Virtual does the arithmetic; the page itself scrolls.
import { Virtualizer, observeWindowOffset, observeWindowRect, windowScroll, type VirtualizerOptions } from '@tanstack/virtual-core';
import type { RefObject } from 'preact';
import { useLayoutEffect, useReducer, useState } from 'preact/hooks';

export interface RowWindow {
  /** The rows to render and their offsets from the top of the list. */
  items: Array<{ index: number; top: number }>;
  totalHeight: number;
  scrollToRow(index: number): void;
}

/** Rows of fixed heights (`offsets[i]` from the list's top, `offsets[count]` the whole), windowed on page scroll. */
export function useWindowRows(offsets: readonly number[], list: RefObject<HTMLElement | null>): RowWindow {
  const count = offsets.length - 1;
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const margin = () => (list.current ? list.current.getBoundingClientRect().top + window.scrollY : 0);
  const options = (): VirtualizerOptions<Window, HTMLElement> => ({
    count,
    getScrollElement: () => window,
    estimateSize: (i) => offsets[i + 1]! - offsets[i]!,
    scrollToFn: windowScroll,
    observeElementRect: observeWindowRect,
    observeElementOffset: observeWindowOffset,
    initialRect: { width: window.innerWidth, height: window.innerHeight },
    scrollMargin: margin(),
    overscan: 6,
    onChange: () => rerender(0),
  });
  const [virtualizer] = useState(() => new Virtualizer(options()));
  virtualizer.setOptions(options());
  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => virtualizer._willUpdate());
  // The rows' sizes are fixed by kind: a new list means new sizes, not measured ones.
  useLayoutEffect(() => virtualizer.measure(), [offsets, virtualizer]);
  const scrollMargin = virtualizer.options.scrollMargin;
  return {
    items: virtualizer.getVirtualItems().map((item) => ({ index: item.index, top: item.start - scrollMargin })),
    totalHeight: offsets[count] ?? 0,
    scrollToRow: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
  };
}
