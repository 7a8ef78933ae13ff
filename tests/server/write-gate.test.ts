import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { expect, test } from 'vitest'
import { openSqlite } from '../../server/db/connect.js'
import { inWriteTransaction } from '../../server/db/dialect.js'

test('on SQLite, while a worker thread writes, this thread\'s writes wait at the gate without holding the event loop; its reads and its open transactions go on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-gate-'))
  const db = openSqlite(join(dir, 'gate.sqlite'))
  try {
    await sql`CREATE TABLE t (v INTEGER)`.execute(db.kysely)
    const count = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM t`.execute(db.kysely)).rows[0]!.n)
    let release!: () => void
    const held = db.writeGate.hold(() => new Promise<void>((r) => { release = r }))
    expect(db.writeGate.busy).toBe(true)

    let inserted = false
    const insert = db.kysely.insertInto('t' as never).values({ v: 1 } as never).execute().then(() => { inserted = true })
    let transacted = false
    const transaction = inWriteTransaction(db, async (trx) => { await sql`INSERT INTO t (v) VALUES (2)`.execute(trx) }).then(() => { transacted = true })
    // Timers still fire (the event loop runs) and reads are answered, while the writes wait.
    await new Promise((r) => setTimeout(r, 50))
    expect(await count()).toBe(0)
    expect(inserted || transacted).toBe(false)

    release()
    await held
    await Promise.all([insert, transaction])
    expect(await count()).toBe(2)
    expect(db.writeGate.busy).toBe(false)

    // A transaction that began before the gate was taken finishes: its later statements do not wait.
    await inWriteTransaction(db, async (trx) => {
      await sql`INSERT INTO t (v) VALUES (3)`.execute(trx)
      let done!: () => void
      void db.writeGate.hold(() => new Promise<void>((r) => { done = r }))
      await sql`INSERT INTO t (v) VALUES (4)`.execute(trx)
      done()
    })
    expect(await count()).toBe(4)
  } finally {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
