import assert from 'node:assert/strict'
import { test } from 'vitest'
import { adminGet, adminHeaders, newContext, serverAndBrowser } from '../helpers/browser.js'

const env = serverAndBrowser()

/** A gas monitoring point of the demo city, and a fresh API key of its system. */
async function gasPointWithKey() {
  const feats = (await (await adminGet(env.server, '/api/features?kind=monitoring-point&limit=10000')).json()) as any
  const point = feats.features.find((f: any) => /燃气泄漏|甲烷/.test(f.properties.name))
  const res = (await (await adminGet(env.server, `/api/resources/${point.properties.resourceId}`)).json()) as any
  const r = await fetch(`${env.server.url}/api/systems/${res.resource.systemId}/api-keys`, { method: 'POST', headers: { ...adminHeaders(env.server), 'content-type': 'application/json' }, body: '{"label":"e2e"}' })
  const { key } = (await r.json()) as { key: string }
  const send = async (value: number) => {
    const res = await fetch(`${env.server.url}/api/ingest/readings`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ readings: [{ point: point.properties.id, channel: 'gas', value, at: new Date().toISOString() }] }),
    })
    return (await res.json()) as any
  }
  return { point, send }
}

test('a reading over the threshold puts the alarm on the wall at once, without a reload: ticker, count, a pulsing marker, and in tour mode the map flies there', async () => {
  const { point, send } = await gasPointWithKey()
  const context = await newContext(env.browser, { width: 1920, height: 1080 }, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/screen?tour=1`)
  await page.waitForSelector('[data-screen-state="drawn"]', { timeout: 90_000 })
  assert.equal((await page.textContent('[data-kpi="alarms"] .wall__kpi-value'))?.trim(), '0条')
  assert.match((await page.textContent('[data-testid="alarm-ticker"]')) ?? '', /暂无告警/)
  // Nothing reloads the page from here on: the mark stays.
  await page.evaluate(() => ((globalThis as any).__sameDocument = true))

  const t0 = Date.now()
  const answer = await send(66)
  assert.equal(answer.alarms.raised, 1)
  const item = page.locator('[data-testid="alarm-ticker"] li[data-alarm-id]').first()
  await item.waitFor({ timeout: 5000 })
  // The 2 s; on a busy test machine a little slack before calling it a failure.
  const ms = Date.now() - t0
  assert.ok(ms < 3000, `on the wall ${ms} ms after the reading`)
  const text = (await item.textContent()) ?? ''
  assert.match(text, new RegExp(point.properties.name))
  assert.match(text, /一级/)
  assert.match(text, /66 %LEL/)
  assert.equal((await page.textContent('[data-kpi="alarms"] .wall__kpi-value'))?.trim(), '1条')
  const marker = page.locator('.atlas-alarm-marker--red')
  assert.equal(await marker.count(), 1)
  assert.match((await marker.getAttribute('title')) ?? '', /一级告警/)
  // Tour mode: the banner names the point and the map flies to it.
  await page.waitForSelector('[data-testid="alarm-banner"]')
  assert.match((await page.textContent('[data-testid="alarm-banner"]')) ?? '', new RegExp(point.properties.name))
  await page.waitForFunction(([x, y]) => {
    const m = (globalThis as any).__atlas?.['map:screen']
    if (!m) return false
    const c = m.getCenter()
    return Math.abs(c.lng - x) < 0.002 && Math.abs(c.lat - y) < 0.002 && m.getZoom() > 15
  }, point.geometry.coordinates, { timeout: 10_000 })

  // The bureau dismisses it as a false alarm: it leaves the map, and the ticker says so.
  const alarms = (await (await adminGet(env.server, '/api/alarms?open=true')).json()) as any
  const r = await fetch(`${env.server.url}/api/alarms/${alarms.items[0].id}/actions`, { method: 'POST', headers: { ...adminHeaders(env.server), 'content-type': 'application/json' }, body: JSON.stringify({ action: 'dismiss', note: '传感器标定' }) })
  assert.equal(r.status, 200)
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('.atlas-alarm-marker').length === 0, null, { timeout: 2000 })
  await page.waitForFunction(() => /研判为误报/.test((globalThis as any).document.querySelector('[data-testid="alarm-ticker"] li')?.textContent ?? ''), null, { timeout: 2000 })
  assert.equal((await page.textContent('[data-kpi="alarms"] .wall__kpi-value'))?.trim(), '0条')
  assert.equal(await page.evaluate(() => (globalThis as any).__sameDocument), true)
  await context.close()
})

test('a monitoring point\'s page shows its latest value against the thresholds, its trend, and its alarms', async () => {
  const { point, send } = await gasPointWithKey()
  // The first test's alarm here was judged a false alarm while the value stayed high: back to normal
  // first, then a new high reading (二级: ≥ 30 %LEL) opens a new alarm.
  assert.equal((await send(3)).accepted, 1)
  await new Promise((r) => setTimeout(r, 5))
  assert.equal((await send(31)).alarms.raised, 1)
  const context = await newContext(env.browser, { width: 1920, height: 1080 }, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/points/${point.properties.id}`)
  await page.waitForSelector('tr[data-row="sensor"]')
  assert.equal((await page.textContent('[data-testid="point-name"]'))?.trim(), point.properties.name)
  const row = (await page.textContent('tr[data-row="sensor"]')) ?? ''
  assert.match(row, /可燃气体浓度/)
  assert.match(row, /31\s*%LEL/)
  assert.match(row, /二级/, 'alarming at 二级 (≥ 30 %LEL)')
  assert.match(row, /≥ 50/)
  await page.waitForSelector('[data-chart^="sensor-"] svg path', { state: 'attached' })
  await page.waitForSelector('tr[data-row="point-alarm"]')
  assert.match((await page.textContent('tr[data-row="point-alarm"]')) ?? '', /二级/)
  assert.match((await page.textContent('[data-testid="point-open-alarm"]')) ?? '', /告警未办结/)
  // The breadcrumbs lead back to the resource the point belongs to.
  assert.ok(await page.locator('.crumbs a', { hasText: /.+/ }).count() >= 3)
  await context.close()
})
