import { createHash } from 'node:crypto'
import { LruCache } from '../http/lru-cache.js'

/** A short stable key of a query (its resource-id list may hold thousands of ids). */
export function queryKey(version: number, query: unknown): string {
  return `${version}:${createHash('sha1').update(JSON.stringify(query)).digest('base64url')}`
}

/**
 * Next links carry a plain `offset` (any client can follow or compute them), but the server remembers,
 * per query and data version, the last feature id handed out before each offset. Following a next link
 * then resumes after that id (keyset paging) instead of skipping `offset` rows, so walking a million
 * features costs one pass, not a quadratic number of skipped rows. A changed data version changes the
 * key, so a stale cursor is never used; an unknown offset falls back to LIMIT/OFFSET.
 */
export class Cursors {
  private readonly after = new LruCache<number>(20_000)
  private readonly counts = new LruCache<number>(2_000)

  /** The id to resume after for this offset, when known (offset 0 always starts at the beginning). */
  afterIdAt(key: string, offset: number): number | null {
    if (offset === 0) return 0
    return this.after.get(`${key}@${offset}`) ?? null
  }

  remember(key: string, offset: number, lastId: number): void {
    this.after.set(`${key}@${offset}`, lastId)
  }

  /** numberMatched of a query, counted once per data version. */
  async count(key: string, compute: () => Promise<number>): Promise<number> {
    const hit = this.counts.get(key)
    if (hit !== undefined) return hit
    const n = await compute()
    this.counts.set(key, n)
    return n
  }
}
