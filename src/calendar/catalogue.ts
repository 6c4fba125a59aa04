import type { CalendarRead, CatalogueRows } from './calendar-read.js';

// The catalogue (tools and their links, policies, setup rules, qualifications, tenants) a process keeps between
// placements. Each calendar read tells the database which version it holds; the database sends
// the catalogue again only when its version differs — in the same statement, so the rows a read
// uses are always those of the version in its own snapshot, never older.

interface Held {
  version: string;
  rows: CatalogueRows;
}

export class CatalogueCache {
  private held: Held | undefined;
  /** How many times the catalogue came from the database (the first read, then each change). */
  reads = 0;

  /** What the cache holds now: captured before a read, since another read may replace it meanwhile. */
  current(): Held | undefined {
    return this.held;
  }

  /** The catalogue a read answered with: its own, newly sent, or the one held when it was sent. */
  resolve(read: CalendarRead, heldWhenSent: Held | undefined): CatalogueRows {
    if (read.catalogue) {
      this.reads++;
      this.held = { version: read.catalogueVersion, rows: read.catalogue };
      return read.catalogue;
    }
    if (!heldWhenSent || heldWhenSent.version !== read.catalogueVersion) {
      throw new Error('the database left the catalogue out of a read that did not hold its version');
    }
    return heldWhenSent.rows;
  }
}
