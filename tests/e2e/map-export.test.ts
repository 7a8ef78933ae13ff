import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'vitest'
import { newContext, serverAndBrowser } from '../helpers/browser.js'

const env = serverAndBrowser()

test('the current map view is saved as a PNG for a report: a title band, the map, the legend with counts, a scale bar and the footer', async () => {
  const context = await newContext(env.browser, { width: 1920, height: 1080 }, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/?domain=lifeline`)
  await page.waitForSelector('.atlas-map[data-map-state="drawn"]', { timeout: 90_000 })
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="export-map"]').click()])
  assert.match(download.suggestedFilename(), /^风险地图-渝北区-\d{8}-\d{4}\.png$/)
  const png = readFileSync(await download.path())
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG')
  const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)]
  const box = (await page.locator('.atlas-map').first().boundingBox())!
  assert.equal(width, Math.round(box.width))
  assert.equal(height, Math.round(box.height + 64 + 30), 'the map with a 64 px title band and a 30 px footer')
  // What is drawn where: the title band's blue, the legend's white box at the lower left of the map, the footer's grey.
  const colours = await page.evaluate(async (b64) => {
    const w = globalThis as any
    const bytes = Uint8Array.from(w.atob(b64) as string, (c: string) => c.charCodeAt(0))
    const bitmap = await w.createImageBitmap(new w.Blob([bytes], { type: 'image/png' }))
    const canvas = new w.OffscreenCanvas(bitmap.width, bitmap.height)
    const g = canvas.getContext('2d')
    g.drawImage(bitmap, 0, 0)
    const at = (x: number, y: number) => Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3) as number[])
    return { title: at(4, 4), legend: at(20, bitmap.height - 30 - 20), footer: at(bitmap.width - 4, bitmap.height - 4) }
  }, png.toString('base64'))
  assert.deepEqual(colours.title, [11, 42, 85])
  assert.ok(colours.legend.every((c) => c > 230), `the legend box is light: ${colours.legend}`)
  assert.deepEqual(colours.footer, [241, 244, 249])
  await context.close()
})

test('when the map\'s data did not load, its legend shows — and the map is not exported', async () => {
  const context = await newContext(env.browser, { width: 1366, height: 768 }, env.server)
  const page = await context.newPage()
  // Every feature request fails: the legend cannot know its counts.
  await page.route('**/api/features?**', (r) => r.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: '服务暂不可用' } }) }))
  await page.route('**/api/stats/risk?**', (r) => r.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: '服务暂不可用' } }) }))
  await page.goto(`${env.server.url}/`)
  await page.waitForSelector('.atlas-map[data-map-state]', { timeout: 90_000 })
  await page.waitForFunction(() => /加载失败|重试/.test((globalThis as any).document.querySelector('.workspace')?.textContent ?? ''), null, { timeout: 30_000 })
  const counts = await page.locator('[data-testid="map-legend"] .legend__count').allTextContents()
  assert.ok(counts.length > 0 && counts.every((c) => c.trim() === '—'), `no number for what did not load: ${counts.join(' ')}`)
  assert.equal(await page.locator('[data-action="export-map"]').isDisabled(), true)
  await context.close()
})
