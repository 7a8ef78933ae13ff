import { test, expect } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { openSqlite, type Db } from '../../server/db/connect.js'
import { copyDatabase, COPIED_TABLES, DERIVED_TABLES } from '../../server/db/copy.js'
import { prepareDatabase } from '../../server/prepare.js'
import { RegionLocator } from '../../server/geo/regions.js'
import { createApp } from '../../server/app.js'
import { Fixture, TEST_NOW, TEST_SECRET, YUBEI_A, YUBEI_B, createSession, daysAgo, requester } from '../helpers/app.js'
import { emptyDatabase, testEngine } from '../helpers/database.js'

/** Every row of every table, in a stable order, with the values as JavaScript sees them. */
async function content(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const table of [...COPIED_TABLES, ...DERIVED_TABLES]) {
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db.kysely)).rows
    out[table] = rows.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]))).sort()
  }
  return out
}

test(`db:copy round trip SQLite → ${testEngine() === 'postgres' ? 'PostgreSQL' : 'SQLite'} → SQLite leaves every table's row count and content equal`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-copy-'))
  const source = openSqlite(join(dir, 'source.sqlite'))
  const back = openSqlite(join(dir, 'back.sqlite'))
  const middle = await emptyDatabase()
  try {
    // A district with a catalog, features, update history, users, a session and audit entries.
    await prepareDatabase(source)
    const fx = new Fixture(source, await RegionLocator.load(source))
    const dept = await fx.department('渝北区应急局')
    const system = await fx.system(dept, '危化品监管系统')
    const resource = await fx.resource(system, '危险化学品企业基础信息', { subcategory: 'hazardous-chemicals' })
    await fx.items(resource, ['企业名称', '统一社会信用代码'])
    await fx.update(resource, daysAgo(3), 120)
    await fx.features([
      { resourceId: resource, kind: 'hazard-source', name: '某化工仓库', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'red', indicators: { exposure: 90 }, impactRadiusM: 800, updatedAt: daysAgo(1) },
      { resourceId: resource, kind: 'protection-target', name: '某学校', geometry: { type: 'Polygon', coordinates: [[YUBEI_A, YUBEI_B, [YUBEI_B[0], YUBEI_A[1]], YUBEI_A]] }, updatedAt: daysAgo(1) },
    ])
    const admin = await createSession(source, { role: 'admin' })
    const app = requester(createApp({ db: source, now: () => TEST_NOW, sessionSecret: TEST_SECRET }), admin)
    expect((await app.request('/api/forms/resources/export.xlsx')).status).toBe(200) // an export is audited
    // A deleted department: its id must not be given again after the copy.
    const gone = await fx.department('临时部门')
    await source.kysely.deleteFrom('departments').where('id', '=', gone).execute()

    const there = await copyDatabase(source, middle)
    expect(there.tables.filter((t) => !t.same)).toEqual([])
    const home = await copyDatabase(middle, back)
    expect(home.tables.filter((t) => !t.same)).toEqual([])

    const [a, b] = [await content(source), await content(back)]
    for (const table of COPIED_TABLES) expect(b[table], table).toEqual(a[table])
    expect(a.features).toHaveLength(2)
    expect(a.audit_log!.length).toBeGreaterThan(0)
    // The derived tables agree (the R*Trees hold 32-bit boxes on SQLite: compared through the copy's own check above).
    for (const table of ['feature_summary', 'feature_tally', 'catalog_search', 'resource_item_counts'] as const) expect(b[table], table).toEqual(a[table])

    // Ids continue past every id the source gave, including the deleted department's.
    const next = await new Fixture(back, await RegionLocator.load(back)).department('新部门')
    expect(next).toBeGreaterThan(gone)
    const inMiddle = await new Fixture(middle, await RegionLocator.load(middle)).department('新部门')
    expect(inMiddle).toBeGreaterThan(gone)
  } finally {
    await source.close()
    await back.close()
    await middle.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('db:copy refuses a target that already holds data, and a source that is not migrated', async () => {
  const source = openSqlite(':memory:')
  const target = await emptyDatabase()
  try {
    await prepareDatabase(source)
    await prepareDatabase(target)
    await expect(copyDatabase(source, target)).rejects.toThrow(/the target database is not empty \(table meta has rows\)/)
    const unmigrated = openSqlite(':memory:')
    await expect(copyDatabase(unmigrated, await emptyDatabase())).rejects.toThrow(/the source database is not up to date/)
    await unmigrated.close()
  } finally {
    await source.close()
    await target.close()
  }
})
