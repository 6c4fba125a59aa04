// What the request form shows beside the form: the type's booking rules, the tenant's quota left
// this week, the rate, and the person's qualification on each tool with its expiry.
import { formatDate, formatDuration } from '../time.js';
import type { ToolTypeOption } from './wish.js';

const money = (cents: number, currency: string) => `${currency === 'HKD' ? 'HK$' : `${currency} `}${(cents / 100).toFixed(2)}`;

export function TypeRules(props: { type: ToolTypeOption | undefined; durationMin: number }) {
  const { type } = props;
  if (!type) return null;
  const p = type.policy;
  const q = type.quota;
  const over = q.leftMin !== null && props.durationMin > q.leftMin;
  return (
    <aside class="type-rules card" aria-label={`Rules for ${type.name}`}>
      <h3>{type.name}</h3>
      {p ? (
        <ul class="rules">
          <li data-rule="duration">
            {formatDuration(p.minDurationMin)} to {formatDuration(p.maxDurationMin)} a booking
          </li>
          <li data-rule="notice">
            {p.minNoticeMin ? `at least ${formatDuration(p.minNoticeMin)} ahead, ` : 'no notice needed, '}at most {formatDuration(p.maxAdvanceMin)} ahead
          </li>
          <li data-rule="grid">starts every {formatDuration(p.startGridMin)} (Hong Kong time)</li>
          <li data-rule="approval">{p.approvalRequired ? 'a lab manager approves each booking' : 'confirmed at once'}</li>
          {p.bufferAfterMin ? <li data-rule="buffer">{formatDuration(p.bufferAfterMin)} kept free after each booking</li> : null}
          <li data-rule="cancel">cancelling later than {formatDuration(p.lateCancelMin)} before the start is late</li>
          <li data-rule="check-in">check in within {formatDuration(p.checkInGraceMin)} of the start, or it is a no-show</li>
        </ul>
      ) : (
        <p class="muted">No booking rules set for this type.</p>
      )}
      <p class={`quota${over ? ' warn' : ''}`} data-quota-left={q.leftMin ?? ''}>
        {q.limitMin === null
          ? 'No weekly quota for your tenant.'
          : `Your tenant's quota this week: ${formatDuration(q.leftMin ?? 0)} left of ${formatDuration(q.limitMin)}${over ? ' — less than this request' : ''}.`}
      </p>
      {type.rate ? <p class="rate">Rate: {money(type.rate.hourlyRateCents, type.rate.currency)} an hour.</p> : null}
      <ul class="qualified-tools">
        {type.tools.map((t) => (
          <li key={t.id} data-tool={t.id} data-qualified={String(t.qualified)}>
            <strong>{t.id}</strong>{' '}
            {t.qualified ? (
              <span class="tag ok">{t.qualifiedUntil ? `qualified until ${formatDate(Date.parse(t.qualifiedUntil))}` : 'qualified'}</span>
            ) : (
              <span class="tag warn">not qualified</span>
            )}
            {t.status === 'up' ? null : <span class="tag"> {t.status}</span>}
            <span class="muted small">
              {' '}
              {t.materials.join(', ')} · {t.waferSizes.join('/')} mm
            </span>
          </li>
        ))}
      </ul>
      {type.qualified ? null : (
        <p class="hint">
          You are not qualified on any {type.name}: <a href="#/my-qualifications">ask for training</a>.
        </p>
      )}
    </aside>
  );
}
