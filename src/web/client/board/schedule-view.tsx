// The schedule: every tool's bookings (held to completed), holds and maintenance over a day, a rolling
// 7 days or a month, from one GET /api/schedule. `lot=` follows one lot route across its tools.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { LotView, Schedule, ScheduleTool } from '../api.js';
import { ProblemBox } from '../components/problem-box.js';
import { useLoad } from '../components/use-load.js';
import { isoDay, startOfDay } from '../time.js';
import { areaName, compareAreas, type AppContext } from '../ui.js';
import { placeBlocks, type BoardNames, type PlacedBlock } from './blocks.js';
import { BlockDrawer } from './drawer.js';
import { Gantt, type BoardRow, type ToolRow } from './gantt.js';
import { LotBanner } from './lot-banner.js';
import { LotChain } from './lot-chain.js';
import { boardLink, boardViewOf, rangeOf, rangeTitle, stepOf, todayStart, viewLabels, type BoardRange, type BoardView } from './range.js';

const refreshMs = 60_000;
type LotWithAlerts = LotView & { alerts: Array<{ afterSeq: number; nextSeq: number; detail: string }> };
interface ViewProps {
  ctx: AppContext;
  params: URLSearchParams;
}

export function ScheduleView({ ctx, params }: ViewProps) {
  const lotId = params.get('lot');
  const lot = useLoad<LotWithAlerts | null>((signal) => (lotId ? ctx.api.get(`/api/lots/${encodeURIComponent(lotId)}`, { signal }) : Promise.resolve(null)), [lotId]);
  if (lotId && !lot.data && !lot.problem) return <p class="muted">Loading the lot…</p>;
  return <Board ctx={ctx} params={params} lot={lot.data ?? null} lotProblem={lot.problem} />;
}

function lotStart(lot: LotView | null): number | null {
  const starts = lot?.steps.flatMap((s) => (s.booking ? [Date.parse(s.booking.startsAt)] : [])) ?? [];
  return starts.length ? Math.min(...starts) : null;
}

function Board({ ctx, params, lot, lotProblem }: ViewProps & { lot: LotWithAlerts | null; lotProblem: unknown }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  const view: BoardView = boardViewOf(params.get('view'));
  const firstStep = lotStart(lot);
  const fromDay = params.get('from') ?? params.get('date') ?? (firstStep !== null ? isoDay(startOfDay(firstStep)) : null);
  const range: BoardRange = useMemo(() => rangeOf(view, fromDay, Date.now()), [view, fromDay]);
  const area = params.get('area') ?? '';
  const allTools = params.get('tools') === 'all';
  const link = (changes: Record<string, string | undefined>) => boardLink(params, changes);

  const schedule = useLoad<Schedule>(
    (signal) => {
      performance.mark('pilotline:schedule-request');
      const query = new URLSearchParams({ from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() });
      return ctx.api.get<Schedule>(`/api/schedule?${query}`, { signal }).then((answer) => {
        performance.mark('pilotline:schedule-data');
        return answer;
      });
    },
    [range.from, range.to],
  );
  // Others book and check in meanwhile: the board re-reads its period while the page is visible.
  useEffect(() => {
    const timer = window.setInterval(() => document.visibilityState === 'visible' && schedule.reload(), refreshMs);
    return () => window.clearInterval(timer);
  }, [schedule.reload]);
  const data = schedule.data;
  const names: BoardNames = useMemo(
    () => ({ tenants: data?.tenants ?? {}, users: data?.users ?? {}, seesAllTenants: ctx.seesAllTenants }),
    [data, ctx.seesAllTenants],
  );
  const areas = useMemo(() => [...new Set(data?.tools.map((t) => t.area) ?? [])].sort(compareAreas), [data]);
  const rows = useMemo(() => (data ? boardRows(data.tools, area, lot && !allTools ? lot : null) : []), [data, area, lot, allTools]);

  const [open, setOpen] = useState<{ toolId: string; key: string } | null>(null);
  const focusId = params.get('focus');
  // A block named in the address (a link from elsewhere) opens at once.
  useEffect(() => {
    if (!focusId || !data) return;
    for (const row of rows) if (row.kind === 'tool') for (const b of row.blocks) if (b.block.kind === 'booking' && b.block.id === focusId) setOpen({ toolId: row.tool.id, key: b.key });
  }, [focusId, data]);
  useEffect(() => {
    if (!data) return;
    performance.mark('pilotline:schedule-rendered');
    performance.measure('pilotline:schedule-render', 'pilotline:schedule-data', 'pilotline:schedule-rendered');
  }, [data]);

  const openRow = open ? (rows.find((r) => r.kind === 'tool' && r.tool.id === open.toolId) as ToolRow | undefined) : undefined;
  const openBlock = openRow?.blocks.find((b) => b.key === open?.key);
  const close = () => {
    const key = open?.key;
    setOpen(null);
    if (key) window.setTimeout(() => document.querySelector<HTMLElement>(`.gantt [data-key="${CSS.escape(key)}"]`)?.focus(), 0);
  };
  const onLot = (placed: PlacedBlock) => placed.block.kind === 'booking' && placed.block.lot?.id === lot?.id;
  const step = stepOf(view);

  return (
    <section class={`schedule${openBlock ? ' with-drawer' : ''}`}>
      <div class="toolbar">
        <div class="btn-group">
          <a class="btn" href={link({ from: isoDay(range.from - step) })} aria-label={`Previous ${viewLabels[view].toLowerCase()}`} title="Earlier">
            ‹
          </a>
          <a class="btn" href={link({ from: isoDay(todayStart(view, Date.now())) })}>
            Today
          </a>
          <a class="btn" href={link({ from: isoDay(range.from + step) })} aria-label={`Next ${viewLabels[view].toLowerCase()}`} title="Later">
            ›
          </a>
        </div>
        <h2 class="range-title">
          {rangeTitle(range)} <span class="year">{new Date(range.from + 8 * 3_600_000).getUTCFullYear()}</span>
        </h2>
        <div class="btn-group" role="group" aria-label="View">
          {(['day', '7d', 'month'] as const).map((v) => (
            <a key={v} class={`btn${v === view ? ' active' : ''}`} href={link({ view: v, from: isoDay(v === view ? range.from : todayStart(v, Date.now())) })} aria-current={v === view ? 'page' : undefined}>
              {viewLabels[v]}
            </a>
          ))}
        </div>
        <input type="date" aria-label="From day" value={isoDay(range.from)} onChange={(e) => e.currentTarget.value && ctx.go(link({ from: e.currentTarget.value }))} />
        {lot && !allTools ? null : (
          <select aria-label="Area" value={area} onChange={(e) => ctx.go(link({ area: e.currentTarget.value }))}>
            <option value="">All areas</option>
            {areas.map((a) => (
              <option key={a} value={a}>
                {areaName(a)}
              </option>
            ))}
          </select>
        )}
        <span class="spacer" />
        <Legend />
      </div>
      {lot ? <LotBanner lot={lot} allTools={allTools} toggleHref={link({ tools: allTools ? undefined : 'all' })} /> : null}
      {lotProblem ? <ProblemBox problem={lotProblem} ctx={ctx} /> : null}
      <div class="status-line" aria-live="polite">
        {schedule.problem ? <ProblemBox problem={schedule.problem} ctx={ctx} /> : data ? summary(data.tools) : 'Loading…'}
        <span class="tz" title="Asia/Hong_Kong, no daylight saving">
          {' '}
          · times in Hong Kong (UTC+8)
        </span>
      </div>
      <div class="board-and-drawer">
        <div class="gantt-scroll">
          {data ? (
            <Gantt
              range={range}
              rows={rows}
              names={names}
              now={now}
              label={`Schedule ${rangeTitle(range)}: arrow keys move between bookings, Enter opens one`}
              openKey={open?.key ?? null}
              startKey={openBlock?.key ?? null}
              dimmed={lot ? (placed) => !onLot(placed) : undefined}
              overlay={lot ? (layout) => <LotChain lot={lot} range={range} layout={layout} /> : undefined}
              toolHref={ctx.canMaintain ? (toolId) => `#/maintenance?tool=${encodeURIComponent(toolId)}` : undefined}
              toolTitle={(toolId) => toolTitle(ctx.toolsById.get(toolId))}
              dayHref={(day) => link({ view: 'day', from: isoDay(day) })}
              onOpen={(row, placed) => setOpen({ toolId: row.tool.id, key: placed.key })}
            />
          ) : null}
        </div>
        {openRow && openBlock ? (
          <BlockDrawer
            ctx={ctx}
            tool={openRow.tool}
            placed={openBlock}
            names={names}
            onClose={close}
            onChanged={() => {
              setOpen(null);
              schedule.reload();
            }}
          />
        ) : null}
      </div>
    </section>
  );
}

function toolTitle(tool: { name: string; type: { name: string }; materials: string[]; waferSizes: number[]; contaminationClass: string } | undefined): string {
  return tool ? `${tool.name}\n${tool.type.name}\n${tool.materials.join(', ')} · ${tool.waferSizes.join('/')} mm · ${tool.contaminationClass}` : '';
}

/** Area headers and tool rows; following a lot, only its tools in the order of its steps. */
function boardRows(tools: readonly ScheduleTool[], area: string, lot: LotView | null): BoardRow[] {
  const toolRow = (tool: ScheduleTool): BoardRow => ({ kind: 'tool', key: `t:${tool.id}`, tool, blocks: placeBlocks(tool.blocks) });
  if (lot) {
    const ids = [...new Set(lot.steps.flatMap((s) => (s.booking ? [s.booking.toolId] : [])))];
    return ids.flatMap((id) => {
      const tool = tools.find((t) => t.id === id);
      return tool ? [toolRow(tool)] : [];
    });
  }
  const byArea = new Map<string, ScheduleTool[]>();
  for (const tool of tools) if (!area || tool.area === area) byArea.set(tool.area, [...(byArea.get(tool.area) ?? []), tool]);
  return [...byArea.keys()].sort(compareAreas).flatMap((a) => [
    { kind: 'area' as const, key: `a:${a}`, area: a, count: byArea.get(a)!.length },
    ...byArea.get(a)!.map(toolRow),
  ]);
}

function summary(tools: readonly ScheduleTool[]): string {
  let active = 0;
  let used = 0;
  let busy = 0;
  let maintenance = 0;
  for (const tool of tools) {
    for (const block of tool.blocks) {
      if (block.kind === 'busy') busy++;
      else if (block.kind === 'maintenance') maintenance++;
      else if (block.state === 'completed' || block.state === 'no_show') used++;
      else active++;
    }
  }
  const down = tools.filter((t) => t.status !== 'up').length;
  return [
    `${tools.length} tools`,
    `${active} bookings`,
    used ? `${used} past` : '',
    busy ? `${busy} of other tenants` : '',
    `${maintenance} maintenance windows`,
    down ? `${down} not in service` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

function Legend() {
  const item = (cls: string, label: string) => (
    <span class="legend-item">
      <span class={`swatch ${cls}`} aria-hidden="true" />
      {label}
    </span>
  );
  return (
    <div class="legend" role="note" aria-label="Legend">
      {item('state-held', 'held')}
      {item('state-confirmed', 'confirmed')}
      {item('state-in_use', 'in use')}
      {item('state-completed', 'used')}
      {item('busy', 'busy (other tenant)')}
      {item('maintenance', 'maintenance')}
    </div>
  );
}
