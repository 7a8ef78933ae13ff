/**
 * A least-recently-used cache bounded both by entry count and by total bytes (a Map keeps insertion
 * order, so re-inserting on every hit makes the first key the least recently used).
 */
export class LruCache<V extends { bytes: number }> {
  private readonly map = new Map<string, V>()
  private total = 0

  constructor(readonly maxEntries: number, readonly maxBytes: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key)
    if (v !== undefined) {
      this.map.delete(key)
      this.map.set(key, v)
    }
    return v
  }

  set(key: string, value: V): void {
    const old = this.map.get(key)
    if (old) {
      this.total -= old.bytes
      this.map.delete(key)
    }
    if (value.bytes > this.maxBytes) return
    this.map.set(key, value)
    this.total += value.bytes
    while (this.map.size > this.maxEntries || this.total > this.maxBytes) {
      const oldest = this.map.keys().next().value as string
      this.total -= this.map.get(oldest)!.bytes
      this.map.delete(oldest)
    }
  }

  clear(): void {
    this.map.clear()
    this.total = 0
  }

  get size(): number {
    return this.map.size
  }

  get bytes(): number {
    return this.total
  }
}
