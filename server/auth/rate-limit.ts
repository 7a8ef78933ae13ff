/**
 * A fixed-window counter per key (an address, a user name, a user): at most `limit` events per
 * `windowMs`. In memory, bounded: old windows are dropped as new keys arrive.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>()

  constructor(private readonly limit: number, private readonly windowMs: number, private readonly maxKeys = 10_000) {}

  /** Seconds until the key may act again (0: now), without counting anything. */
  wait(key: string, now: number): number {
    const w = this.windows.get(key)
    if (!w || now - w.start >= this.windowMs || w.count < this.limit) return 0
    return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000))
  }

  /** Counts one event; returns 0 when allowed, else the seconds until the window ends. */
  hit(key: string, now: number): number {
    let w = this.windows.get(key)
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size >= this.maxKeys) this.prune(now)
      w = { start: now, count: 0 }
      this.windows.set(key, w)
    }
    w.count++
    return w.count > this.limit ? Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)) : 0
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k)
    // Still full: forget the oldest half rather than grow without bound.
    if (this.windows.size >= this.maxKeys) [...this.windows.keys()].slice(0, this.maxKeys / 2).forEach((k) => this.windows.delete(k))
  }
}
