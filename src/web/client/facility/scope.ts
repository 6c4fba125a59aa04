// What a qualification or training covers, in words, and the choices of it a form offers.
import type { ToolView } from '../api.js';

export const scopeLabel = (tools: ToolView[], scope: { toolTypeId: string | null; toolId: string | null }) =>
  scope.toolId ? `${scope.toolId} (tool)` : (tools.find((t) => t.type.id === scope.toolTypeId)?.type.name ?? scope.toolTypeId ?? '?');

/** `type:<id>` for every tool type in service, `tool:<id>` for every tool. */
export function scopeOptions(tools: ToolView[]): Array<{ value: string; label: string }> {
  const types = new Map<string, string>();
  for (const t of tools) types.set(t.type.id, t.type.name);
  return [
    ...[...types].sort(([, a], [, b]) => a.localeCompare(b)).map(([id, name]) => ({ value: `type:${id}`, label: `${name} (any tool of the type)` })),
    ...tools.map((t) => ({ value: `tool:${t.id}`, label: `${t.id} — ${t.name}` })),
  ];
}

export const scopeBody = (value: string) => {
  const [kind, id] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
  return kind === 'tool' ? { toolId: id } : { toolTypeId: id };
};
