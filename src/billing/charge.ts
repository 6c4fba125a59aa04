// The charge rules, pure: what a used booking, a no-show and a late cancellation cost. Amounts are
// exact fractions of minor units rounded once per line to the nearest unit, halves up; a
// statement's total is the sum of its rounded lines, so it always adds up to what it prints.

export interface RunShare {
  loadWafers: number;
  runWafers: number;
}

/** n / d rounded to the nearest integer, halves away from zero, in exact integer arithmetic. */
export function roundedQuotient(n: bigint, d: bigint): number {
  const negative = n < 0n !== d < 0n;
  const [a, b] = [n < 0n ? -n : n, d < 0n ? -d : d];
  const q = (2n * a + b) / (2n * b);
  return Number(negative ? -q : q);
}

/** Whole minutes charged for [from, to): at least one, a started minute counts. */
export function chargedMinutes(from: Date, to: Date): number {
  return Math.max(1, Math.ceil((to.getTime() - from.getTime()) / 60_000));
}

/**
 * minutes × hourly rate / 60, times `percent` / 100 (a no-show or a late cancellation), times the
 * load's share of a shared run.
 */
export function chargeCents(input: { minutes: number; rateCents: number; percent?: number | null; share?: RunShare | null }): number {
  const percent = BigInt(input.percent ?? 100);
  const load = BigInt(input.share?.loadWafers ?? 1);
  const run = BigInt(input.share?.runWafers ?? 1);
  return roundedQuotient(BigInt(input.minutes) * BigInt(input.rateCents) * percent * load, 60n * 100n * run);
}
