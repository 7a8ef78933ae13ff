import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'vitest'
import type { Page } from 'playwright-core'
import { adminGet, newContext, serverAndBrowser } from '../helpers/browser.js'

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

  await page.click('[data-domain="natural"]')
  await page.waitForURL(/[?&]domain=natural/)
  await waitDrawn(page, all.features)
  await page.waitForFunction((t) => (globalThis as any).document.querySelector('.workspace__table .card__hint')?.textContent.trim() !== t, all.tableTotal)
  const natural = await snapshot(page)

  assert.ok(natural.renderedTotal > 0 && natural.renderedTotal < all.renderedTotal, `fewer features drawn (${all.renderedTotal} → ${natural.renderedTotal})`)
  assert.deepEqual(natural.renderedDomains, ['natural'], 'every drawn feature is from 自然灾害')
  assert.equal(natural.subcategoryResources['燃气管网'], 0, 'lifeline bars drop to zero')
  assert.ok(natural.subcategoryResources['地质'] > 0, 'natural-disaster bars remain')
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
