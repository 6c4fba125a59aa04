import type { Reservation } from './model.js';
import type { SolverState } from './state.js';

/** Changes to a state that can be undone, newest first: lets repair try moves and leave the state as found. */
export class Journal {
  private readonly undo: (() => void)[] = [];

  constructor(private readonly state: SolverState) {}

  add(reservation: Reservation): void {
    this.state.add(reservation);
    this.undo.push(() => this.state.remove(reservation.id));
  }

  remove(id: string): Reservation | undefined {
    const removed = this.state.remove(id);
    if (removed !== undefined) this.undo.push(() => this.state.add(removed));
    return removed;
  }

  mark(): number {
    return this.undo.length;
  }

  rollbackTo(mark: number): void {
    while (this.undo.length > mark) this.undo.pop()!();
  }

  rollback(): void {
    this.rollbackTo(0);
  }
}
