// The page's downloads: the JSON report and the saved facts of the last checks made from it, each under a random
// id that only the page showing it knows, kept in memory for a while and bounded in number.

import { randomUUID } from 'node:crypto';

const KEEP = 32;
const KEEP_MS = 30 * 60_000;

export interface StoredResult {
  domain: string;
  reportJson: string;
  factsJson: string;
}

export class RecentResults {
  private readonly entries = new Map<string, StoredResult & { at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  add(result: StoredResult): string {
    const id = randomUUID();
    this.entries.set(id, { ...result, at: this.now() });
    for (const [old] of this.entries) {
      if (this.entries.size <= KEEP) break;
      this.entries.delete(old);
    }
    return id;
  }

  get(id: string): StoredResult | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (this.now() - entry.at > KEEP_MS) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }
}
