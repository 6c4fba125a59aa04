import type { Tool, ToolScope } from './model.js';

/** Whether a policy, setup rule or qualification scoped this way covers the tool. */
export function scopeCovers(scope: ToolScope, tool: Pick<Tool, 'id' | 'type'>): boolean {
  return scope.kind === 'tool' ? scope.toolId === tool.id : scope.toolType === tool.type;
}
