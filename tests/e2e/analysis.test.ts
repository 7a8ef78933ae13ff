import assert from 'node:assert/strict'
import { test } from 'vitest'
import { adminGet, newContext, serverAndBrowser } from '../helpers/browser.js'

const env = serverAndBrowser()

test('the coverage matrix highlights 通信管网, 特种设备 and 海洋 as covered by no one', async () => {
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/analysis?tab=coverage`)
  await page.getByTestId('coverage-matrix').waitFor()
  const flagged = await page.locator('tr.matrix__row--uncovered').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-subcategory')))
  assert.deepEqual(flagged.sort(), ['海洋', '特种设备', '通信管网'].sort())
  assert.match((await page.getByTestId('uncovered').textContent()) ?? '', /通信管网.*特种设备.*海洋/)
  // A covered cell shows its resource count: 燃气管网 is reported by one department.
  const gas = page.locator('tr[data-subcategory="燃气管网"] td.is-filled')
  assert.equal(await gas.count(), 1)
  await context.close()
})

test('a one-source conflict lists both departments that report 桥梁基础信息', async () => {
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/analysis?tab=conflicts`)
  const row = page.locator('[data-testid="resource-conflicts"] tbody tr', { hasText: '桥梁基础信息' })
  await row.waitFor()
  const text = (await row.textContent()) ?? ''
  assert.match(text, /渝北区城市管理局 \/ .+ \/ 桥梁基础信息/)
  assert.match(text, /渝北区交通局 \/ .+ \/ 桥梁基础信息/)
  // Data items: 联系电话 and 联系方式 are never merged.
  await page.getByTestId('item-conflicts').waitFor()
  const names = await page.locator('[data-testid="item-conflicts"] tbody tr td:first-child').allTextContents()
  assert.ok(names.length > 0)
  assert.equal(names.some((n) => n.includes('联系电话') && n.includes('联系方式')), false)
  await context.close()
})

test('sharing gaps and spatial coverage show their figures; the choropleth follows the chosen kind', async () => {
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/analysis?tab=sharing`)
  await page.getByTestId('sharing-departments').waitFor()
  const sharing = await (await adminGet(env.server, `/api/analysis/sharing`)).json() as any
  assert.match((await page.locator('.kpi').first().textContent()) ?? '', new RegExp(`${sharing.gaps}\\s*/ ${sharing.total}`))

  await page.goto(`${env.server.url}/analysis?tab=spatial`)
  await page.waitForSelector('.analysis-map[data-ready="true"]', { timeout: 60_000 })
  const all = await (await adminGet(env.server, `/api/analysis/spatial`)).json() as any
  await page.waitForFunction((n) => (globalThis as any).document.querySelector('[data-testid="empty-cells"]')?.textContent.includes(`${n} /`), all.emptyCells.length)
  await page.getByLabel('要素类型').selectOption('hazard-source')
  const hazards = await (await adminGet(env.server, `/api/analysis/spatial?kind=hazard-source`)).json() as any
  assert.ok(hazards.emptyCells.length > all.emptyCells.length)
  await page.waitForFunction((n) => (globalThis as any).document.querySelector('[data-testid="empty-cells"]')?.textContent.includes(`${n} /`), hazards.emptyCells.length)
  // The map draws one cell polygon per grid cell, coloured by its count.
  const drawn = await page.evaluate(() => {
    const m = (globalThis as any).__atlas['map:analysis-spatial']
    return m.querySourceFeatures('choropleth').filter((f: any) => f.properties.n > 0).length
  })
  assert.ok(drawn > 0)
  await context.close()
})

test('clicking a hazard source lists the protection targets in its radius and the nearest emergency resources', async () => {
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/analysis?tab=surroundings`)
  await page.waitForSelector('.analysis-map[data-ready="true"]', { timeout: 60_000 })
  await page.evaluate(() => (globalThis as any).__atlas['map:analysis-surroundings'].jumpTo({ center: [106.53, 29.64], zoom: 14 }))
  await page.waitForFunction(() => (globalThis as any).__atlas['map:analysis-surroundings'].queryRenderedFeatures({ layers: ['hazards'] }).length > 0, null, { timeout: 30_000 })
  const hit = await page.evaluate(() => {
    const m = (globalThis as any).__atlas['map:analysis-surroundings']
    const c = m.getCanvas().getBoundingClientRect()
    const f = m.queryRenderedFeatures([[c.width * 0.25, c.height * 0.25], [c.width * 0.75, c.height * 0.75]], { layers: ['hazards'] })[0]
    const p = m.project(f.geometry.coordinates)
    return { x: c.left + p.x, y: c.top + p.y, id: Number(f.properties.id), name: f.properties.name as string }
  })
  await page.mouse.click(hit.x, hit.y)
  await page.getByTestId('surroundings').waitFor()
  const expected = await (await adminGet(env.server, `/api/analysis/surroundings?feature=${hit.id}`)).json() as any
  assert.match((await page.getByTestId('surroundings-title').textContent()) ?? '', new RegExp(expected.hazard.name))
  if (expected.targets.length) {
    const rows = await page.locator('[data-testid="targets"] tr').allTextContents()
    assert.deepEqual(rows.map((r) => r.replace(/\s+/g, '')), expected.targets.map((t: any) => `${t.name}${t.distanceM}米`))
  } else {
    await page.getByTestId('targets-empty').waitFor()
  }
  const shelter = page.locator('[data-testid="nearest"] tr[data-type="shelter"]')
  assert.match((await shelter.textContent()) ?? '', new RegExp(`${expected.emergency.find((e: any) => e.type === 'shelter').nearest[0].name}.*${expected.emergency.find((e: any) => e.type === 'shelter').nearest[0].distanceM} 米`))
  assert.match((await page.getByTestId('shelter-capacity').textContent()) ?? '', new RegExp(`${expected.shelters.count}\\s*处`))
  await context.close()
})
