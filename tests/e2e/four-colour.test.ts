import assert from 'node:assert/strict'
import { test } from 'vitest'
import { adminGet, adminHeaders, newContext, serverAndBrowser } from '../helpers/browser.js'

const env = serverAndBrowser()

test('the 四色图: a point assessed 重大 turns its grid cell red on the workspace map, and an administrator\'s region rule changes it', async () => {
  // A demo risk point, assessed 4 × 4 (重大) by the administrator.
  const feats = (await (await adminGet(env.server, '/api/features?kind=risk-point&limit=50')).json()) as any
  const point = feats.features[0]
  const post = await fetch(`${env.server.url}/api/features/${point.properties.id}/assessments`, {
    method: 'POST', headers: { ...adminHeaders(env.server), 'content-type': 'application/json' }, body: JSON.stringify({ inputs: { kind: 'matrix', likelihood: 4, consequence: 4 } }),
  })
  assert.equal(post.status, 201)
  const regions = (await (await adminGet(env.server, '/api/risk/regions?type=grid')).json()) as any
  const red = regions.items.filter((i: any) => i.level === 'red').map((i: any) => i.key)
  assert.ok(red.length > 0)

  const context = await newContext(env.browser, { width: 1920, height: 1080 }, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/`)
  await page.waitForSelector('.atlas-map[data-map-state="drawn"]', { timeout: 90_000 })
  await page.getByTestId('region-risk-toggle').check()
  const [lon, lat] = point.geometry.coordinates
  // The cell under the point is drawn in the 重大 colour.
  const colourAt = async () => page.evaluate(async ([x, y]) => {
    const map = (globalThis as any).__atlas['map:main']
    map.jumpTo({ center: [x, y], zoom: 13 })
    await new Promise((r) => map.once('idle', r))
    if (!map.getLayer('grid-risk-fill')) return null
    const hit = map.queryRenderedFeatures(map.project([x, y]), { layers: ['grid-risk-fill'] })[0]
    if (!hit) return 'no cell'
    const expr = map.getPaintProperty('grid-risk-fill', 'fill-color')
    if (typeof expr === 'string') return expr
    const at = expr.indexOf(String(hit.properties.id), 2)
    return at > 0 ? expr[at + 1] : 'clear'
  }, [lon, lat])
  await page.waitForFunction(() => Boolean((globalThis as any).__atlas['map:main'].getLayer('grid-risk-fill')), null, { timeout: 10_000 })
  assert.equal(await colourAt(), '#e02020')
  assert.match((await page.textContent('.legend')) ?? '', /网格为区域风险/)

  // Stricter cut-offs for red (a single 重大 point no longer makes a red region): the cell turns orange after the data changes.
  const put = await fetch(`${env.server.url}/api/risk/region-rule`, {
    method: 'PUT', headers: { ...adminHeaders(env.server), 'content-type': 'application/json' },
    body: JSON.stringify({ weights: { red: 10, orange: 5, yellow: 2, blue: 1 }, cuts: { red: 1000, orange: 5, yellow: 2 } }),
  })
  assert.equal(put.status, 200)
  await page.getByTestId('region-risk-toggle').uncheck()
  await page.getByTestId('region-risk-toggle').check()
  await page.waitForFunction(() => Boolean((globalThis as any).__atlas['map:main'].getLayer('grid-risk-fill')), null, { timeout: 10_000 })
  for (let i = 0; i < 20 && (await colourAt()) !== '#ff8c1a'; i++) await page.waitForTimeout(200)
  assert.equal(await colourAt(), '#ff8c1a')
  // Off: the layer goes.
  await page.getByTestId('region-risk-toggle').uncheck()
  await page.waitForFunction(() => !(globalThis as any).__atlas['map:main'].getLayer('grid-risk-fill'), null, { timeout: 5000 })
  await context.close()
})
