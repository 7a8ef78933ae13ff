import { AsyncLocalStorage } from 'node:async_hooks'
import type pg from 'pg'

/**
 * Read replicas (DATABASE_READ_URL): `db.reader` sends its queries to a PostgreSQL streaming replica,
 * except while the request comes from someone whose own last write the replica has not replayed yet —
 * then to the primary, so that a user always sees their own writes (read-your-writes). The write's
 * position in the primary's write-ahead log (its LSN) travels with the user as a cookie, so this holds
 * whichever server process answers the next request.
 */

const routing = new AsyncLocalStorage<{ primary: boolean }>()

/** A pg pool for Kysely that hands out replica connections, or primary ones inside `run(true, …)`. */
export function routingPool(primary: pg.Pool, replica: pg.Pool) {
  return {
    connect: () => (routing.getStore()?.primary ? primary.connect() : replica.connect()),
    // The primary pool belongs to the primary's Kysely, which ends it.
    end: () => replica.end(),
  }
}

/** A WAL position as PostgreSQL writes it ('16/B374D848'), or null if it is not one. */
export function lsnValue(text: string | null | undefined): bigint | null {
  const m = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text ?? '')
  return m ? (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`) : null
}

/** How long a replica's replay position is trusted before it is asked again. */
const REPLAY_TTL_MS = 50

export interface ReadReplica {
  /** Runs `fn` (a request) with `db.reader` reading from the primary (`primary` true) or the replica. */
  run<T>(primary: boolean, fn: () => T): T
  /** The primary's current WAL insert position: at or past the end of a write that just committed. */
  primaryLsn(): Promise<string>
  /** True when the replica has replayed the WAL up to `lsn`. */
  caughtUp(lsn: string): Promise<boolean>
}

export function readReplica(primary: pg.Pool, replica: pg.Pool): ReadReplica {
  let replayed: { at: number; lsn: bigint } | null = null
  let asking: Promise<bigint> | null = null
  const replay = async (): Promise<bigint> => {
    if (replayed && performance.now() - replayed.at < REPLAY_TTL_MS) return replayed.lsn
    asking ??= replica.query<{ lsn: string | null }>(`SELECT coalesce(pg_last_wal_replay_lsn(), pg_current_wal_lsn())::text AS lsn`)
      .then((r) => {
        const lsn = lsnValue(r.rows[0]?.lsn) ?? 0n
        replayed = { at: performance.now(), lsn }
        return lsn
      })
      .finally(() => { asking = null })
    return asking
  }
  return {
    run: (primaryReads, fn) => routing.run({ primary: primaryReads }, fn),
    async primaryLsn() {
      // The insert position, which includes the write's commit record even before it reaches disk
      // (with synchronous_commit off the write position can still be behind it).
      const r = await primary.query<{ lsn: string }>(`SELECT pg_current_wal_insert_lsn()::text AS lsn`)
      return r.rows[0]!.lsn
    },
    async caughtUp(lsn) {
      const wanted = lsnValue(lsn)
      if (wanted === null) return true
      if (replayed && replayed.lsn >= wanted) return true
      replayed = null
      return (await replay()) >= wanted
    },
  }
}
