import { describe, expect, it } from 'vitest';
import {
  PlacementRequestSchema,
  PolicySchema,
  RepairWindowSchema,
  SOLVER_MODEL_VERSION,
  SolverSnapshotSchema,
} from '../../src/solver/index.js';
import { aRequest, aSnapshot } from './builders.js';

describe('solver model', () => {
  it('parses a snapshot from JSON, filling defaults', () => {
    const json = JSON.parse(JSON.stringify(aSnapshot()));
    delete json.setupRules;
    delete json.tools[0].status;
    const parsed = SolverSnapshotSchema.parse(json);
    expect(parsed.setupRules).toEqual([]);
    expect(parsed.tools[0]!.status).toBe('up');
    expect(parsed.version).toBe(SOLVER_MODEL_VERSION);
  });

  it('rejects a snapshot of another version, naming the field', () => {
    const result = SolverSnapshotSchema.safeParse({ ...aSnapshot(), version: 99 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['version']);
  });

  it('rejects a request whose window cannot hold its duration', () => {
    const result = PlacementRequestSchema.safeParse({
      ...aRequest(),
      durationMinutes: 60,
      latestEnd: aRequest().earliestStart + 30,
    });
    expect(result.error?.issues[0]?.path).toEqual(['latestEnd']);
  });

  it('rejects wafer sizes, materials and intervals the line does not know', () => {
    expect(
      PlacementRequestSchema.safeParse({ ...aRequest(), waferSize: 300 }).error?.issues[0]?.path,
    ).toEqual(['waferSize']);
    expect(
      PlacementRequestSchema.safeParse({ ...aRequest(), material: 'GaAs' }).error?.issues[0]?.path,
    ).toEqual(['material']);
    expect(
      RepairWindowSchema.safeParse({ id: 'pm', toolIds: ['IMPL-1'], start: 100, end: 100 }).error?.issues[0]
        ?.path,
    ).toEqual(['end']);
  });

  it('keeps quotas on tool-type policies only', () => {
    expect(
      PolicySchema.safeParse({ appliesTo: { kind: 'tool', toolId: 'SEM-1' }, weeklyQuotaHours: 4 }).success,
    ).toBe(false);
    expect(
      PolicySchema.safeParse({ appliesTo: { kind: 'toolType', toolType: 'sem' }, weeklyQuotaHours: 4 })
        .success,
    ).toBe(true);
  });
});
