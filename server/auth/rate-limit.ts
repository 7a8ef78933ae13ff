import { sql } from 'kysely'
import type { Db } from '../db/connect.js'
/**
 * A fixed-window counter per key (a user, an address) kept in the database, so that every server
 * process over it counts together: at most `limit` events per `windowMs`. One statement per event
 * (an upsert that starts a new window when the old one is over, atomic on either engine); windows
 * over a day old are dropped now and then.
 */
export class SharedRateLimiter {
  private events = 0

  constructor(private readonly db: Db, private readonly name: string, private readonly limit: number, private readonly windowMs: number) {}

  /** Counts one event; resolves with 0 when allowed, else the seconds until the window ends. */
  async hit(key: string, now: number): Promise<number> {
    const k = this.db.kysely
    if (++this.events % 1000 === 0) await k.deleteFrom('rate_limits').where('window_start', '<', now - Math.max(this.windowMs, 86_400_000)).execute()
    const over = sql<boolean>`${now} - rate_limits.window_start >= ${this.windowMs}`
    const w = await k.insertInto('rate_limits').values({ name: this.name, key, window_start: now, count: 1 })
      .onConflict((oc) => oc.columns(['name', 'key']).doUpdateSet({
        count: sql<number>`CASE WHEN ${over} THEN 1 ELSE rate_limits.count + 1 END`,
        window_start: sql<number>`CASE WHEN ${over} THEN excluded.window_start ELSE rate_limits.window_start END`,
      }))
      .returning(['window_start', 'count']).executeTakeFirstOrThrow()
    return Number(w.count) > this.limit ? Math.max(1, Math.ceil((Number(w.window_start) + this.windowMs - now) / 1000)) : 0
  }
}

/**
 * Failed sign-ins slow down what follows them, without ever refusing a right password because of
 * someone else's mistakes (colleagues share one office address):
 * - per user name, attempts run one at a time, and each starts no sooner than a delay after the name's
 *   last failure that doubles with every failure (1, 2, 4, 8, 16, then 20 s): guessing one account is
 *   bounded to about three tries a minute even with many parallel requests, on top of the lockout of an
 *   existing account after five failures;
 * - per address, the answer to a failure is held back by a delay that grows with the address's
 *   failures (up to 10 s), which slows guessing across many names from one place; a right password is
 *   answered at once.
 * Waiting is a timer, never a busy loop. What waits is bounded: three queued attempts per name, ten
 * waiting attempts and ten held-back answers per address, a thousand in all. Beyond that a failure is
 * answered at once with 429; an attempt is refused before its password is checked only when it would
 * have to wait, which happens only while its own name has recent failures or a parallel attempt.
 */
const SIGN_IN_THROTTLE = {
  /** Failures are forgotten this long after the last one. */
  windowMs: 15 * 60_000,
  nameDelayMs: (failures: number) => (failures <= 0 ? 0 : Math.min(1000 * 2 ** (failures - 1), 20_000)),
  addressDelayMs: (failures: number) => (failures <= 5 ? 0 : Math.min((failures - 5) * 500, 10_000)),
  maxQueuedPerName: 3,
  maxWaitingPerAddress: 10,
  maxWaiting: 1000,
  maxKeys: 10_000,
} as const

/** Failure counts per key, forgotten `windowMs` after the last failure; bounded by `maxKeys`. */
class FailureLog {
  private readonly entries = new Map<string, { count: number; last: number }>()

  constructor(private readonly windowMs: number, private readonly maxKeys: number) {}

  /** The key's recent failures and when the last one was (null when there are none). */
  get(key: string, now: number): { count: number; last: number } | null {
    const e = this.entries.get(key)
    if (!e) return null
    if (now - e.last >= this.windowMs) {
      this.entries.delete(key)
      return null
    }
    return e
  }

  add(key: string, now: number): number {
    const count = (this.get(key, now)?.count ?? 0) + 1
    // Re-inserted at the end: the map's order is the order of last failure, oldest first.
    this.entries.delete(key)
    if (this.entries.size >= this.maxKeys) this.prune(now)
    this.entries.set(key, { count, last: now })
    return count
  }

  clear(key: string): void {
    this.entries.delete(key)
  }

  private prune(now: number): void {
    for (const [k, e] of this.entries) {
      if (now - e.last < this.windowMs) break
      this.entries.delete(k)
    }
    // Still full: forget the oldest half rather than grow without bound.
    if (this.entries.size >= this.maxKeys) [...this.entries.keys()].slice(0, this.maxKeys / 2).forEach((k) => this.entries.delete(k))
  }
}

export class SignInThrottled extends Error {
  constructor() {
    super('too many sign-in attempts waiting')
  }
}

export class SignInThrottle {
  private readonly names: FailureLog
  private readonly addresses: FailureLog
  /** Names with an attempt in progress, and the attempts queued behind it. */
  private readonly lanes = new Map<string, (() => void)[]>()
  /** Per address: attempts waiting for their name's turn or delay, and failure answers being held back. */
  private readonly attemptsWaiting = new Map<string, number>()
  private readonly answersWaiting = new Map<string, number>()
  private waiting = 0

  constructor(
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly limits: typeof SIGN_IN_THROTTLE = SIGN_IN_THROTTLE,
  ) {
    this.names = new FailureLog(limits.windowMs, limits.maxKeys)
    this.addresses = new FailureLog(limits.windowMs, limits.maxKeys)
  }

  /**
   * Waits for this name's turn and for its delay; resolves with the function that ends the attempt
   * (call it once the failure, if any, is recorded). Throws SignInThrottled when too many wait.
   */
  async enter(name: string, address: string): Promise<() => void> {
    const queue = this.lanes.get(name)
    if (queue) {
      if (queue.length >= this.limits.maxQueuedPerName) throw new SignInThrottled()
      // The attempt before this one hands the lane over when it ends.
      await this.waitFor(this.attemptsWaiting, address, () => new Promise<void>((resolve) => queue.push(resolve)))
    } else {
      this.lanes.set(name, [])
    }
    const release = () => {
      const next = this.lanes.get(name)?.shift()
      if (next) next()
      else this.lanes.delete(name)
    }
    try {
      const failures = this.names.get(name, this.now())
      const wait = failures ? failures.last + this.limits.nameDelayMs(failures.count) - this.now() : 0
      if (wait > 0) await this.waitFor(this.attemptsWaiting, address, () => this.sleep(wait))
    } catch (err) {
      release()
      throw err
    }
    return release
  }

  /** Counts a failed attempt of a name from an address (before the attempt's lane is released). */
  recordFailure(name: string, address: string): number {
    const t = this.now()
    this.names.add(name, t)
    return this.addresses.add(address, t)
  }

  /** A completed sign-in: the name's own failures are forgiven (the address's are not). */
  recordSuccess(name: string): void {
    this.names.clear(name)
  }

  /** Holds back the answer to a failure by the address's delay; throws SignInThrottled when too many wait. */
  async delayFailure(address: string, failures: number): Promise<void> {
    // By the address's failures when this one was recorded: how many came after it (while this answer
    // waited on the database) must not delay it further.
    const wait = this.limits.addressDelayMs(failures)
    if (wait > 0) await this.waitFor(this.answersWaiting, address, () => this.sleep(wait))
  }

  /** The delay before the next attempt of a name may start, in ms (0: at once). */
  nameWaitMs(name: string): number {
    const failures = this.names.get(name, this.now())
    return failures ? Math.max(0, failures.last + this.limits.nameDelayMs(failures.count) - this.now()) : 0
  }

  /**
   * Waits for what `until` starts, counted per address (attempts and answers apart, so that held-back
   * failures never crowd out an attempt) and in all; refuses, before starting it, beyond the bounds.
   */
  private async waitFor(byAddress: Map<string, number>, address: string, until: () => Promise<void>): Promise<void> {
    const mine = byAddress.get(address) ?? 0
    if (mine >= this.limits.maxWaitingPerAddress || this.waiting >= this.limits.maxWaiting) throw new SignInThrottled()
    byAddress.set(address, mine + 1)
    this.waiting++
    try {
      await until()
    } finally {
      this.waiting--
      const left = (byAddress.get(address) ?? 1) - 1
      if (left > 0) byAddress.set(address, left)
      else byAddress.delete(address)
    }
  }
}
