import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { expect, test } from 'vitest'
import { createApp } from '../../server/app.js'
import { openDatabase, type Db } from '../../server/db/connect.js'
import { RegionLocator } from '../../server/geo/regions.js'
import { runningWorkerTasks } from '../../server/http/worker-task.js'
import { prepareDatabase } from '../../server/prepare.js'
import { Fixture, TEST_NOW, TEST_SECRET, YUBEI_A, createSession, daysAgo, requester } from '../helpers/app.js'
import { newDatabaseUrl } from '../helpers/database.js'
import { upload } from '../helpers/forms.js'

/** The x/y at zoom z of the tile holding a lon/lat. */
function tileOf([lon, lat]: [number, number], z: number): [number, number] {
  const n = 2 ** z
  const r = (lat * Math.PI) / 180
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)]
}

type Requester = ReturnType<typeof requester>

/** A database a worker thread can open too (a file, or a PostgreSQL database), the app over it and an administrator. */
async function onOwnDatabase(run: (t: { db: Db; app: Requester; fx: Fixture }) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-writes-'))
  const databaseUrl = await newDatabaseUrl(dir)
  const db = openDatabase(databaseUrl)
  try {
    await prepareDatabase(db)
    const fx = new Fixture(db, await RegionLocator.load(db))
    const app = requester(createApp({ db, now: () => TEST_NOW, sessionSecret: TEST_SECRET, databaseUrl }), await createSession(db, { role: 'admin' }))
    await run({ db, app, fx })
  } finally {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Waits until a worker thread runs `module`, or the promise settles first. */
async function workerRuns(module: string, pending: Promise<unknown>): Promise<boolean> {
  let settled = false
  void pending.finally(() => { settled = true })
  for (const deadline = Date.now() + 20_000; Date.now() < deadline && !settled; await new Promise((r) => setTimeout(r, 5))) {
    if (runningWorkerTasks().some((t) => t.module === module)) return true
  }
  return false
}

test('a geodata import is read and written by a worker thread with its own connection: the server answers meanwhile, and the tiles move from the old features to the new all at once', async () => {
  await onOwnDatabase(async ({ db, app, fx }) => {
    const system = await fx.system(await fx.department('渝北区应急局'), '危化品监管系统')
    const resource = await fx.resource(system, '危险化学品企业基础信息', { subcategory: 'hazardous-chemicals' })
    await fx.features([{ resourceId: resource, kind: 'hazard-source', name: '旧储罐', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'red', updatedAt: daysAgo(1) }])
    const [x, y] = tileOf(YUBEI_A, 16)
    const tileNames = async () => {
      const res = await app.request(`/api/tiles/16/${x}/${y}.mvt`, { headers: { 'accept-encoding': 'gzip' } })
      expect(res.status).toBe(200)
      const tile = new VectorTile(new PbfReader(gunzipSync(Buffer.from(await res.arrayBuffer()))))
      return new Set(Object.values(tile.layers).flatMap((l) => Array.from({ length: l.length }, (_, i) => String(l.feature(i).properties.name ?? ''))))
    }
    expect([...await tileNames()]).toEqual(['旧储罐'])

    // 30,000 points in a 2 km square, three of them inside the tile above.
    const features = Array.from({ length: 30_000 }, (_, i) => ({
      type: 'Feature', properties: { 名称: i < 3 ? `新储罐${i}` : `要素${i}` },
      geometry: { type: 'Point', coordinates: i < 3 ? [YUBEI_A[0] + i * 1e-5, YUBEI_A[1]] : [YUBEI_A[0] + 0.005 + (i % 173) * 1e-4, YUBEI_A[1] + 0.005 + Math.floor(i / 173) * 1e-4] },
    }))
    const file = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }))
    const preview = await upload(app, `/api/resources/${resource}/geodata/preview`, file, 'tanks.geojson')
    expect(preview.status).toBe(200)
    expect(preview.body.problemCount).toBe(0)

    const importing = upload(app, `/api/resources/${resource}/geodata/import`, file, 'tanks.geojson', { planHash: preview.body.planHash })
    expect(await workerRuns('import-worker', importing)).toBe(true)
    // The event loop is free while the worker writes: other requests are answered before the import ends.
    const meta = await app.request('/api/meta')
    expect(meta.status).toBe(200)
    expect(runningWorkerTasks().map((t) => t.module)).toContain('import-worker')

    const done = await importing
    expect(done.status).toBe(200)
    expect(done.body).toMatchObject({ resourceId: resource, inserted: 30_000, removed: 1 })
    const stored = await db.kysely.selectFrom('features').select(db.kysely.fn.countAll<number>().as('n')).where('resource_id', '=', resource).executeTakeFirstOrThrow()
    expect(Number(stored.n)).toBe(30_000)

    // Each tile shows one version of the data, the old or the new, never a mixture; the new one soon.
    let names = await tileNames()
    for (const deadline = Date.now() + 30_000; Date.now() < deadline && !names.has('新储罐0'); await new Promise((r) => setTimeout(r, 200))) {
      expect(names.has('旧储罐') && names.has('新储罐0')).toBe(false)
      names = await tileNames()
    }
    expect(names.has('旧储罐')).toBe(false)
    expect(names.has('新储罐0')).toBe(true)
  })
}, 90_000)

test('an import whose resource changed while the file was being read writes nothing and asks for a new preview', async () => {
  await onOwnDatabase(async ({ db, app, fx }) => {
    const system = await fx.system(await fx.department('渝北区应急局'), '危化品监管系统')
    const resource = await fx.resource(system, '危险化学品企业基础信息', { subcategory: 'hazardous-chemicals' })
    await fx.features([{ resourceId: resource, kind: 'hazard-source', name: '旧储罐', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'red', updatedAt: daysAgo(1) }])
    const file = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 名称: '新储罐' }, geometry: { type: 'Point', coordinates: YUBEI_A } }] }))
    const preview = await upload(app, `/api/resources/${resource}/geodata/preview`, file, 'tanks.geojson')
    expect(preview.status).toBe(200)
    await fx.features([{ resourceId: resource, kind: 'hazard-source', name: '另一储罐', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'blue', updatedAt: daysAgo(0) }])
    const done = await upload(app, `/api/resources/${resource}/geodata/import`, file, 'tanks.geojson', { planHash: preview.body.planHash })
    expect(done.status).toBe(409)
    expect(done.body.error.code).toBe('plan_changed')
    expect(done.body.error.details.preview.existingFeatures).toBe(2)
    const names = (await db.kysely.selectFrom('features').select('name').where('resource_id', '=', resource).orderBy('name').execute()).map((r) => r.name)
    expect(names).toEqual(['另一储罐', '旧储罐'])
  })
}, 60_000)
