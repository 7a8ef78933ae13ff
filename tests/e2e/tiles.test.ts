import assert from 'node:assert/strict'
import { afterAll, beforeAll, test } from 'vitest'
import type { Browser } from 'playwright-core'
import { collectDialogs, pointOnMap, launchBrowser, nameFeatureHostile, newContext, startServer } from '../helpers/browser.js'
import type { RunningServer } from '../helpers/browser.js'

const HOSTILE = '<img src=x onerror=alert(2)>'

// A demo city twice the default size (~40,000 features): above the threshold where the map switches
// from GeoJSON to vector tiles.
let server: RunningServer
let browser: Browser
let feature: { id: number; lon: number; lat: number }

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer({ env: { DEMO_SCALE: '2' }, timeoutMs: 180_000 }), launchBrowser()])
  feature = nameFeatureHostile(server, 'hazard-source', HOSTILE)
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

test('a large data set is drawn from vector tiles: clusters with counts, a filter reaches the tiles, a click opens the feature safely', async () => {
  const context = await newContext(browser, undefined, server)
  const page = await context.newPage()
  const dialogs = collectDialogs(page)
  const tileRequests: string[] = []
  page.on('request', (r) => { if (r.url().includes('/api/tiles/')) tileRequests.push(r.url()) })
  await page.goto(`${server.url}/`)
  await page.waitForSelector('.atlas-map[data-map-state="drawn"][data-map-mode="tiles"]', { timeout: 90_000 })
  assert.ok(Number(await page.getAttribute('.atlas-map', 'data-feature-count')) > 30_000, 'the legend counts every feature, from the statistics')
  const overview = await page.evaluate(() => {
    const map = (globalThis as any).__atlas['map:main']
    const drawn = map.queryRenderedFeatures({ layers: ['clusters', 'points', 'alert-points', 'alert-clusters', 'pipelines', 'areas-fill'] })
    const clusters = drawn.filter((f: any) => f.properties.cluster)
    return { drawn: drawn.length, clusters: clusters.length, counted: clusters.reduce((s: number, f: any) => s + f.properties.point_count, 0) }
  })
  assert.ok(overview.clusters > 10, `clusters drawn (${overview.clusters})`)
  assert.ok(overview.counted > 10_000, `clusters stand for many points (${overview.counted})`)
  assert.ok(await page.isVisible('text=加载要素…') === false)

  // Switching a kind off in the legend narrows the tiles' kind filter: those features disappear.
  tileRequests.length = 0
  await page.check('input[data-kind="monitoring-point"]').catch(() => undefined)
  await page.uncheck('input[data-kind="monitoring-point"]')
  await page.waitForFunction(() => (globalThis as any).document.querySelector('.atlas-map')?.dataset.mapState === 'drawn', null, { timeout: 60_000 })
  const kinds = await page.evaluate(async (f) => {
    const map = (globalThis as any).__atlas['map:main']
    map.jumpTo({ center: [f.lon, f.lat], zoom: 15.5 })
    await new Promise((r) => map.once('idle', r))
    return [...new Set(map.queryRenderedFeatures({ layers: ['points', 'alert-points', 'pipelines', 'areas-fill'] }).map((x: any) => x.properties.kind))]
  }, feature)
  assert.ok(tileRequests.length > 0 && tileRequests.every((u) => new URL(u).searchParams.get('kind')?.split(',').includes('monitoring-point') === false),
    'tiles are requested without the switched-off kind')
  assert.ok(kinds.length > 0 && !kinds.includes('monitoring-point'), `kinds drawn: ${kinds.join(', ')}`)

  // Street level, unfiltered: the red hazard source is a single feature; hover and click show its name as text.
  await page.goto(`${server.url}/`)
  await page.waitForSelector('.atlas-map[data-map-state="drawn"][data-map-mode="tiles"]', { timeout: 60_000 })
  const at = await pointOnMap(page, feature, 17)
  await page.mouse.move(at.x, at.y)
  await page.waitForSelector('.atlas-hover-label')
  assert.equal(await page.textContent('.atlas-hover-label'), HOSTILE)
  await page.mouse.click(at.x, at.y)
  await page.waitForSelector('.atlas-popup__name')
  assert.equal(await page.textContent('.atlas-popup__name'), HOSTILE, 'the popup shows the name literally')
  assert.equal(await page.locator('.atlas-popup img, .atlas-hover img').count(), 0)
  await page.waitForTimeout(300)
  assert.deepEqual(dialogs, [])
  await context.close()
})
