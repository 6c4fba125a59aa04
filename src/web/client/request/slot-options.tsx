// What the request form shows for a wish: ranked starts grouped by the free gap they fall in (several
// per gap, on the tool's grid), the reasons nothing fits, or the booking made.
import type { PlacedBooking, SlotOption, ToolView } from '../api.js';
import { ToolRef } from '../components/explanation.js';
import { StateBadge } from '../components/state-badge.js';
import { formatDateTime, formatDuration, formatRange, formatTime, isoDay } from '../time.js';

interface Gap {
  key: string;
  toolId: string;
  firstStart: string | undefined;
  lastStart: string | undefined;
  options: Array<{ option: SlotOption; rank: number }>;
}

/** Options in the API's rank, grouped by tool and gap in the order each gap's best appears. */
function gapsOf(options: readonly SlotOption[]): Gap[] {
  const gaps = new Map<string, Gap>();
  options.forEach((option, i) => {
    const key = `${option.toolId}|${option.gap?.firstStart ?? option.startsAt}`;
    const gap = gaps.get(key) ?? { key, toolId: option.toolId, firstStart: option.gap?.firstStart, lastStart: option.gap?.lastStart, options: [] };
    gap.options.push({ option, rank: i + 1 });
    gaps.set(key, gap);
  });
  return [...gaps.values()];
}

export function SlotOptions(props: {
  tools: Map<string, ToolView>;
  durationMin: number;
  options: readonly SlotOption[];
  booking: boolean;
  onBook(option: SlotOption): void;
}) {
  const gaps = gapsOf(props.options);
  return (
    <div>
      <p class="muted">
        {props.options.length} start{props.options.length === 1 ? '' : 's'} in {gaps.length} free gap{gaps.length === 1 ? '' : 's'} for{' '}
        {formatDuration(props.durationMin)}, best first
      </p>
      {gaps.map((gap) => (
        <section key={gap.key} class="gap" data-tool={gap.toolId} data-gap={gap.firstStart ?? ''}>
          <h4>
            <ToolRef tools={props.tools} toolId={gap.toolId} /> <span class="muted">{props.tools.get(gap.toolId)?.name}</span>
            {gap.firstStart && gap.lastStart ? (
              <span class="muted small">
                {' '}
                · free to start {formatDateTime(Date.parse(gap.firstStart))}
                {gap.lastStart !== gap.firstStart ? `–${formatTime(Date.parse(gap.lastStart))}` : ''}
              </span>
            ) : null}
          </h4>
          <ol class="options">
            {gap.options.map(({ option, rank }) => {
              const start = Date.parse(option.startsAt);
              return (
                <li key={option.startsAt} class="option" data-tool={option.toolId} data-start={option.startsAt} data-rank={rank}>
                  <div class="option-main">
                    <strong>{formatRange(start, Date.parse(option.endsAt))}</strong>
                    <div class="tags">
                      <span class="tag rank">#{rank}</span>
                      {option.approvalRequired ? <span class="tag warn">needs approval</span> : <span class="tag ok">confirmed at once</span>}
                      {option.preferred ? <span class="tag">preferred tool</span> : null}
                      {option.joinsRun ? <span class="tag">joins a planned run</span> : null}
                      {option.linkedToolIds?.length ? <span class="tag">with {option.linkedToolIds.join(', ')}</span> : null}
                      {option.fragmentationMinutes > 0 ? (
                        <span class="tag muted" title="Free time left stranded next to this slot">
                          leaves {formatDuration(option.fragmentationMinutes)} gap
                        </span>
                      ) : null}
                      <a class="tag link" href={`#/schedule?view=day&date=${isoDay(start)}`}>
                        see day
                      </a>
                    </div>
                  </div>
                  <button
                    type="button"
                    class="btn primary small"
                    disabled={props.booking}
                    aria-label={`Book ${option.toolId} ${formatRange(start, Date.parse(option.endsAt))}`}
                    onClick={() => props.onBook(option)}
                  >
                    Book
                  </button>
                </li>
              );
            })}
          </ol>
        </section>
      ))}
    </div>
  );
}

export function BookedCard(props: { tools: Map<string, ToolView>; placed: PlacedBooking }) {
  const b = props.placed.booking;
  const start = Date.parse(b.startsAt);
  return (
    <div class={`booked state-card-${b.state}`} data-booking={b.id}>
      <h3>
        {b.state === 'held' ? 'Held — waiting for approval' : 'Booked'} <StateBadge state={b.state} />
      </h3>
      <p>
        <strong>
          <ToolRef tools={props.tools} toolId={b.toolId} />
        </strong>{' '}
        {formatRange(start, Date.parse(b.endsAt))}
      </p>
      {b.linkedToolIds?.length ? <p class="muted">With {b.linkedToolIds.join(', ')} held alongside: moved, cancelled and charged together.</p> : null}
      {b.recipe ? (
        <p class="muted">
          Recipe {b.recipe}, {b.waferCount ?? 1} wafer(s) in the run.
        </p>
      ) : null}
      {b.approvalDeadline ? <p class="muted">A lab manager decides by {formatDateTime(Date.parse(b.approvalDeadline))}; the slot is yours until then.</p> : null}
      <p>
        <a href={`#/schedule?view=day&date=${isoDay(start)}`}>Show on the schedule</a> · <a href={`#/booking?id=${b.id}`}>This booking</a> ·{' '}
        <a href={`#/bookings?focus=${b.id}`}>My bookings</a>
      </p>
    </div>
  );
}
