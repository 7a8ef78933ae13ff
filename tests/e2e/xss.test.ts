import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import Database from 'better-sqlite3'
import type { Browser } from 'playwright-core'
import { launchBrowser, newContext, startServer } from '../helpers/browser.js'
import type { RunningServer } from '../helpers/browser.js'

const HOSTILE = '<img src=x onerror=alert(1)>'

let server: RunningServer
let browser: Browser
let feature: { id: number; lon: number; lat: number }

before(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
  // The API has no write endpoint yet, so the hostile name goes straight into the database (WAL
  // lets a second connection write while the server runs). A red risk point: always drawn unclustered.
  const db = new Database(server.databaseFile)
  try {
    const row = db.prepare(`SELECT id, geometry FROM features WHERE kind = 'risk-point' AND risk_level = 'red' ORDER BY id LIMIT 1`).get() as { id: number; geometry: string }
    db.prepare(`UPDATE features SET name = ? WHERE id = ?`).run(HOSTILE, row.id)
    const [lon, lat] = (JSON.parse(row.geometry) as { coordinates: [number, number] }).coordinates
    feature = { id: row.id, lon, lat }
  } finally {
    db.close()
  }
})
after(async () => {
  await browser?.close()
  await server?.stop()
})

test('a feature named <img src=x onerror=alert(1)> shows as text', async () => {
  const context = await newContext(browser, undefined, server)
  const page = await context.newPage()
  const dialogs: string[] = []
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  await page.goto(`${server.url}/?risk=red`)
  await page.waitForSelector('.atlas-map[data-map-state="drawn"]', { timeout: 60_000 })
  const at = await page.evaluate(async (f) => {
    const map = (globalThis as any).__atlas['map:main']
    map.jumpTo({ center: [f.lon, f.lat], zoom: 18 })
    await new Promise((r) => map.once('idle', r))
    const p = map.project([f.lon, f.lat])
    const rect = map.getContainer().getBoundingClientRect()
    return { x: rect.left + p.x, y: rect.top + p.y }
  }, feature)

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
