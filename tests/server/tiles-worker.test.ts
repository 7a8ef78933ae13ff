import { expect, test } from 'vitest'
import { runningWorkerTasks } from '../../server/http/worker-task.js'
import { YUBEI_A, daysAgo, onOwnDatabase, tileNames } from '../helpers/app.js'

test('over a database the server can open again (a file, a PostgreSQL server), the tile index of over 30,000 features is built by worker threads, answered, then stored, and an edit reaches the tiles', async () => {
  await onOwnDatabase(async ({ db, app, fx }) => {
    const system = await fx.system(await fx.department('渝北区应急局'), '危化品监管系统')
    const resource = await fx.resource(system, '危险化学品企业基础信息', { subcategory: 'hazardous-chemicals' })
    await fx.features([{ resourceId: resource, kind: 'hazard-source', name: '一号储罐', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'red', updatedAt: daysAgo(1) }])
    // Enough features that the index is built by workers (a small one is built in the server's thread).
    await fx.features(Array.from({ length: 31_000 }, (_, i) => ({
      resourceId: resource, kind: 'hazard-source' as const, name: `远处储罐${i}`, riskLevel: 'blue' as const, updatedAt: daysAgo(2),
      geometry: { type: 'Point' as const, coordinates: [YUBEI_A[0] + 0.05 + (i % 200) * 1e-4, YUBEI_A[1] + 0.05 + Math.floor(i / 200) * 1e-4] as [number, number] },
    })))
    const names = () => tileNames(app, YUBEI_A, 16)
    // The first tile waits for the index, which workers build meanwhile.
    let settled = false
    const first = names().finally(() => { settled = true })
    let workers = 0
    while (!settled) {
      workers = Math.max(workers, runningWorkerTasks().filter((t) => t.module === 'tiles/index-worker').length)
      await new Promise((r) => setTimeout(r, 5))
    }
    expect(await first).toEqual(['一号储罐'])
    expect(workers).toBe(2)
    // Each worker answers its part first, then stores it for the next start.
    let stored: string[] = []
    for (const deadline = Date.now() + 10_000; Date.now() < deadline && stored.length < 2; await new Promise((r) => setTimeout(r, 50))) {
      stored = (await db.kysely.selectFrom('tile_index').select('name').orderBy('name').execute()).map((r) => r.name)
    }
    expect(stored).toEqual(['points', 'shapes'])

    await fx.features([{ resourceId: resource, kind: 'hazard-source', name: '二号储罐', geometry: { type: 'Point', coordinates: [YUBEI_A[0] + 1e-4, YUBEI_A[1]] }, riskLevel: 'orange', updatedAt: daysAgo(0) }])
    // The new index is built off the event loop; a tile asked meanwhile is drawn from the previous one.
    let seen: string[] = []
    for (const deadline = Date.now() + 20_000; Date.now() < deadline && seen.length < 2; await new Promise((r) => setTimeout(r, 200))) seen = await names()
    expect(seen).toEqual(['一号储罐', '二号储罐'])
  })
}, 60_000)

test('while the index is rebuilt after a write, tiles are drawn from the previous one at once; the new one takes over when it is ready', async () => {
  // Thresholds as for a large database: the index is built by workers and tiles never wait for a rebuild.
  await onOwnDatabase(async ({ app, fx }) => {
    const system = await fx.system(await fx.department('渝北区应急局'), '危化品监管系统')
    const resource = await fx.resource(system, '危险化学品企业基础信息', { subcategory: 'hazardous-chemicals' })
    await fx.features([{ resourceId: resource, kind: 'hazard-source', name: '一号储罐', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'red', updatedAt: daysAgo(1) }])
    const names = () => tileNames(app, YUBEI_A, 16)
    expect(await names()).toEqual(['一号储罐'])
    const rebuilding = () => runningWorkerTasks().filter((t) => t.module === 'tiles/index-worker').length

    await fx.features([{ resourceId: resource, kind: 'hazard-source', name: '二号储罐', geometry: { type: 'Point', coordinates: [YUBEI_A[0] + 1e-4, YUBEI_A[1]] }, riskLevel: 'orange', updatedAt: daysAgo(0) }])
    // The first tile asked once the server has seen the write (at once on SQLite; on PostgreSQL when the
    // version's notification arrives) starts the rebuild, and is drawn from the previous index.
    let during: string[] = []
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
      during = await names()
      if (rebuilding() > 0) break
    }
    expect(rebuilding()).toBe(2)
    expect(during).toEqual(['一号储罐'])
    let seen = during
    for (const deadline = Date.now() + 20_000; Date.now() < deadline && seen.length < 2; await new Promise((r) => setTimeout(r, 100))) seen = await names()
    expect(seen).toEqual(['一号储罐', '二号储罐'])
  }, { tiles: { inThreadFeatures: 0, quickRebuildFeatures: 0, prebuild: false } })
}, 60_000)
