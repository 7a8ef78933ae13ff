import type { Db } from '../db/connect.js'
import type { VersionName } from '../db/versions.js'
import { eventsAfter, firstEventId, lastEventId } from './queries.js'

/**
 * The live events of this server process: what `live_events` gained (new alarms, their steps), read in
 * order and handed to every connected event stream, and the data versions when they move. Events are
 * rows, not messages between processes: every process reads the same table (at once when it wrote
 * itself, else within POLL_MS), so a client of any replica gets every event, and a client that
 * reconnects asks for what came after the last id it saw.
 */
export interface LiveEvent {
  id: number
  at: string
  type: string
  resourceId: number | null
  departmentId: number | null
  data: unknown
}

export type LiveMessage = { kind: 'events'; events: LiveEvent[] } | { kind: 'versions'; versions: Record<VersionName, number> } | { kind: 'closing' }

/** How often a process with connected clients looks for events other processes wrote. */
export const POLL_MS = 200
/** Events read per query (a burst is read in several). */
const BATCH = 500

export class LiveHub {
  private readonly listeners = new Set<(m: LiveMessage) => void>()
  private last: number | null = null
  private versions: string | null = null
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private again = false

  constructor(private readonly db: Db, private readonly pollMs = POLL_MS) {}

  /**
   * Calls `listener` with every message until the returned function is called; polling runs while anyone
   * listens. `from`: the last event id the listener has (events after it are read; a listener that wants
   * older ones reads them with since()).
   */
  subscribe(listener: (m: LiveMessage) => void, from: number): () => void {
    this.listeners.add(listener)
    this.last ??= from
    if (!this.timer) {
      this.timer = setInterval(() => this.wake(), this.pollMs)
      this.timer.unref()
    }
    return () => {
      this.listeners.delete(listener)
      if (!this.listeners.size && this.timer) {
        clearInterval(this.timer)
        this.timer = null
        this.last = null
        this.versions = null
      }
    }
  }

  /** The process is stopping: every stream ends (its client reconnects, to another process if there is one). */
  close(): void {
    this.emit({ kind: 'closing' })
  }

  /** Reads new events now (this process has just written some). */
  wake(): void {
    if (!this.listeners.size) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.read().catch(() => {}).finally(() => {
      this.running = null
      if (this.again) {
        this.again = false
        this.wake()
      }
    })
  }

  /** The newest event id now (a client that connects starts after it). */
  async newest(): Promise<number> {
    return lastEventId(this.db.kysely)
  }

  /** Events after `id` (up to `limit`), and whether older ones the client missed are gone already. */
  async since(id: number, limit: number): Promise<{ events: LiveEvent[]; gap: boolean }> {
    const first = await firstEventId(this.db.kysely)
    return { events: await eventsAfter(this.db.kysely, id, limit), gap: first > id + 1 }
  }

  private async read(): Promise<void> {
    const versions = await this.db.versions.all()
    const key = `${versions.features}/${versions.catalog}/${versions.search}`
    // Also on the first read: a listener compares with the versions it started from.
    if (key !== this.versions) this.emit({ kind: 'versions', versions })
    this.versions = key
    for (;;) {
      const events = await eventsAfter(this.db.kysely, this.last ?? 0, BATCH)
      if (!events.length) return
      this.last = events[events.length - 1]!.id
      this.emit({ kind: 'events', events })
      if (events.length < BATCH) return
    }
  }

  private emit(m: LiveMessage): void {
    for (const l of this.listeners) {
      try {
        l(m)
      } catch {
        // One client's failure is not the others'.
      }
    }
  }
}

const hubs = new WeakMap<Db, LiveHub>()

/** The one hub of a database in this process. */
export function liveHubOf(db: Db): LiveHub {
  let hub = hubs.get(db)
  if (!hub) hubs.set(db, (hub = new LiveHub(db)))
  return hub
}
