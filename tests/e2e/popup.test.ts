import assert from 'node:assert/strict'
import { test } from 'vitest'
import { adminGet, newContext, pointOnMap, serverAndBrowser } from '../helpers/browser.js'

const env = serverAndBrowser()

type Located = { id: number; name: string; lon: number; lat: number }
async function first(query: string): Promise<Located> {
  const { features } = (await (await adminGet(env.server, `/api/features?${query}&limit=1`)).json()) as { features: { properties: { id: number; name: string }; geometry: { coordinates: [number, number] } }[] }
  const f = features[0]!
  return { id: f.properties.id, name: f.properties.name, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }
}

test('a popup reads in the order one checks it: where the data comes from and how fresh, then the assessment, then the folded details, and a link to the feature\'s page', async () => {
  const hazard = await first('kind=hazard-source&risk=red')
  const context = await newContext(env.browser, { width: 1366, height: 768 }, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/?kind=hazard-source&risk=red`)
  await page.waitForSelector('.atlas-map[data-map-state="drawn"]', { timeout: 60_000 })
  const at = await pointOnMap(page, hazard, 18)
  await page.mouse.click(at.x, at.y)
  await page.locator('[data-testid="popup-risk"]').waitFor()
  const order = await page.locator('.atlas-popup').evaluate((root: any) => [...root.querySelectorAll('.atlas-popup__head, [data-testid="popup-provenance"], [data-testid="popup-risk"], .atlas-popup__more, [data-action="feature-page"]')]
    .map((e: any) => (e.dataset.testid ?? e.dataset.action ?? e.className) as string))
  assert.deepEqual(order, ['atlas-popup__head', 'popup-provenance', 'popup-risk', 'atlas-popup__more', 'feature-page'])
  const provenance = page.locator('[data-testid="popup-provenance"]')
  assert.match((await provenance.textContent()) ?? '', /→.*→.*(按时更新|即将到期|已逾期|从未更新|不考核)/)
  // The provenance is on screen, inside the map, without scrolling the popup.
  const [prov, map] = await Promise.all([provenance.boundingBox(), page.locator('.atlas-map').first().boundingBox()])
  assert.ok(prov && map && prov.y >= map.y && prov.y + prov.height <= map.y + map.height, 'the provenance is inside the map')
  // The 13 indicator scores are folded away until asked for.
  const more = page.locator('.atlas-popup__more')
  assert.equal(await more.evaluate((d: any) => d.open as boolean), false)
  assert.equal(await page.locator('.atlas-indicator').first().isVisible(), false)
  await more.locator('summary').click()
  assert.ok(await page.locator('.atlas-indicator').first().isVisible())
  await page.locator('[data-action="feature-page"]').click()
  await page.waitForURL(`**/risk-points/${hazard.id}`)
  await context.close()
})

test('any feature\'s popup links to its own page: provenance, every attribute and where it lies', async () => {
  const station = await first('kind=emergency-resource')
  const context = await newContext(env.browser, { width: 1920, height: 1080 }, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/?kind=emergency-resource`)
  await page.waitForSelector('.atlas-map[data-map-state="drawn"]', { timeout: 60_000 })
  const at = await pointOnMap(page, station, 18)
  await page.mouse.click(at.x, at.y)
  await page.locator('[data-action="feature-page"]').click()
  await page.waitForURL(`**/features/${station.id}`)
  await page.getByTestId('feature-provenance').waitFor()
  assert.equal((await page.getByTestId('feature-name').textContent())?.trim(), station.name)
  assert.match((await page.getByTestId('feature-provenance').textContent()) ?? '', /提供部门.*信息系统.*数据资源.*新鲜度/)
  assert.match((await page.getByTestId('feature-location').textContent()) ?? '', new RegExp(`坐标${station.lon.toFixed(6)}, ${station.lat.toFixed(6)}`))
  assert.ok(await page.locator('[data-table="feature-attributes"] tbody tr').count() > 0)
  // A missing feature says so, with no figures.
  await page.goto(`${env.server.url}/features/99999999`)
  await page.getByRole('alert').waitFor()
  assert.equal((await page.getByTestId('feature-name').textContent())?.trim(), '—')
  await context.close()
})
