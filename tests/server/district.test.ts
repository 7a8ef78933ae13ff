import { test, expect } from 'vitest'
import { loadConfig } from '../../server/config.js'
import { prepareDatabase } from '../../server/prepare.js'
import { RegionLocator, districtNamed, loadBoundaries } from '../../server/geo/regions.js'
import { pointInArea, type Geometry, type Position } from '../../server/geo/geometry.js'
import { generateDemo, DEFAULT_SEED } from '../../server/demo/generate.js'
import { loadFormContext } from '../../server/forms/queries.js'
import { createApp } from '../../server/app.js'
import { TEST_NOW, TEST_SECRET, createSession, requester } from '../helpers/app.js'
import { emptyDatabase } from '../helpers/database.js'

// An atlas serves one district (ATLAS_DISTRICT, 渝北区 by default); a city gathers several, so each
// district's atlas — and its demo — can be any district of Chongqing.

test('ATLAS_DISTRICT names the district by name or code; anything else stops the server with a message saying so', () => {
  expect(loadConfig({}).district).toEqual({ code: '500112', name: '渝北区' })
  expect(loadConfig({ ATLAS_DISTRICT: '江北区' }).district).toEqual({ code: '500105', name: '江北区' })
  expect(loadConfig({ ATLAS_DISTRICT: '500240' }).district).toEqual({ code: '500240', name: '石柱土家族自治县' })
  expect(() => loadConfig({ ATLAS_DISTRICT: '朝阳区' })).toThrow(/ATLAS_DISTRICT: 朝阳区 is not a district of Chongqing; give its name or code, e.g. 江北区 or 500105/)
})

test("江北区's atlas: its grid, its demo inside its own boundary, its departments' names, and forms that know them", async () => {
  const db = await emptyDatabase()
  try {
    const district = districtNamed('江北区')!
    await prepareDatabase(db, district)
    const summary = await generateDemo(db, await RegionLocator.load(db), { scale: 0.1, seed: DEFAULT_SEED + 5, now: TEST_NOW, district })
    expect(summary.features).toBeGreaterThan(1500)

    // Every feature lies inside 江北区 and is attributed to it and to one of its grid cells.
    const boundary = loadBoundaries().find((b) => b.properties.code === '500105')!
    const features = await db.kysely.selectFrom('features').select(['geometry', 'district_code', 'cell_id']).execute()
    for (const f of features) {
      const g = JSON.parse(f.geometry) as Geometry
      const positions: Position[] = g.type === 'Point' ? [g.coordinates] : g.type === 'LineString' ? g.coordinates : g.type === 'Polygon' ? g.coordinates.flat() : g.coordinates.flat(2)
      for (const p of positions) expect(pointInArea(p, boundary.geometry), `outside 江北区: ${p}`).toBe(true)
      expect(f.district_code).toBe('500105')
      expect(f.cell_id).not.toBeNull()
    }
    const cells = await db.kysely.selectFrom('regions').select('parent_code').where('kind', '=', 'grid').execute()
    expect(new Set(cells.map((c) => c.parent_code))).toEqual(new Set(['500105']))

    // The authored departments and systems carry the district's name, never 渝北.
    const departments = (await db.kysely.selectFrom('departments').select('name').execute()).map((d) => d.name)
    expect(departments).toContain('江北区应急局')
    const names = [...departments, ...(await db.kysely.selectFrom('systems').select('name').execute()).map((s) => s.name)]
    expect(names.filter((n) => n.includes('渝北'))).toEqual([])

    // The forms recognise the district's department names, in full and short.
    const ctx = await loadFormContext(db)
    expect(ctx.department('江北区应急局')?.name).toBe('江北区应急局')
    expect(ctx.department('区应急局')?.name).toBe('江北区应急局')

    // The app says which district it serves.
    const app = requester(createApp({ db, now: () => TEST_NOW, sessionSecret: TEST_SECRET }), await createSession(db, { role: 'admin' }))
    const meta = (await (await app.request('/api/meta')).json()) as { district: { code: string; name: string } }
    expect(meta.district).toEqual({ code: '500105', name: '江北区' })

    // A database made for one district is not silently reused for another.
    await expect(prepareDatabase(db, districtNamed('渝北区')!)).rejects.toThrow(/this database belongs to 江北区 \(500105\), not 渝北区: set ATLAS_DISTRICT=江北区 or use another database/)
  } finally {
    await db.close()
  }
})
