// The board: tools grouped by area × time, as an ARIA grid. Rows are windowed; the blocks are one tab
// stop (arrows move between them, Enter or a click opens the detail drawer).
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ScheduleTool } from '../api.js';
import { dayMs, hourMs } from '../time.js';
import { areaName } from '../ui.js';
import { Block } from './block.js';
import type { BoardNames, PlacedBlock } from './blocks.js';
import { isNavigationKey, move } from './navigate.js';
import { ticksOf, type BoardRange } from './range.js';
import { useWindowRows } from './use-window-rows.js';

export type BoardRow =
  | { kind: 'area'; key: string; area: string; count: number }
  | { kind: 'tool'; key: string; tool: ScheduleTool; blocks: PlacedBlock[] };
export type ToolRow = Extract<BoardRow, { kind: 'tool' }>;

export const rowHeights = { area: 26, tool: 44 } as const;

/** Where each row sits, for overlays drawn across rows (the lot chain). */
export interface RowLayout {
  offsets: readonly number[];
  rows: readonly BoardRow[];
}

export interface GanttProps {
  range: BoardRange;
  rows: BoardRow[];
  names: BoardNames;
  now: number;
  label: string;
  /** The block whose drawer is open. */
  openKey: string | null;
  /** The block the board's tab stop starts on (e.g. one named in the address). */
  startKey?: string | null;
  /** Shown dimmed (another lot than the one followed). */
  dimmed?: (placed: PlacedBlock) => boolean;
  overlay?: (layout: RowLayout) => ComponentChildren;
  toolHref?: (toolId: string) => string | null;
  toolTitle?: (toolId: string) => string;
  dayHref?: (day: number) => string;
  onOpen(row: ToolRow, placed: PlacedBlock): void;
}

export function Gantt(props: GanttProps) {
  const { range, rows, names, now } = props;
  const body = useRef<HTMLDivElement>(null);
  const offsets = useMemo(() => {
    const out = [0];
    for (const row of rows) out.push(out[out.length - 1]! + rowHeights[row.kind]);
    return out;
  }, [rows]);
  const windowed = useWindowRows(offsets, body);
  const trackPx = useTrackWidth(body);

  const where = useMemo(() => {
    const map = new Map<string, { row: number; index: number }>();
    rows.forEach((row, r) => row.kind === 'tool' && row.blocks.forEach((b, i) => map.set(b.key, { row: r, index: i })));
    return map;
  }, [rows]);
  const [active, setActive] = useState<string | null>(null);
  const pendingFocus = useRef<string | null>(null);
  // The tab stop: the chosen block, else the first one at or after now (the board opens on now).
  const tabStop = useMemo(() => {
    if (active && where.has(active)) return active;
    if (props.startKey && where.has(props.startKey)) return props.startKey;
    let first: PlacedBlock | undefined;
    for (const row of rows) {
      if (row.kind !== 'tool') continue;
      const next = row.blocks.find((b) => b.end > now) ?? row.blocks[row.blocks.length - 1];
      if (next && (!first || Math.abs(next.start - now) < Math.abs(first.start - now))) first = next;
    }
    return first?.key ?? null;
  }, [active, where, rows, now, props.startKey]);

  useLayoutEffect(() => {
    const key = pendingFocus.current;
    if (!key) return;
    const element = body.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    if (element) {
      pendingFocus.current = null;
      element.focus();
    }
  });

  const navRows = useMemo(() => rows.map((row) => ({ blocks: row.kind === 'tool' ? row.blocks : [] })), [rows]);
  const keyOf = (event: Event) => (event.target as HTMLElement).closest<HTMLElement>('[data-key]')?.dataset.key ?? null;
  const onKeyDown = (event: KeyboardEvent) => {
    const key = keyOf(event);
    const at = key ? where.get(key) : undefined;
    if (!at) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const row = rows[at.row] as ToolRow;
      props.onOpen(row, row.blocks[at.index]!);
      return;
    }
    if (!isNavigationKey(event.key)) return;
    event.preventDefault();
    const next = move(navRows, at, event.key);
    if (!next) return;
    const target = (rows[next.row] as ToolRow).blocks[next.index]!;
    setActive(target.key);
    pendingFocus.current = target.key;
    windowed.scrollToRow(next.row);
  };
  const onClick = (event: MouseEvent) => {
    const key = keyOf(event);
    const at = key ? where.get(key) : undefined;
    if (!at) return;
    const row = rows[at.row] as ToolRow;
    setActive(key);
    props.onOpen(row, row.blocks[at.index]!);
  };
  const onFocusIn = (event: FocusEvent) => {
    const key = keyOf(event);
    if (key && key !== active) setActive(key);
  };

  const span = range.to - range.from;
  const pct = (ms: number) => `${((Math.min(Math.max(ms, range.from), range.to) - range.from) / span) * 100}%`;
  const ticks = ticksOf(range);
  return (
    <div class={`gantt view-${range.view}`}>
      <div class="gantt-frame">
        <div class="overlay grid-layer" aria-hidden="true">
          {range.view === 'day' ? (
            <>
              <div class="shade" style={{ left: 0, width: pct(range.from + 8 * hourMs) }} />
              <div class="shade" style={{ left: pct(range.from + 20 * hourMs), right: 0 }} />
            </>
          ) : (
            ticks.filter((t) => t.weekend).map((t) => <div key={`shade-${t.at}`} class="shade" style={{ left: pct(t.at), width: `${(dayMs / span) * 100}%` }} />)
          )}
          {ticks.map((t) => (
            <div key={t.at} class={`gridline${t.day ? ' strong' : ''}`} style={{ left: pct(t.at) }} />
          ))}
          {range.view === '7d'
            ? ticks.flatMap((t) => [6, 12, 18].map((h) => <div key={`q-${t.at}-${h}`} class="gridline" style={{ left: pct(t.at + h * hourMs) }} />))
            : null}
        </div>
        <div class="overlay top-layer" aria-hidden="true">
          {now >= range.from && now < range.to ? <div class="now-line" style={{ left: pct(now) }} /> : null}
          {props.overlay?.({ offsets, rows })}
        </div>
        <div role="grid" aria-label={props.label} aria-rowcount={rows.length + 1} aria-colcount={2} class="gantt-grid">
          <div role="rowgroup" class="gantt-head">
            <div role="row" aria-rowindex={1} class="head-row">
              <div role="columnheader" class="corner">
                Tool
              </div>
              <div role="columnheader" class="axis">
                {ticks.map((t, i) =>
                  range.view === 'day' && i % 2 === 1 ? null : props.dayHref && t.day && range.view !== 'day' ? (
                    <a key={t.at} class={`tick day${t.weekend ? ' weekend' : ''}${now >= t.at && now < t.at + dayMs ? ' today' : ''}`} href={props.dayHref(t.at)} style={{ left: pct(t.at) }}>
                      {t.label}
                    </a>
                  ) : (
                    <span key={t.at} class={`tick${t.day ? ' day' : ''}`} style={{ left: pct(t.at) }}>
                      {t.label}
                    </span>
                  ),
                )}
              </div>
            </div>
          </div>
          <div role="rowgroup" class="gantt-body" ref={body} style={{ height: `${windowed.totalHeight}px` }} onKeyDown={onKeyDown} onClick={onClick} onFocusIn={onFocusIn}>
            {windowed.items.map(({ index, top }) => {
              const row = rows[index]!;
              const style = { transform: `translateY(${top}px)`, height: `${rowHeights[row.kind]}px` };
              if (row.kind === 'area') {
                return (
                  <div key={row.key} role="row" aria-rowindex={index + 2} class="area-row" style={style}>
                    <div role="rowheader">
                      {areaName(row.area)} <span class="muted">{row.count}</span>
                    </div>
                  </div>
                );
              }
              const { tool } = row;
              const href = props.toolHref?.(tool.id) ?? null;
              return (
                <div key={row.key} role="row" aria-rowindex={index + 2} class={`tool-row tool-${tool.status}`} data-tool={tool.id} style={style}>
                  <div role="rowheader" class="tool-label" title={props.toolTitle?.(tool.id)}>
                    <span class="tool-name">{tool.name}</span>
                    <span class="tool-meta">
                      {href ? (
                        <a class="tool-id" href={href} title="Plan maintenance or report an outage">
                          {tool.id}
                        </a>
                      ) : (
                        <span class="tool-id">{tool.id}</span>
                      )}
                      <span class={`status status-${tool.status}`}>{tool.status}</span>
                    </span>
                  </div>
                  <div role="gridcell" class="track">
                    {row.blocks.map((placed) => (
                      <Block
                        key={placed.key}
                        placed={placed}
                        toolName={tool.name}
                        range={range}
                        names={names}
                        now={now}
                        trackPx={trackPx}
                        tabbable={placed.key === tabStop}
                        open={placed.key === props.openKey}
                        dimmed={props.dimmed?.(placed) ?? false}
                      />
                    ))}
                  </div>
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {rows.length ? null : <p class="empty">No tools.</p>}
    </div>
  );
}

/** The width of the time tracks in px, kept up to date as the window changes. */
function useTrackWidth(body: { current: HTMLElement | null }): number {
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const element = body.current;
    if (!element) return;
    const labelWidth = () => element.querySelector<HTMLElement>('.tool-label')?.offsetWidth ?? 0;
    const observer = new ResizeObserver(() => setWidth(Math.max(element.clientWidth - labelWidth(), 1)));
    observer.observe(element);
    return () => observer.disconnect();
  }, [body]);
  return width;
}
