import assert from 'node:assert/strict'
import { afterAll, beforeAll, test } from 'vitest'
import type { Browser } from 'playwright-core'
import { collectDialogs, pointOnMap, launchBrowser, nameFeatureHostile, newContext, startServer } from '../helpers/browser.js'
import type { RunningServer } from '../helpers/browser.js'

const HOSTILE = '<img src=x onerror=alert(1)>'

let server: RunningServer
let browser: Browser
let feature: { id: number; lon: number; lat: number }

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
  // A red risk point: always drawn unclustered.
  feature = nameFeatureHostile(server, 'risk-point', HOSTILE)
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

test('a feature named <img src=x onerror=alert(1)> shows as text', async () => {
  const context = await newContext(browser, undefined, server)
  const page = await context.newPage()
  const dialogs = collectDialogs(page)
  await page.goto(`${server.url}/?risk=red`)
  await page.waitForSelector('.atlas-map[data-map-state="drawn"]', { timeout: 60_000 })
  const at = await pointOnMap(page, feature, 18)

  await page.mouse.move(at.x, at.y)
  await page.waitForSelector('.atlas-hover-label')
  assert.equal(await page.textContent('.atlas-hover-label'), HOSTILE)

  await page.mouse.click(at.x, at.y)
  await page.waitForSelector('.atlas-popup__name')
  assert.equal(await page.textContent('.atlas-popup__name'), HOSTILE, 'the name is shown literally')
  assert.equal(await page.locator('.atlas-popup img, .atlas-hover img').count(), 0, 'no element was created from it')
  await page.waitForTimeout(300)
  assert.deepEqual(dialogs, [], 'no script ran')
  await context.close()
})
