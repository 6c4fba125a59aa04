// The reports side by side: utilisation and usage statements, one tab each (one entry in the nav).
import { hasRole, statementReaderRoles, type Role } from '../../../domain/roles.js';

export function ReportTabs(props: { current: 'utilisation' | 'statements'; role: Role }) {
  const tabs = [
    { path: 'utilisation', label: 'Utilisation' },
    ...(hasRole(props.role, statementReaderRoles) ? [{ path: 'statements', label: 'Statements' }] : []),
  ];
  return (
    <nav class="report-tabs" aria-label="Reports">
      {tabs.map((t) => (
        <a key={t.path} href={`#/${t.path}`} class={`btn small${t.path === props.current ? ' active' : ''}`} aria-current={t.path === props.current ? 'page' : undefined}>
          {t.label}
        </a>
      ))}
    </nav>
  );
}
