import assert from 'node:assert/strict'
import { test } from 'vitest'
import { newContext, serverAndBrowser } from '../helpers/browser.js'
import { testPmtiles } from '../helpers/pmtiles.js'

const env = serverAndBrowser()

/** Features the map has drawn from the PMTiles basemap's earth layer (0 until it is in). */
const earthDrawn = (page: import('playwright-core').Page) => page.waitForFunction(() => {
  const map = (globalThis as any).__atlas?.['map:main']
  return Boolean(map?.getLayer('pm-earth') && map.queryRenderedFeatures({ layers: ['pm-earth'] }).length > 0)
}, null, { timeout: 30_000 })

test('an administrator uploads a PMTiles basemap and chooses it: every browser\'s map then stands on it, under the data', async () => {
  const context = await newContext(env.browser, { width: 1920, height: 1080 }, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/`)
  await page.waitForSelector('.atlas-map[data-map-state="drawn"]', { timeout: 90_000 })
  assert.equal(await page.evaluate(() => Boolean((globalThis as any).__atlas['map:main'].getSource('pmtiles-basemap'))), false, 'the embedded basemap by default')

  await page.getByTitle('底图设置').click()
  const dialog = page.getByTestId('basemap-dialog')
  await dialog.locator('[data-basemap="pmtiles"]').check()
  await dialog.getByTestId('basemap-file').waitFor()
  assert.match((await dialog.getByTestId('basemap-file').textContent()) ?? '', /尚未上传底图文件/)
  // A file that is not PMTiles is refused with the reason.
  await dialog.getByTestId('basemap-upload').setInputFiles({ name: '坏文件.pmtiles', mimeType: 'application/octet-stream', buffer: Buffer.from('这不是底图') })
  await dialog.getByRole('alert').waitFor()
  assert.match((await dialog.getByRole('alert').textContent()) ?? '', /不能用作底图/)
  await dialog.getByTestId('basemap-upload').setInputFiles({ name: '渝北区.pmtiles', mimeType: 'application/octet-stream', buffer: testPmtiles({ bounds: [106.4, 29.5, 106.9, 30.0] }) })
  await page.waitForFunction(() => /渝北区\.pmtiles · .* · 矢量瓦片 · 缩放级别 0–0/.test((globalThis as any).document.querySelector('[data-testid="basemap-file"]')?.textContent ?? ''), null, { timeout: 10_000 })
  await dialog.locator('[data-action="save-basemap"]').click()
  await dialog.waitFor({ state: 'detached' })
  await earthDrawn(page)
  const order = await page.evaluate(() => {
    const ids = (globalThis as any).__atlas['map:main'].getStyle().layers.map((l: any) => l.id) as string[]
    return { earth: ids.indexOf('pm-earth'), boundary: ids.indexOf('district-focus-line'), last: ids.length - 1 }
  })
  assert.ok(order.earth >= 0 && order.earth < order.boundary, 'the basemap lies under the boundaries and the data')

  // Kept on the server, not in this browser: a fresh browser (no local storage) stands on it too, and the wall.
  const other = await newContext(env.browser, { width: 1366, height: 768 }, env.server)
  const second = await other.newPage()
  await second.goto(`${env.server.url}/`)
  await earthDrawn(second)
  await other.close()

  // Back to the embedded basemap.
  await page.getByTitle('底图设置').click()
  await dialog.locator('[data-basemap="embedded"]').check()
  await dialog.locator('[data-action="save-basemap"]').click()
  await page.waitForFunction(() => !(globalThis as any).__atlas['map:main'].getSource('pmtiles-basemap'), null, { timeout: 10_000 })
  await context.close()
})
