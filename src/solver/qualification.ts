import type { Qualification, Tool } from './model.js';

/** Qualifications by user, so checking one user on one tool is two map reads. */
export class QualificationIndex {
  private readonly byUser = new Map<string, { tools: Map<string, number>; types: Map<string, number> }>();

  constructor(qualifications: readonly Qualification[]) {
    for (const q of qualifications) {
      let entry = this.byUser.get(q.userId);
      if (entry === undefined) this.byUser.set(q.userId, (entry = { tools: new Map(), types: new Map() }));
      const [map, key] =
        q.appliesTo.kind === 'tool' ? [entry.tools, q.appliesTo.toolId] : [entry.types, q.appliesTo.toolType];
      // Several qualifications on one scope: the longest-lasting one counts.
      map.set(key, Math.max(map.get(key) ?? -Infinity, q.expiresAt ?? Infinity));
    }
  }

  /** When the user's right to run the tool ends (Infinity: never), or undefined when they never had it. */
  expiryFor(userId: string, tool: Pick<Tool, 'id' | 'type'>): number | undefined {
    const entry = this.byUser.get(userId);
    if (entry === undefined) return undefined;
    const onTool = entry.tools.get(tool.id);
    const onType = entry.types.get(tool.type);
    if (onTool === undefined) return onType;
    return onType === undefined ? onTool : Math.max(onTool, onType);
  }
}
