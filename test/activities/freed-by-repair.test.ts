import { describe, expect, it } from 'vitest';
import { timeFreedByRepair } from '../../activities/maintenance/freed-by-repair.js';
import type { Impact } from '../../src/domain/maintenance.js';

const slot = (toolId: string, from: string, to: string) => ({ toolId, startsAt: `2031-05-01T${from}:00.000Z`, endsAt: `2031-05-01T${to}:00.000Z` });
const at = (hhmm: string) => new Date(`2031-05-01T${hhmm}:00.000Z`);
const window = { toolIds: ['T-1'], startsAt: at('10:00'), endsAt: at('12:00') };

function impact(moves: Array<{ from: ReturnType<typeof slot> }>): Impact {
  return {
    moves: moves.map((m, i) => ({ bookingId: `b${i}`, tenantId: 't', from: m.from, to: slot('T-2', '13:00', '14:00'), reason: 'same_tool_later', reasonText: '' })),
    unplaceable: [],
    conflicts: [],
    lots: [],
    metrics: {} as Impact['metrics'],
  } as unknown as Impact;
}

describe('the time a maintenance repair gives back', () => {
  it('is the old slot of each moved booking, less what the window itself now covers and less the past', () => {
    const freed = timeFreedByRepair(
      impact([{ from: slot('T-1', '09:00', '11:00') }, { from: slot('T-1', '10:30', '11:30') }, { from: slot('T-1', '11:30', '13:00') }, { from: slot('T-3', '08:00', '10:00') }]),
      window,
      at('09:30'),
    );
    expect(freed.map((f) => [f.toolId, f.startsAt.toISOString().slice(11, 16), f.endsAt.toISOString().slice(11, 16), f.sourceId])).toEqual([
      ['T-1', '09:30', '10:00', 'b0'],
      ['T-1', '12:00', '13:00', 'b2'],
      ['T-3', '09:30', '10:00', 'b3'],
    ]);
  });
});
