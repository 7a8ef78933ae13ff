import assert from 'node:assert/strict'
import { test } from 'vitest'
import type { Page } from 'playwright-core'
import { adminGet, newContext, serverAndBrowser } from '../helpers/browser.js'

/**
 * The wall as a command centre runs it: a public-only kiosk wall that says so (and the kiosk dialog
 * that says so before the link exists), the tour marking its target, the carousel of layouts, and a
 * wall that heals by itself after the server stopped answering.
 */
const env = serverAndBrowser()

async function overview(query = ''): Promise<{ features: number; featuresByRisk: { red: number } }> {
  return (await (await adminGet(env.server, `/api/stats/overview${query}`)).json()) as never
}

const kpi = (page: Page, key: string) => page.textContent(`[data-kpi="${key}"] .wall__kpi-value`).then((t) => (t ?? '').trim())
const fmt = (n: number) => n.toLocaleString('zh-CN')

async function wallPage(path: string, viewport = { width: 1920, height: 1080 }) {
  const context = await newContext(env.browser, viewport, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}${path}`)
  await page.waitForSelector('[data-screen-state="drawn"]', { timeout: 90_000 })
  return page
}

test('the kiosk dialog previews what a public-only wall will show; the wall says it is public only, with the server\'s counts', async () => {
  const [all, pub] = await Promise.all([overview(), overview('?sensitivity=public')])
  assert.ok(all.featuresByRisk.red > 0 && pub.features < all.features, 'the demo has major risks outside its public data')

  const admin = await (await newContext(env.browser, { width: 1920, height: 1080 }, env.server)).newPage()
  await admin.goto(`${env.server.url}/admin?tab=kiosk`)
  const preview = admin.locator('[data-testid="kiosk-preview"]')
  // Public only is the default ceiling: before anything is created, the dialog says what the wall will show.
  await preview.filter({ hasText: '此链接的大屏将显示：' }).waitFor()
  assert.equal((await preview.textContent())?.trim(),
    `此链接的大屏将显示：仅公开数据，${fmt(pub.features)} 个要素，重大风险 ${fmt(pub.featuresByRisk.red)} 处（全部数据为 ${fmt(all.features)} 个要素、重大风险 ${fmt(all.featuresByRisk.red)} 处）`)
  // It follows the choices as they are made.
  const lifeline = await overview('?domain=lifeline&sensitivity=public,internal')
  await admin.check('[data-ceiling="internal"]')
  await admin.fill('[data-testid="kiosk-query"]', 'domain=lifeline')
  await preview.filter({ hasText: '城市生命线工程安全' }).waitFor()
  assert.match((await preview.textContent()) ?? '', new RegExp(`公开和内部数据（不含受限数据） · 城市生命线工程安全，${fmt(lifeline.features)} 个要素，重大风险 ${fmt(lifeline.featuresByRisk.red)} 处`))
  await admin.fill('[data-testid="kiosk-query"]', 'domain=nothing-like-this')
  await preview.filter({ hasText: '无法预览' }).waitFor()

  // Back to a public wall of everything, created.
  await admin.check('[data-ceiling="public"]')
  await admin.fill('[data-testid="kiosk-query"]', '')
  await admin.fill('[data-testid="kiosk-label"]', '公开大屏')
  await preview.filter({ hasText: `仅公开数据，${fmt(pub.features)} 个要素` }).waitFor()
  await admin.click('[data-action="create-kiosk"]')
  const url = await admin.inputValue('[data-testid="kiosk-url"]')
  await admin.context().close()

  // The wall, in a browser with no account.
  const context = await env.browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const wall = await context.newPage()
  await wall.goto(url)
  await wall.waitForSelector('[data-screen-state="drawn"]', { timeout: 90_000 })
  assert.equal(await kpi(wall, 'features'), `${fmt(pub.features)}个`)
  assert.equal(await kpi(wall, 'red'), `${fmt(pub.featuresByRisk.red)}处`)
  // …and the wall says at once that these are not the district's numbers.
  const scope = wall.locator('[data-testid="wall-scope"]')
  assert.ok(await scope.isVisible())
  assert.equal((await scope.textContent())?.replace(/\s+/g, ''), `仅公开数据${fmt(pub.features)}/${fmt(all.features)}个要素`)
  const box = (await scope.boundingBox())!
  assert.ok(box.y < 90 && box.height >= 20, 'in the header, under the title')
  await context.close()
})

test('the tour marks its target on the map with a ring and its name; it can be limited to the top N and to one department', async () => {
  const { features } = (await (await adminGet(env.server, '/api/features?risk=red&kind=risk-point,hazard-source&limit=10000')).json()) as {
    features: { geometry: { coordinates: [number, number] }; properties: { id: number; name: string; departmentId: number; indicators: Record<string, number> } }[]
  }
  const mean = (f: (typeof features)[number]) => { const v = Object.values(f.properties.indicators ?? {}); return v.reduce((s, x) => s + x, 0) / v.length }
  const top = [...features].sort((a, b) => mean(b) - mean(a) || a.properties.id - b.properties.id).slice(0, 3)

  const page = await wallPage('/screen?tour=1&tourTop=3&tourInterval=8')
  const marker = page.locator('[data-testid="tour-marker"]')
  await marker.waitFor({ timeout: 15_000 })
  assert.equal(await marker.getAttribute('aria-label'), `重大风险 1/3 ${top[0]!.properties.name}`)
  assert.equal(Number(await marker.getAttribute('data-lng')), top[0]!.geometry.coordinates[0])
  assert.match((await page.textContent('[data-testid="tour-banner"]')) ?? '', /重大风险 1\/3\s*前 3 处/)
  // Once the map has flown there, the ring sits on the point, inside the map and clear of the risk bar.
  await page.waitForFunction(([x, y]) => {
    const m = (globalThis as any).__atlas['map:screen']
    const c = m.getCenter()
    return !m.isMoving() && Math.abs(c.lng - x) < 1e-4 && Math.abs(c.lat - y) < 1e-4
  }, top[0]!.geometry.coordinates, { timeout: 15_000 })
  const where = await page.evaluate(([x, y]) => {
    const d = (globalThis as any).document
    const m = (globalThis as any).__atlas['map:screen']
    const p = m.project([x, y])
    const map = m.getContainer().getBoundingClientRect()
    const ring = d.querySelector('.atlas-tour-marker__ring').getBoundingClientRect()
    const label = d.querySelector('.atlas-tour-marker__label')
    const bar = d.querySelector('.wall__risk').getBoundingClientRect()
    return { point: [map.left + p.x, map.top + p.y], ring: [ring.left + ring.width / 2, ring.top + ring.height / 2, ring.width], map: [map.left, map.top, map.right, map.bottom], barTop: bar.top, label: label.textContent, labelVisible: label.getBoundingClientRect().width > 50 }
  }, top[0]!.geometry.coordinates)
  assert.ok(Math.abs(where.ring[0]! - where.point[0]!) < 2 && Math.abs(where.ring[1]! - where.point[1]!) < 2, `the ring is on the point: ${JSON.stringify(where)}`)
  assert.ok(where.ring[2]! >= 36, 'a ring to see from across the room')
  assert.ok(where.point[0]! > where.map[0]! && where.point[0]! < where.map[2]! && where.point[1]! > where.map[1]! && where.point[1]! < where.barTop)
  assert.equal(where.label, `重大风险 1/3${top[0]!.properties.name}`)
  assert.ok(where.labelVisible)
  await page.locator('[data-testid="tour-marker"][aria-label^="重大风险 2/3 "]').waitFor({ timeout: 12_000 })
  await page.context().close()

  // One department's red risks only.
  const department = features[0]!.properties.departmentId
  const own = features.filter((f) => f.properties.departmentId === department)
  const dept = await wallPage(`/screen?tour=1&tourDepartment=${department}&tourInterval=3`)
  const stop = dept.locator('[data-testid="tour-marker"]')
  await stop.waitFor({ timeout: 15_000 })
  const label = (await stop.getAttribute('aria-label')) ?? ''
  assert.match(label, new RegExp(`^重大风险 \\d+/${own.length} `), 'a round of this department\'s red risks')
  assert.ok(own.some((f) => label.endsWith(f.properties.name)), label)
  await dept.context().close()
})

test('the carousel shows the overview, a domain and supervision in turn, each for its dwell time, with a page indicator', async () => {
  const lifeline = await overview('?domain=lifeline')
  const context = await newContext(env.browser, { width: 1920, height: 1080 }, env.server)
  const page = await context.newPage()
  // Every change of page, with its time, from the first moment of the wall.
  await page.addInitScript(() => {
    const g = globalThis as any
    g.__pages = []
    new g.MutationObserver(() => {
      const now = g.document.querySelector('.wall')?.dataset.wallPage
      if (now && g.__pages.at(-1)?.page !== now) g.__pages.push({ page: now, at: g.performance.now() })
    }).observe(g.document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-wall-page'] })
  })
  await page.goto(`${env.server.url}/screen?pages=overview,domain:lifeline@15,supervision&dwell=5`)
  await page.waitForSelector('[data-testid="wall-pages"]')
  const names = await page.locator('[data-testid="wall-pages"] li').allTextContents()
  assert.deepEqual(names.map((n) => n.trim()), ['总览', '生命线', '数据督办'])

  await page.waitForSelector('.wall[data-wall-page="domain"]', { timeout: 30_000 })
  assert.equal(await page.getAttribute('[data-testid="wall-pages"] [aria-current="page"]', 'data-page-index'), '1')
  // Everything on the domain page is the domain's, and the wall says so.
  await page.waitForFunction((n) => /城市生命线工程安全/.test((globalThis as any).document.querySelector('[data-testid="wall-scope"]')?.textContent ?? '')
    && (globalThis as any).document.querySelector('[data-kpi="features"] .wall__kpi-value')?.textContent.trim() === n, `${fmt(lifeline.features)}个`, { timeout: 10_000 })
  assert.equal(await kpi(page, 'red'), `${fmt(lifeline.featuresByRisk.red)}处`)

  await page.waitForSelector('.wall[data-wall-page="supervision"]', { timeout: 25_000 })
  await page.waitForSelector('[data-testid="screen-overdue"] tr[data-resource]')
  assert.ok(await page.isVisible('[data-chart="screen-all-department-freshness"]'))
  assert.equal(await page.isVisible('.wall__map .atlas-map__canvas'), false, 'the map waits hidden under the list')

  await page.waitForSelector('.wall[data-wall-page="overview"]', { timeout: 15_000 })
  // Once the whole district's figures are in, the overview of everything needs no badge.
  await page.waitForSelector('[data-testid="wall-scope"]', { state: 'detached', timeout: 15_000 })
  const pages = (await page.evaluate(() => (globalThis as any).__pages)) as { page: string; at: number }[]
  assert.deepEqual(pages.slice(0, 4).map((p) => p.page), ['overview', 'domain', 'supervision', 'overview'])
  // The domain page has a dwell of its own (@15): long enough to check it before it turns on a busy machine.
  const dwells = [5000, 15_000, 5000]
  for (let i = 1; i < 4; i++) {
    const dwell = pages[i]!.at - pages[i - 1]!.at
    assert.ok(dwell > dwells[i - 1]! - 500 && dwell < dwells[i - 1]! + 5000, `page ${pages[i - 1]!.page} stayed ${Math.round(dwell)} ms`)
  }
  await context.close()
})

test('when the server stops answering, the panels keep their last numbers with a stale badge, and refresh by themselves once it is back', async () => {
  const page = await wallPage('/screen?refresh=10')
  await page.evaluate(() => ((globalThis as any).__sameDocument = true))
  const before = { features: await kpi(page, 'features'), red: await kpi(page, 'red'), updated: (await page.textContent('[data-testid="updated-at"] b'))?.trim() }
  assert.equal(await page.locator('[data-testid="wall-stale"]').count(), 0)

  // The network to the server drops: every request fails.
  await page.route('**/api/**', (r) => r.abort('connectionrefused'))
  await page.waitForSelector('[data-testid="wall-stale"]', { timeout: 20_000 })
  const stale = (await page.textContent('[data-testid="wall-stale"]'))?.trim() ?? ''
  assert.match(stale, /^数据更新于 \d{2}:\d{2}，正在重新连接…$/)
  assert.equal(stale.slice(6, 11), before.updated?.slice(11, 16), 'the time of the data on screen')
  assert.equal(await kpi(page, 'features'), before.features, 'the last numbers stay')
  assert.equal(await kpi(page, 'red'), before.red)
  assert.ok(await page.locator('[data-testid="panel-stale"]').count() >= 5, 'each panel says its data is not current')

  // Back: the wall refreshes by itself (retrying with a growing pause), without a reload.
  await page.unroute('**/api/**')
  await page.waitForSelector('[data-testid="updated-at"]', { timeout: 40_000 })
  assert.equal(await page.locator('[data-testid="wall-stale"]').count(), 0)
  assert.equal(await page.locator('[data-testid="panel-stale"]').count(), 0)
  const after = (await page.textContent('[data-testid="updated-at"] b'))?.trim() ?? ''
  assert.ok(after > before.updated!, `read again: ${after} after ${before.updated}`)
  assert.equal(await kpi(page, 'features'), before.features)
  assert.equal(await page.evaluate(() => (globalThis as any).__sameDocument), true, 'the same page, never reloaded')
  await page.context().close()
})
