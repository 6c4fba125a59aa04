// The fairness arithmetic of a round: effective targets (unused share passed on), the deviation from
// them, the tenants' fair parts, and Jain's index. Plain functions over numbers.

/**
 * Each class's target as a fraction of the granted time, after passing on unused share: a satisfied
 * class (nothing of it left out that could have fit) that got less than its part keeps what it got,
 * and the rest is split among the other classes in proportion to their shares (equally when all of
 * theirs are zero), again and again until no satisfied class is below its part.
 */
export function effectiveTargets(
  shares: readonly number[],
  granted: readonly number[],
  satisfied: readonly boolean[],
): number[] {
  const total = granted.reduce((a, b) => a + b, 0);
  const targets = shares.map(() => 0);
  if (total <= 0) return shares.map((s) => s);
  const active = new Set(shares.map((_, c) => c));
  const partOf = (c: number, remaining: number, weight: number) =>
    weight > 0 ? (remaining * shares[c]!) / weight : remaining / active.size;
  let remaining = 1;
  for (;;) {
    const weight = [...active].reduce((sum, c) => sum + shares[c]!, 0);
    const under = [...active].filter(
      (c) => satisfied[c] && granted[c]! / total < partOf(c, remaining, weight) - 1e-12,
    );
    if (under.length === 0) {
      for (const c of active) targets[c] = partOf(c, remaining, weight);
      return targets;
    }
    for (const c of under) {
      targets[c] = granted[c]! / total;
      remaining -= targets[c];
      active.delete(c);
    }
  }
}

/** Max over classes of |granted share − target|, as a fraction (0 when nothing was granted). */
export function shareDeviation(granted: readonly number[], targets: readonly number[]): number {
  const total = granted.reduce((a, b) => a + b, 0);
  if (total <= 0) return 0;
  let worst = 0;
  granted.forEach((g, c) => (worst = Math.max(worst, Math.abs(g / total - targets[c]!))));
  return worst;
}

/**
 * Splits `minutes` among claimants equally, none getting more than its cap (max-min fairness);
 * what a capped one cannot use goes to the others.
 */
export function fairSplit(minutes: number, caps: readonly number[]): number[] {
  const parts = caps.map(() => 0);
  const open = new Set(caps.map((_, i) => i).filter((i) => caps[i]! > 0));
  let left = minutes;
  while (open.size > 0 && left > 1e-9) {
    const each = left / open.size;
    let capped = false;
    for (const i of [...open]) {
      if (caps[i]! - parts[i]! <= each) {
        left -= caps[i]! - parts[i]!;
        parts[i] = caps[i]!;
        open.delete(i);
        capped = true;
      }
    }
    if (!capped) {
      for (const i of open) parts[i]! += each;
      left = 0;
    }
  }
  return parts;
}

/** Jain's fairness index of the values: 1 when all are equal, 1/n when one has everything. */
export function jainIndex(values: readonly number[]): number {
  if (values.length === 0) return 1;
  let sum = 0;
  let squares = 0;
  for (const v of values) {
    sum += v;
    squares += v * v;
  }
  return squares === 0 ? 1 : (sum * sum) / (values.length * squares);
}
