import { describe, expect, it } from 'vitest';
import { PilotlineError } from '../../src/errors.js';
import { utilisationPeriod } from '../../src/domain/utilisation.js';
import { periodName, periodPresets } from '../../src/web/client/reports/periods.js';

// The period of a utilisation report: Hong Kong days as instants, and the buckets of its series.

const now = new Date('2026-11-28T12:00:00Z'); // 20:00 on 28 November in Hong Kong

describe('a utilisation period', () => {
  it('runs from Hong Kong midnight of the first day to the end of the last, in days up to a month', () => {
    const period = utilisationPeriod({ from: '2026-10-01', to: '2026-10-31' }, now);
    expect(period.startsAt.toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(period.endsAt.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(period.bucket).toBe('day');
    expect(period.buckets).toHaveLength(31);
    expect(period.buckets[30]).toMatchObject({ from: '2026-10-31', to: '2026-10-31' });
  });

  it('cuts a quarter into weeks from its first day, the last one short, and a year into calendar months', () => {
    const quarter = utilisationPeriod({ from: '2026-07-01', to: '2026-09-30' }, now);
    expect(quarter.bucket).toBe('week');
    expect(quarter.buckets.map((b) => b.from).slice(0, 2)).toEqual(['2026-07-01', '2026-07-08']);
    expect(quarter.buckets.at(-1)).toMatchObject({ from: '2026-09-30', to: '2026-09-30' });
    const year = utilisationPeriod({ from: '2025-11-15', to: '2026-11-14' }, now);
    expect(year.bucket).toBe('month');
    expect(year.buckets.map((b) => `${b.from}..${b.to}`).slice(0, 2)).toEqual(['2025-11-15..2025-11-30', '2025-12-01..2025-12-31']);
    expect(year.buckets.at(-1)).toMatchObject({ from: '2026-11-01', to: '2026-11-14' });
    expect(year.buckets).toHaveLength(13);
    // The buckets tile the period: each ends where the next starts.
    for (const [i, b] of year.buckets.slice(1).entries()) expect(b.startsAt).toEqual(year.buckets[i]!.endsAt);
  });

  it('ends a period that runs to today at now, and refuses one that ends after today', () => {
    expect(utilisationPeriod({ from: '2026-11-28', to: '2026-11-28' }, now).endsAt).toEqual(now);
    expect(() => utilisationPeriod({ from: '2026-11-28', to: '2026-11-29' }, now)).toThrow(PilotlineError);
    const refusal = (() => {
      try {
        utilisationPeriod({ from: '2026-11-01', to: '2026-12-01' }, now);
        return undefined;
      } catch (err) {
        return err as PilotlineError;
      }
    })();
    expect(refusal?.issues).toEqual([{ field: 'query.to', message: expect.stringContaining('2026-11-28') }]);
  });
});

describe('the report periods the page offers', () => {
  it('names last quarter, across a new year too', () => {
    expect(periodPresets(now.getTime())[0]).toEqual({ key: 'last-quarter', label: 'Last quarter', period: { from: '2026-07-01', to: '2026-09-30' } });
    const january = Date.parse('2027-01-10T04:00:00Z');
    expect(periodPresets(january).find((p) => p.key === 'last-quarter')?.period).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(periodPresets(january).find((p) => p.key === 'last-month')?.period).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(periodName({ from: '2026-07-01', to: '2026-09-30' })).toBe('Q3 2026');
    expect(periodName({ from: '2026-07-03', to: '2026-08-30' })).toBe('3 Jul – 30 Aug 2026');
  });
});
