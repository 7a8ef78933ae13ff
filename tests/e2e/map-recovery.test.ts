import assert from 'node:assert/strict'
import { test } from 'vitest'
import { newContext, serverAndBrowser } from '../helpers/browser.js'

const env = serverAndBrowser()

test('a map started while the boundaries cannot be read says so and draws itself once they can, without a reload', async () => {
  const context = await newContext(env.browser, { width: 1920, height: 1080 }, env.server)
  const page = await context.newPage()
  const down = (r: import('playwright-core').Route) => r.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: '服务暂不可用' } }) })
  await page.route('**/api/regions?**', down)
  await page.goto(`${env.server.url}/`)
  await page.waitForFunction(() => /区县边界读取失败，正在重试/.test((globalThis as any).document.querySelector('.atlas-map')?.textContent ?? ''), null, { timeout: 30_000 })
  assert.notEqual(await page.locator('.atlas-map').first().getAttribute('data-map-state'), 'drawn')
  await page.unroute('**/api/regions?**', down)
  await page.waitForSelector('.atlas-map[data-map-state="drawn"]', { timeout: 30_000 })
  assert.doesNotMatch((await page.locator('.atlas-map').first().textContent()) ?? '', /区县边界读取失败/)
  await context.close()
})
