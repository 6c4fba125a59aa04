// The fairness of a proposal: granted hours and share deviation beside first come first served,
// and per tool type and class the target, the target after unused share was passed on, the grant.
import type { RoundProposal } from './types.js';
import { classNames, hours, pct } from './types.js';

export function ReviewFigures(props: { proposal: RoundProposal }) {
  const { figures, firstComeFirstServed: fcfs } = props.proposal;
  const fcfsPct = new Map(fcfs.classes.map((c) => [c.tenantClass, c.grantedPct]));
  return (
    <div class="round-figures">
      <div class="metrics">
        <Metric
          label="granted"
          value={`${hours(figures.grantedMinutes)} of ${hours(figures.requestedMinutes)}`}
          detail={`first come first served: ${hours(fcfs.grantedMinutes)}`}
        />
        <Metric label="requests granted" value={`${figures.granted} of ${figures.requests}`} />
        <Metric
          label="share deviation"
          value={`${figures.shareDeviationPts.toFixed(2)} pts`}
          detail={`first come first served: ${fcfs.shareDeviationPts.toFixed(2)} pts`}
        />
        <Metric
          label="Jain index over tenants"
          value={figures.jainIndex.toFixed(3)}
          detail={`first come first served: ${fcfs.jainIndex.toFixed(3)}`}
        />
      </div>
      <table class="table compact shares-table">
        <thead>
          <tr>
            <th>Tool type</th>
            <th>Class</th>
            <th>Target</th>
            <th>After pass-on</th>
            <th>Granted</th>
            <th>Asked</th>
            <th>First come first served</th>
          </tr>
        </thead>
        <tbody>
          {figures.classes.map((c) => (
            <tr key={`all-${c.tenantClass}`} class="all" data-class={c.tenantClass}>
              <td>all</td>
              <td>{classNames[c.tenantClass] ?? c.tenantClass}</td>
              <td>{pct(c.targetPct)}</td>
              <td>{pct(c.effectiveTargetPct)}</td>
              <td class="granted-pct">
                {pct(c.grantedPct)} <span class="muted">({hours(c.grantedMinutes)})</span>
              </td>
              <td>{hours(c.requestedMinutes)}</td>
              <td>{pct(fcfsPct.get(c.tenantClass) ?? 0)}</td>
            </tr>
          ))}
          {figures.pools.flatMap((p) =>
            p.classes.map((c) => (
              <tr key={`${p.toolType}-${c.tenantClass}`} data-pool={p.toolType} data-class={c.tenantClass}>
                <td>{p.toolType}</td>
                <td>{classNames[c.tenantClass] ?? c.tenantClass}</td>
                <td>{pct(c.targetPct)}</td>
                <td>
                  {pct(c.effectiveTargetPct)}
                  {c.satisfied ? (
                    <span
                      class="tag ok"
                      title="Every request of the class that could fit was granted; its unused share went to the others"
                    >
                      satisfied
                    </span>
                  ) : null}
                </td>
                <td>
                  {pct(c.grantedPct)} <span class="muted">({hours(c.grantedMinutes)})</span>
                </td>
                <td>{hours(c.requestedMinutes)}</td>
                <td />
              </tr>
            )),
          )}
        </tbody>
      </table>
      <table class="table compact tenants-table">
        <thead>
          <tr>
            <th>Tenant</th>
            <th>Class</th>
            <th>Asked</th>
            <th>Granted</th>
            <th>Fair part</th>
          </tr>
        </thead>
        <tbody>
          {figures.tenants.map((t) => (
            <tr key={t.tenantId} data-tenant={t.tenantId}>
              <td>{t.tenantId}</td>
              <td>{classNames[t.tenantClass] ?? t.tenantClass}</td>
              <td>{hours(t.requestedMinutes)}</td>
              <td>{hours(t.grantedMinutes)}</td>
              <td>{hours(t.fairMinutes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Metric(props: { label: string; value: string; detail?: string }) {
  return (
    <div class="metric">
      <strong>{props.value}</strong>
      <span>{props.label}</span>
      {props.detail ? <span class="muted small">{props.detail}</span> : null}
    </div>
  );
}
