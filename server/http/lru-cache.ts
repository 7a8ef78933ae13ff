/**
 * A least-recently-used cache bounded by entry count and, when given a size of its values, by total
 * bytes (a Map keeps insertion order, so re-inserting on every hit makes the first key the least
 * recently used).
 */
export class LruCache<V> {
  private readonly map = new Map<string, V>()
  private total = 0

  constructor(readonly maxEntries: number, readonly maxBytes = Infinity, private readonly sizeOf: (value: V) => number = () => 0) {}

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
    if (old !== undefined) {
      this.total -= this.sizeOf(old)
      this.map.delete(key)
    }
    const bytes = this.sizeOf(value)
    if (bytes > this.maxBytes) return
    this.map.set(key, value)
    this.total += bytes
    while (this.map.size > this.maxEntries || this.total > this.maxBytes) {
      const oldest = this.map.keys().next().value as string
      this.total -= this.sizeOf(this.map.get(oldest)!)
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
