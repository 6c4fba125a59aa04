import type { Clock } from '../../src/clock.js';

/** Real-speed time that a test can jump: "it is now 3 s before 10:00 on the 7th". */
export function steerableClock(): Clock & { jumpTo(at: Date | number): void } {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    jumpTo(at) {
      offset = (typeof at === 'number' ? at : at.getTime()) - Date.now();
    },
  };
}
