import { test, expect } from 'vitest'
import { createApp } from '../../server/app.js'
import { openPostgres } from '../../server/db/connect.js'
import { prepareDatabase } from '../../server/prepare.js'
import { RegionLocator } from '../../server/geo/regions.js'
import { WROTE_COOKIE } from '../../server/http/read-your-writes.js'
import { postgisInstalled, postgresBin, psql, startCluster, startReplica } from '../../scripts/postgres-cluster.js'
import { Fixture, TEST_NOW, TEST_SECRET, createSession, type TestSession } from '../helpers/app.js'
import { testEngine } from '../helpers/database.js'

// A real streaming replica (pg_basebackup -R of a throwaway primary): reads go to it, writes to the
// primary, and whoever wrote sees their write at once, even while the replica lags.
const bin = postgresBin()
test.skipIf(testEngine() !== 'postgres' || !bin || !postgisInstalled(bin))('with DATABASE_READ_URL, reads go to the streaming replica and writes to the primary; a user sees their own write at once (read-your-writes)', async () => {
  const primary = startCluster(bin!, { prefix: 'atlas-test-primary-' })
  let replica: ReturnType<typeof startReplica> | null = null
  let db: ReturnType<typeof openPostgres> | null = null
  try {
    psql(primary, 'postgres', 'CREATE DATABASE atlas')
    const setup = openPostgres(primary.url('atlas'))
    await prepareDatabase(setup)
    const fx = new Fixture(setup, await RegionLocator.load(setup))
    const dept = await fx.department('渝北区应急局')
    const system = await fx.system(dept, '危化品监管系统')
    const resource = await fx.resource(system, '危险化学品企业基础信息', { subcategory: 'hazardous-chemicals' })
    await fx.items(resource, ['企业名称'])
    const writer = await createSession(setup, { role: 'admin', username: 'writer' })
    const reader = await createSession(setup, { role: 'admin', username: 'reader' })
    await setup.close()
    replica = startReplica(primary)

    db = openPostgres(primary.url('atlas'), { readUrl: replica.url('atlas') })
    const app = createApp({ db, now: () => TEST_NOW, sessionSecret: TEST_SECRET, sleep: async () => {} })
    const request = (s: TestSession, path: string, init: RequestInit = {}, wrote?: string) => app.request(path, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), cookie: [s.cookie, wrote && `${WROTE_COOKIE}=${wrote}`].filter(Boolean).join('; '), 'x-csrf-token': s.csrf },
    })
    const itemsSeenBy = async (s: TestSession, wrote?: string) => {
      const res = await request(s, `/api/resources/${resource}`, {}, wrote)
      expect(res.status).toBe(200)
      return ((await res.json()) as { items: { name: string }[] }).items.map((i) => i.name)
    }
    expect(await itemsSeenBy(reader)).toEqual(['企业名称'])

    // The replica stops replaying the WAL: from now on it lags behind the primary.
    psql(replica, 'postgres', 'SELECT pg_wal_replay_pause()')
    const body = { name: '危险化学品企业基础信息', subcategoryCode: 'hazardous-chemicals', provisionMode: 'database', updateCycle: 'monthly', subjectClass: 'thing',
      purpose: 'basic', sharingAttribute: 'conditional', sensitivity: 'internal', reviewer: '', filler: '', phone: '', filledAt: null,
      items: [{ name: '企业名称', dataType: 'C', length: 50 }, { name: '统一社会信用代码', dataType: 'C', length: 18 }] }
    const written = await request(writer, `/api/resources/${resource}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect(written.status, await written.clone().text()).toBe(200)
    const wrote = /csa_wrote=([^;]+)/.exec(written.headers.get('set-cookie') ?? '')?.[1]
    expect(decodeURIComponent(wrote ?? ''), 'the write hands its WAL position to the writer').toMatch(/^[0-9A-F]+\/[0-9A-F]+$/)

    // The writer reads their own write (from the primary); someone else reads the lagging replica.
    expect(await itemsSeenBy(writer, wrote)).toEqual(['企业名称', '统一社会信用代码'])
    expect(await itemsSeenBy(reader)).toEqual(['企业名称'])

    // Once the replica replays again, everyone sees the write, from the replica.
    psql(replica, 'postgres', 'SELECT pg_wal_replay_resume()')
    const deadline = Date.now() + 10_000
    let seen = await itemsSeenBy(reader)
    while (seen.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50))
      seen = await itemsSeenBy(reader)
    }
    expect(seen).toEqual(['企业名称', '统一社会信用代码'])
    expect(await db.replica!.caughtUp(decodeURIComponent(wrote!))).toBe(true)
    // Writes never reach the replica: it is read-only, and the write above succeeded.
    expect(() => psql(replica!, 'atlas', `INSERT INTO meta (key, value) VALUES ('x', 'y')`)).toThrow(/read-only transaction/)
  } finally {
    await db?.close()
    replica?.stop()
    primary.stop()
  }
})
