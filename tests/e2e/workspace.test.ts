import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'vitest'
import type { Page } from 'playwright-core'
import { adminGet, adminHeaders, newContext, serverAndBrowser } from '../helpers/browser.js'

const env = serverAndBrowser()

interface Snapshot {
  features: number
  renderedTotal: number
  renderedDomains: string[]
  subcategoryResources: Record<string, number>
  tableTotal: string
  tableCategories: string[]
  kpiResources: string
}

/** What the analyst sees: features drawn on the map, the sub-category chart's bars, the table. */
function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { __atlas: Record<string, any>; document: any }
    const map = g.__atlas['map:main']
    const layers = ['clusters', 'points', 'alert-points', 'pipelines', 'areas-fill']
    const ids = new Set<number>()
    const domains = new Set<string>()
    let total = 0
    for (const f of map.queryRenderedFeatures({ layers })) {
      if (f.properties.cluster) {
        total += f.properties.point_count
      } else if (!ids.has(f.properties.id)) {
        ids.add(f.properties.id)
        domains.add(f.properties.domainCode)
        total += 1
      }
    }
    const option = g.__atlas['chart:subcategory-coverage'].getOption()
    const xs: string[] = option.xAxis[0].data
    const bars: { value: number }[] = option.series[0].data
    const doc = g.document
    // No helper functions in here: the bundler would wrap them in a __name() the page lacks.
    return {
      features: Number(doc.querySelector('.atlas-map').dataset.featureCount),
      renderedTotal: total,
      renderedDomains: [...domains].sort(),
      subcategoryResources: Object.fromEntries(xs.map((x, i) => [x, bars[i].value])),
      tableTotal: doc.querySelector('.workspace__table .card__hint')?.textContent?.trim() ?? '',
      tableCategories: [...doc.querySelectorAll('tr[data-row="resource"] td:nth-child(4)')].map((td: any) => td.textContent.trim()),
      kpiResources: doc.querySelector('[data-kpi="resources"]')?.textContent?.trim() ?? '',
    }
  })
}

async function waitDrawn(page: Page, notCount?: number) {
  await page.waitForFunction(
    (n) => {
      const el = (globalThis as any).document.querySelector('.atlas-map')
      return el && el.dataset.mapState === 'drawn' && (n === null || Number(el.dataset.featureCount) !== n)
    },
    notCount ?? null,
    { timeout: 60_000 },
  )
}

test('an analyst filters by a domain: the map, the charts and the table all change', async () => {
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/`)
  await waitDrawn(page)
  await page.waitForSelector('tr[data-row="resource"]')
  const all = await snapshot(page)
  assert.ok(all.renderedTotal > 1000, `map draws the city's features (${all.renderedTotal})`)
  assert.ok(all.renderedDomains.length >= 3, 'features of several domains are drawn')
  assert.ok(all.subcategoryResources['燃气管网'] > 0, 'the chart shows lifeline sub-categories')

  assert.equal(await page.locator('[data-testid="workspace-scope"]').count(), 0, 'an administrator\'s unfiltered view is the whole atlas: nothing to say')
  await page.click('[data-domain="natural"]')
  await page.waitForURL(/[?&]domain=natural/)
  await waitDrawn(page, all.features)
  await page.waitForFunction((t) => (globalThis as any).document.querySelector('.workspace__table .card__hint')?.textContent.trim() !== t, all.tableTotal)
  const natural = await snapshot(page)

  assert.ok(natural.renderedTotal > 0 && natural.renderedTotal < all.renderedTotal, `fewer features drawn (${all.renderedTotal} → ${natural.renderedTotal})`)
  assert.deepEqual(natural.renderedDomains, ['natural'], 'every drawn feature is from 自然灾害')
  assert.equal(natural.subcategoryResources['燃气管网'], 0, 'lifeline bars drop to zero')
  assert.ok(natural.subcategoryResources['地质'] > 0, 'natural-disaster bars remain')
  // The view says what it is limited to, with its share of every feature.
  await page.waitForFunction(() => /^仅 自然灾害 · [\d,]+\/[\d,]+ 个要素$/.test((globalThis as any).document.querySelector('[data-testid="workspace-scope"]')?.textContent.trim() ?? ''), null, { timeout: 15_000 })
  assert.notEqual(natural.kpiResources, all.kpiResources)
  const naturalCategories = ['地震安全', '地质安全', '气象安全', '水旱安全', '海洋安全', '森林草原火灾安全']
  assert.ok(natural.tableCategories.length > 0)
  for (const c of natural.tableCategories) assert.ok(naturalCategories.includes(c), `table row of category ${c}`)

  // The view is shareable: reloading the URL restores the same filtered view.
  await page.reload()
  await waitDrawn(page)
  assert.equal(await page.getAttribute('[data-domain="natural"]', 'aria-pressed'), 'true')
  await context.close()
})

test('the filtered table exports as CSV with every matching row', async () => {
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/?domain=production`)
  await page.waitForSelector('tr[data-row="resource"]')
  const expected = (await (await adminGet(env.server, `/api/resources?domain=production&pageSize=1`)).json()) as { total: number }
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="export-csv"]')])
  const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '')
  const lines = csv.trim().split('\r\n')
  assert.match(lines[0], /^数据资源提供方,所属业务系统,数据资源所属类别,数据资源名称/)
  assert.equal(lines.length - 1, expected.total)
  assert.ok(download.suggestedFilename().endsWith('.csv'))
  await context.close()
})

/** The state a workspace panel is in (loading, ready, empty, error, stale). */
const panelState = (page: Page, name: string) => page.getAttribute(`[data-panel="${name}"]`, 'data-panel-state')

test('a failed statistics request shows the error with 重试 and no figure; 重试 brings the figures', async () => {
  const overview = (await (await adminGet(env.server, '/api/stats/overview')).json()) as { featuresByRisk: { red: number }; resources: number }
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  // The overview and the risk breakdown fail: one behind the headline figures, one behind a chart.
  await page.route('**/api/stats/overview**', (r) => r.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"internal","message":"boom"}}' }))
  await page.route('**/api/stats/risk**', (r) => r.abort('connectionrefused'))
  await page.goto(`${env.server.url}/`)
  await page.waitForSelector('[data-panel="risk"][data-panel-state="error"]')
  await page.waitForSelector('[data-panel="overview"][data-panel-state="error"]')

  const risk = page.locator('[data-panel="risk"]')
  assert.match((await risk.textContent())!, /加载失败[\s\S]*无法连接服务器[\s\S]*重试/)
  assert.equal(await risk.locator('[data-chart="risk"]').count(), 0, 'no chart stands for data that did not load')
  assert.equal(await risk.locator('text=加载中').count(), 0, 'not left loading')
  // No headline figure either: a dash, not a red 0.
  for (const kpi of ['resources', 'features', 'red', 'overdue']) {
    assert.equal((await page.textContent(`[data-kpi="${kpi}"]`))?.trim(), '—', kpi)
  }
  assert.match((await page.textContent('[data-panel="overview"] [data-testid="panel-error"]'))!, /总览数据加载失败：服务器出错（500）/)
  // The other panels drew their data meanwhile.
  await page.waitForSelector('[data-panel="update-cycles"][data-panel-state="ready"] [data-chart="update-cycles"][data-ready="true"]')

  await page.unrouteAll()
  await risk.locator('[data-action="panel-retry"]').click()
  await page.waitForSelector('[data-panel="risk"][data-panel-state="ready"] [data-chart="risk"][data-ready="true"]')
  await page.locator('[data-panel="overview"] [data-action="panel-retry"]').click()
  await page.waitForFunction((n) => (globalThis as any).document.querySelector('[data-kpi="red"]')?.textContent.trim() === n, overview.featuresByRisk.red.toLocaleString('zh-CN'))
  assert.equal((await page.textContent('[data-kpi="resources"]'))?.trim(), overview.resources.toLocaleString('zh-CN'))
  assert.equal(await panelState(page, 'overview'), 'ready')
  await context.close()
})

test('a refresh that fails keeps the last figures, says since when, and 重试 recovers', async () => {
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/`)
  await page.waitForSelector('[data-panel="domain-coverage"][data-panel-state="ready"] [data-chart="domain-coverage"][data-ready="true"]')
  await page.route('**/api/stats/coverage**', (r) => r.fulfill({ status: 502, body: 'Bad Gateway' }))
  // A change on the server: the workspace reads its panels again for the same filters.
  const res = await fetch(`${env.server.url}/api/departments`, {
    method: 'POST', headers: { ...adminHeaders(env.server), 'content-type': 'application/json' }, body: JSON.stringify({ name: '端到端测试临时部门' }),
  })
  assert.equal(res.status, 201)
  await page.waitForSelector('[data-panel="domain-coverage"][data-panel-state="stale"]', { timeout: 30_000 })
  const stale = page.locator('[data-panel="domain-coverage"] [data-testid="panel-stale"]')
  assert.match((await stale.textContent())!, /数据更新于 \d{2}:\d{2}，刷新失败 · 重试/)
  assert.equal(await page.locator('[data-panel="domain-coverage"] [data-chart="domain-coverage"]').count(), 1, 'the last good chart stays')
  await page.unrouteAll()
  await stale.locator('[data-action="panel-retry"]').click()
  await page.waitForSelector('[data-panel="domain-coverage"][data-panel-state="ready"]')
  await context.close()
})

test('a search that finds nothing shows every panel empty, not loading, and 填报进度 follows it', async () => {
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/?q=${encodeURIComponent('没有这样的数据资源名称')}`)
  await page.waitForSelector('[data-panel="reporting"][data-panel-state="empty"]')
  for (const name of ['domain-coverage', 'freshness', 'risk', 'subcategory-coverage', 'update-cycles', 'reporting', 'department-coverage', 'department-freshness', 'table']) {
    await page.waitForSelector(`[data-panel="${name}"][data-panel-state="empty"]`)
  }
  assert.match((await page.textContent('[data-panel="reporting"]'))!, /没有符合条件的部门/)
  assert.equal((await page.textContent('[data-kpi="resources"]'))?.trim(), '0', 'nothing found is a real 0')

  // A search that finds something: 填报进度 counts the matching resources only.
  const q = '危险化学品'
  const expected = (await (await adminGet(env.server, `/api/departments?q=${encodeURIComponent(q)}`)).json()) as { items: { shortName: string; name: string; resourceCount: number }[] }
  await page.goto(`${env.server.url}/?q=${encodeURIComponent(q)}`)
  await page.waitForSelector('[data-panel="reporting"][data-panel-state="ready"] [data-chart="reporting"][data-ready="true"]')
  const bars = await page.evaluate(() => {
    const option = (globalThis as any).__atlas['chart:reporting'].getOption()
    return (option.series[0].data as { value: number }[]).map((d) => d.value).reduce((a, b) => a + b, 0)
  })
  const total = (await (await adminGet(env.server, `/api/stats/overview?q=${encodeURIComponent(q)}`)).json()) as { resources: number }
  assert.equal(bars, total.resources, 'the bars add up to the resources found')
  assert.equal(bars, expected.items.reduce((n, d) => n + d.resourceCount, 0))
  await context.close()
})
