import assert from 'node:assert/strict'
import { beforeAll, test } from 'vitest'
import type { Page } from 'playwright-core'
import { adminGet, adminHeaders, newContext, serverAndBrowser } from '../helpers/browser.js'

/**
 * The screens people have: a 1366×768 laptop, 1024 px, a tablet upright, a phone. Every page fits its
 * width (no horizontal scroll, the top bar whole), the workspace's filters are a drawer that opens and
 * filters, and a phone reads the overview and the alarms without the forms to change them.
 */

const env = serverAndBrowser()

async function getJson<T>(path: string): Promise<T> {
  const res = await adminGet(env.server, path)
  assert.equal(res.status, 200, `${path} answers 200`)
  return (await res.json()) as T
}

let pages: string[] = []
beforeAll(async () => {
  const { items } = await getJson<{ items: { id: number; departmentId: number; systemId: number }[] }>('/api/resources?pageSize=1')
  const r = items[0]!
  const feature = async (kind: string) => (await getJson<{ features: { properties: { id: number } }[] }>(`/api/features?kind=${kind}&limit=1`)).features[0]!.properties.id
  pages = [
    '/', '/departments', `/departments/${r.departmentId}`, `/departments/${r.departmentId}/systems/${r.systemId}`,
    `/departments/${r.departmentId}/systems/${r.systemId}/resources/${r.id}`, '/reporting', '/supervision',
    '/analysis?tab=coverage', '/analysis?tab=spatial', '/risk', `/risk-points/${await feature('risk-point')}`,
    `/points/${await feature('monitoring-point')}`, `/features/${await feature('facility')}`, '/alarms', '/admin?tab=users',
    '/admin?tab=alarms', '/no-such-page',
  ]
})

/** How the page fits: its own width against the window's, the top bar's content against the bar, the account menu against the window. */
function fit(page: Page) {
  return page.evaluate(() => {
    const doc = (globalThis as any).document
    const html = doc.documentElement
    const bar = doc.querySelector('.topbar')
    return {
      scrollWidth: html.scrollWidth as number,
      clientWidth: html.clientWidth as number,
      barOverflow: bar ? (bar.scrollWidth as number) - (bar.clientWidth as number) : 0,
      userRight: (doc.querySelector('.usermenu')?.getBoundingClientRect().right ?? 0) as number,
    }
  })
}

async function settle(page: Page) {
  await page.waitForSelector('#app > *')
  await page.waitForFunction(() => !(globalThis as any).document.body.innerText.includes('加载中'), null, { timeout: 20_000 }).catch(() => undefined)
  await page.waitForTimeout(300)
}

for (const viewport of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }, { width: 768, height: 1024 }]) {
  const size = `${viewport.width}×${viewport.height}`

  test(`${size}: every page fits the width, top bar included`, async () => {
    const context = await newContext(env.browser, viewport, env.server)
    const page = await context.newPage()
    const problems: string[] = []
    for (const path of pages) {
      await page.goto(`${env.server.url}${path}`)
      await settle(page)
      const f = await fit(page)
      if (f.scrollWidth > f.clientWidth) problems.push(`${path}: the page scrolls sideways (${f.scrollWidth} > ${f.clientWidth})`)
      if (f.barOverflow > 0) problems.push(`${path}: the top bar overflows by ${f.barOverflow} px`)
      if (f.userRight > f.clientWidth) problems.push(`${path}: the account menu is off screen (${f.userRight} > ${f.clientWidth})`)
    }
    assert.deepEqual(problems, [])
    await context.close()
  })

  test(`${size}: the filters are a drawer that opens, filters and closes`, async () => {
    const context = await newContext(env.browser, viewport, env.server)
    const page = await context.newPage()
    await page.goto(`${env.server.url}/`)
    await page.waitForSelector('[data-kpi="resources"]')
    await page.waitForFunction(() => /\d/.test((globalThis as any).document.querySelector('[data-kpi="resources"]')?.textContent ?? ''))
    const before = (await page.textContent('[data-kpi="resources"]'))!.trim()

    // Closed, the drawer is out of sight and out of the keyboard's way.
    const drawer = page.locator('[data-testid="filter-panel"]')
    assert.equal(await drawer.isVisible(), false, 'the drawer starts closed')
    assert.equal(await drawer.evaluate((el: any) => el.inert as boolean), true, 'a closed drawer takes no focus')

    await page.click('[data-action="open-filters"]')
    await page.waitForSelector('[data-testid="filter-panel"].is-open')
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid="filter-panel"]').contains((globalThis as any).document.activeElement))
    assert.equal(await drawer.getAttribute('role'), 'dialog')
    const f = await fit(page)
    assert.ok(f.scrollWidth <= f.clientWidth, 'the open drawer does not widen the page')

    await page.click('[data-testid="filter-panel"] [data-domain="natural"]')
    await page.waitForURL(/[?&]domain=natural/)
    await page.waitForFunction((t) => (globalThis as any).document.querySelector('[data-kpi="resources"]')?.textContent.trim() !== t, before)
    assert.ok(Number((await page.textContent('[data-kpi="resources"]'))!.replace(/\D/g, '')) < Number(before.replace(/\D/g, '')), 'fewer resources under the filter')
    assert.match((await page.textContent('[data-action="open-filters"]')) ?? '', /筛选.*1/, 'the 筛选 button counts the filter')

    // Escape closes it and gives the focus back to 筛选.
    await page.keyboard.press('Escape')
    await page.waitForSelector('[data-testid="filter-panel"]:not(.is-open)')
    assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement?.dataset.action), 'open-filters')
    await context.close()
  })
}

test('1366×768: the links that do not fit are under 「更多」, reachable by keyboard', async () => {
  const context = await newContext(env.browser, { width: 1366, height: 768 }, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/`)
  await page.waitForSelector('[data-testid="nav-more"]')
  assert.equal(await page.isVisible('[data-nav="admin"]'), false, '管理 is not in the bar')
  await page.focus('[data-testid="nav-more"]')
  await page.keyboard.press('Enter')
  const admin = page.locator('#nav-more-panel [data-menu-nav="admin"]')
  await admin.waitFor()
  assert.ok(await page.isVisible('#nav-more-panel a:text-is("数据督办")'))
  assert.equal(await page.isVisible('#nav-more-panel [data-menu-nav="alarms"]'), false, '告警中心 stays in the bar, not twice')
  await admin.focus()
  await page.keyboard.press('Enter')
  await page.waitForURL('**/admin')
  await page.waitForSelector('#nav-more-panel', { state: 'detached' })
  await context.close()
})

/** An open alarm on a monitoring point (a reading over its threshold), for the phone to read. */
async function raiseAlarm(): Promise<void> {
  const { features } = await getJson<{ features: { properties: { id: number; resourceId: number } }[] }>('/api/features?kind=monitoring-point&limit=1')
  const point = features[0]!.properties
  const { resource } = await getJson<{ resource: { systemId: number } }>(`/api/resources/${point.resourceId}`)
  const issued = await fetch(`${env.server.url}/api/systems/${resource.systemId}/api-keys`, {
    method: 'POST', headers: { ...adminHeaders(env.server), 'content-type': 'application/json' }, body: JSON.stringify({ label: '手机视图测试' }),
  })
  const { key } = (await issued.json()) as { key: string }
  const res = await fetch(`${env.server.url}/api/ingest/readings`, {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ readings: [{ point: point.id, channel: 'gas', value: 60, at: new Date().toISOString() }] }),
  })
  assert.equal(res.status, 200, await res.clone().text())
}

test('390×844, a phone: the overview\'s figures and key charts, to read', async () => {
  const context = await newContext(env.browser, { width: 390, height: 844 }, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/`)
  await page.waitForFunction(() => /\d/.test((globalThis as any).document.querySelector('[data-kpi="features"]')?.textContent ?? ''))
  await page.waitForSelector('[data-chart="domain-coverage"][data-ready="true"]')
  await page.waitForSelector('[data-chart="freshness"][data-ready="true"]')
  await page.waitForSelector('[data-chart="risk"][data-ready="true"]')
  await page.waitForSelector('[data-chart="reporting"][data-ready="true"]')
  assert.equal(await page.locator('[data-kpi]').count(), 6, 'the six headline figures')
  for (const kpi of ['departments', 'systems', 'resources', 'features', 'red', 'overdue']) {
    assert.ok(await page.isVisible(`[data-kpi="${kpi}"]`), `${kpi} is on screen`)
  }
  assert.equal(await page.locator('.atlas-map').count(), 0, 'no map on a phone')
  assert.equal(await page.locator('[data-action="export-csv"], [data-table="resources"], [data-chart="department-coverage"]').count(), 0, 'no tables, exports or matrix')
  assert.ok(await page.isVisible('[data-testid="phone-note"]'))
  const f = await fit(page)
  assert.ok(f.scrollWidth <= f.clientWidth, `no sideways scroll (${f.scrollWidth} > ${f.clientWidth})`)
  assert.ok(f.userRight <= f.clientWidth, 'the account menu is on screen')
  await context.close()
})

test('390×844, a phone: the alarm list and an alarm\'s detail, read-only', async () => {
  await raiseAlarm()
  const context = await newContext(env.browser, { width: 390, height: 844 }, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/alarms`)
  const row = page.locator('[data-testid="alarms-table"] .atable__row').first()
  await row.waitFor()
  assert.ok(await row.locator('.atable__name').isVisible(), 'the point\'s name shows')
  let f = await fit(page)
  assert.ok(f.scrollWidth <= f.clientWidth, `the list fits (${f.scrollWidth} > ${f.clientWidth})`)
  await row.locator('.atable__name').click()
  await page.waitForSelector('[data-testid="alarm-detail"] [data-testid="alarm-read-only"]')
  assert.ok(await page.isVisible('[data-testid="alarm-detail"] .adetail__title'), 'the detail is in view')
  assert.equal(await page.locator('[data-alarm-action], [data-testid="alarm-note"]').count(), 0, 'no forms to handle the alarm')
  f = await fit(page)
  assert.ok(f.scrollWidth <= f.clientWidth, `the detail fits (${f.scrollWidth} > ${f.clientWidth})`)
  await context.close()
})

test('大字号 at 1920×1080: the map and the charts, drawn 25% larger, answer where they are clicked', async () => {
  const { features } = await getJson<{ features: { properties: { id: number; name: string }; geometry: { coordinates: [number, number] } }[] }>('/api/features?kind=hazard-source&risk=red&limit=1')
  const target = features[0]!
  const context = await newContext(env.browser, { width: 1920, height: 1080 }, env.server)
  await context.addInitScript(() => (globalThis as any).localStorage.setItem('atlas.settings.v1', JSON.stringify({ theme: 'light', largeText: true })))
  const page = await context.newPage()
  await page.goto(`${env.server.url}/?kind=hazard-source&risk=red`)
  await page.waitForSelector('.atlas-map[data-map-state="drawn"]', { timeout: 60_000 })
  assert.equal(await page.evaluate(() => (globalThis as any).document.documentElement.dataset.textSize), 'large')
  const at = await page.evaluate(async ({ lon, lat }) => {
    const map = (globalThis as any).__atlas['map:main']
    map.jumpTo({ center: [lon, lat], zoom: 18 })
    await new Promise((r) => map.once('idle', r))
    const p = map.project([lon, lat])
    const box = map.getContainer()
    const rect = box.getBoundingClientRect()
    // The map lays out in its own CSS px; the page shows it scaled by the zoom.
    const scale = rect.width / box.offsetWidth
    return { x: rect.left + p.x * scale, y: rect.top + p.y * scale, scale }
  }, { lon: target.geometry.coordinates[0], lat: target.geometry.coordinates[1] })
  assert.ok(Math.abs(at.scale - 1.25) < 0.01, `the map is drawn larger (${at.scale})`)
  await page.mouse.click(at.x, at.y)
  await page.locator('.atlas-popup__name').waitFor()
  assert.equal((await page.textContent('.atlas-popup__name'))?.trim(), target.properties.name)

  // A click on the bar of 公共安全 in 领域覆盖 filters 公共安全 (not the bar the unscaled pixel would be on).
  await page.waitForSelector('[data-chart="domain-coverage"][data-ready="true"]')
  const bar = await page.evaluate(() => {
    const g = globalThis as any
    const chart = g.__atlas['chart:domain-coverage']
    const names: string[] = chart.getOption().yAxis[0].data
    const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [1, names.indexOf('公共安全')])
    const box = g.document.querySelector('[data-chart="domain-coverage"]')
    const rect = box.getBoundingClientRect()
    const scale = rect.width / box.offsetWidth
    return { x: rect.left + x * scale, y: rect.top + y * scale }
  })
  await page.mouse.click(bar.x, bar.y)
  await page.waitForURL(/[?&]domain=public(&|$)/)
  await context.close()
})
