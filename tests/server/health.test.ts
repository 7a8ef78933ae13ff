import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { test } from 'vitest'
import { createApp } from '../../server/app.js'
import { sql } from 'kysely'
import { migrateToLatest } from '../../server/db/migrate.js'
import { startServer } from '../helpers/browser.js'
import { TEST_NOW, testApp } from '../helpers/app.js'
import { emptyDatabase } from '../helpers/database.js'

test('health answers while the process runs; ready once the database answers with its schema current, and not while draining', async () => {
  const t = await testApp()
  const health = await t.raw.request('/api/health')
  assert.equal(health.status, 200)
  assert.equal(((await health.json()) as { status: string }).status, 'ok')
  const ready = await t.raw.request('/api/ready')
  assert.equal(ready.status, 200)
  assert.deepEqual(await ready.json(), { status: 'ready' })

  let draining = false
  const app = createApp({ db: t.db, now: () => TEST_NOW, draining: () => draining })
  draining = true
  const leaving = await app.request('/api/ready')
  assert.equal(leaving.status, 503)
  assert.equal(((await leaving.json()) as { status: string }).status, 'draining')
})

test('ready is 503 naming the migrations a database has not run', async () => {
  const db = await emptyDatabase()
  await migrateToLatest(db)
  await sql`DELETE FROM kysely_migration WHERE name = '0009-two-factor'`.execute(db.kysely)
  const res = await createApp({ db, now: () => TEST_NOW }).request('/api/ready')
  assert.equal(res.status, 503)
  const body = (await res.json()) as { status: string; reason: string }
  assert.equal(body.status, 'migrations_pending')
  assert.match(body.reason, /0009-two-factor/)
})

test('on SIGTERM the server finishes a request in flight, answers it, and exits cleanly', async () => {
  const server = await startServer({ enrolAdmin: false })
  try {
    const { port } = new URL(server.url)
    const socket = connect(Number(port), '127.0.0.1')
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    let answer = ''
    socket.on('data', (d: Buffer) => (answer += d.toString()))
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    // Half a request: the server has it in flight when the signal comes.
    socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    await new Promise((r) => setTimeout(r, 200))
    const exited = server.signal('SIGTERM')
    await new Promise((r) => setTimeout(r, 300))
    socket.write('Accept: application/json\r\n\r\n')
    await closed
    assert.match(answer, /^HTTP\/1\.1 200 /, answer)
    assert.match(answer, /"status":"ok"/)
    assert.equal(await exited, 0, server.output())
    assert.match(server.output(), /SIGTERM: finishing the requests in flight, then stopping/)
  } finally {
    await server.stop()
  }
})
