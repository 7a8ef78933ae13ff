import pg from 'pg'
import { sql, type Kysely } from 'kysely'
import type { Database } from './schema.js'

/**
 * The data versions that the in-memory caches (catalog, search index, tile feature index, statistics
 * tallies, tile cache) are keyed by. Triggers count every change (migrations 0004 and 0007), whichever
 * process or program wrote it:
 * - `features`: the features table; `catalog`: resources, their update history, systems, departments,
 *   sub-categories; `search`: the names the catalog search looks in.
 */
export type VersionName = 'features' | 'catalog' | 'search'

export interface DataVersions {
  /** The current version of a counter. */
  get(name: VersionName): Promise<number>
  /** All the counters at once (one read on SQLite). */
  all(): Promise<Record<VersionName, number>>
  /** Reads the counters again now (after this process wrote, so that its next answer includes the write). */
  refresh(): Promise<void>
  close(): Promise<void>
}

const READ_ALL = sql<{ name: VersionName; version: number }>`SELECT name, version FROM data_versions UNION ALL SELECT 'search' AS name, version FROM search_version`

/**
 * SQLite: one process, or several on one file — every request asks, and sees every writer's change at
 * once: the counters are read again whenever the database's change stamp moved (one pragma, no query).
 */
export function sqliteVersions(kysely: Kysely<Database>, changeStamp: () => string): DataVersions {
  // Read again only when something may have been written since the last read (connect.ts).
  let kept: { stamp: string; versions: Record<VersionName, number> } | null = null
  const all = async (): Promise<Record<VersionName, number>> => {
    const stamp = changeStamp()
    if (kept && kept.stamp === stamp) return kept.versions
    const { rows } = await READ_ALL.execute(kysely)
    const versions = { features: 0, catalog: 0, search: 0 }
    for (const r of rows) versions[r.name] = Number(r.version)
    kept = { stamp, versions: Object.freeze(versions) }
    return kept.versions
  }
  return {
    async get(name) {
      return (await all())[name]
    },
    all,
    async refresh() {},
    async close() {},
  }
}

/** How often a PostgreSQL process reads the counters even without a notification (a notification missed while reconnecting). */
export const VERSION_POLL_MS = 1000

/**
 * PostgreSQL: several processes, possibly on several machines. Each keeps the counters in memory; the
 * triggers' `pg_notify('atlas_data_version', …)` (sent at commit) makes every listening process read
 * them again at once, and a read every VERSION_POLL_MS is the fallback if a notification is missed
 * (the listening connection dropped and is being opened again).
 */
export function postgresVersions(kysely: Kysely<Database>, url: string): DataVersions {
  let snapshot: Map<VersionName, number> | null = null
  let pending: Promise<void> | null = null
  let listener: pg.Client | null = null
  let timer: NodeJS.Timeout | null = null
  let closed = false
  let started: Promise<void> | null = null

  // Counters only grow: whichever of two overlapping reads ends last, the larger value stays.
  const read = async () => {
    const { rows } = await READ_ALL.execute(kysely)
    const next = new Map(snapshot ?? [])
    for (const r of rows) next.set(r.name, Math.max(next.get(r.name) ?? 0, Number(r.version)))
    snapshot = next
  }
  // Notifications and the poll: at most one background read at a time.
  const background = () => {
    pending ??= read().catch(() => {}).finally(() => { pending = null })
  }

  const listen = async () => {
    if (closed) return
    const client = new pg.Client({ connectionString: url, application_name: 'city-safety-atlas versions' })
    client.on('notification', background)
    client.on('error', () => {
      // The connection broke: polling carries on; listen again shortly and read what was missed.
      if (listener === client) listener = null
      client.end().catch(() => {})
      if (!closed) setTimeout(() => void listen().then(background).catch(() => {}), 500).unref()
    })
    await client.connect()
    await client.query('LISTEN atlas_data_version')
    if (closed) await client.end()
    else listener = client
  }

  const start = () => {
    started ??= (async () => {
      await read()
      timer = setInterval(background, VERSION_POLL_MS)
      timer.unref()
      await listen().catch(() => {
        if (!closed) setTimeout(() => void listen().catch(() => {}), 500).unref()
      })
    })()
    return started
  }

  return {
    async get(name) {
      if (!snapshot) await start()
      return snapshot!.get(name) ?? 0
    },
    async all() {
      if (!snapshot) await start()
      return { features: snapshot!.get('features') ?? 0, catalog: snapshot!.get('catalog') ?? 0, search: snapshot!.get('search') ?? 0 }
    },
    async refresh() {
      // A read of its own: one already under way may have begun before the caller's write committed.
      if (!snapshot) await start()
      else await read()
    },
    async close() {
      closed = true
      if (timer) clearInterval(timer)
      await listener?.end().catch(() => {})
      listener = null
    },
  }
}
