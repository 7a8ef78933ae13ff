import assert from 'node:assert/strict'
import { test } from 'vitest'
import type { Page } from 'playwright-core'
import { newContext, serverAndBrowser } from '../helpers/browser.js'

const env = serverAndBrowser()

/** Everything a leader would notice: drawn map, filled panels, nothing cut off or scrolling, text legible from afar. */
function inspectWall(page: Page) {
  return page.evaluate(async () => {
    const g = globalThis as unknown as { __atlas: Record<string, any>; document: any; innerWidth: number; innerHeight: number; getComputedStyle: (e: unknown) => { fontSize: string } }
    const doc = g.document
    const map = g.__atlas['map:screen']
    const canvas = doc.querySelector('.wall__map canvas.maplibregl-canvas')
    // Sample the WebGL canvas (preserveDrawingBuffer) through a 2D copy: a drawn map has many colours.
    const probe = doc.createElement('canvas')
    probe.width = 200
    probe.height = 120
    const ctx = probe.getContext('2d')
    ctx.drawImage(canvas, 0, 0, 200, 120)
    const px = ctx.getImageData(0, 0, 200, 120).data
    const colours = new Set<string>()
    let lit = 0
    for (let i = 0; i < px.length; i += 4) {
      colours.add(`${px[i] >> 4},${px[i + 1] >> 4},${px[i + 2] >> 4}`)
      if (px[i] + px[i + 1] + px[i + 2] > 150) lit++
    }
    const overflowing: string[] = []
    for (const el of doc.querySelectorAll('.panel, .panel__body, .wall__kpi, .wall__header, .wall__body, .wall__map')) {
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) overflowing.push(el.className)
    }
    const stage = doc.querySelector('.stage').getBoundingClientRect()
    const panels = [...doc.querySelectorAll('.wall [data-chart]')].map((el: any) => ({
      name: el.dataset.chart,
      svgShapes: el.querySelectorAll('svg path, svg rect').length,
      tiles: el.querySelectorAll('.cov__tile, .rep__tile').length,
    }))
    const kpis = [...doc.querySelectorAll('[data-kpi] .wall__kpi-value')].map((el: any) => el.textContent.trim())
    // Chart text at the 1920 × 1080 design size (the canvas scales as a whole).
    const chartFonts = [...doc.querySelectorAll('.wall [data-chart] svg text')].map((t: any) => parseFloat(g.getComputedStyle(t).fontSize))
    // Rows and tiles inside their panel, whole, their names not cut off.
    const clipped: string[] = []
    for (const el of doc.querySelectorAll('.cov__tile, .rep__tile, .sd__table tr, .od__table tbody tr')) {
      const r = el.getBoundingClientRect()
      const body = el.closest('.panel__body').getBoundingClientRect()
      if (r.bottom > body.bottom + 0.5 || r.right > body.right + 0.5) clipped.push(`${el.className}: ${el.textContent.trim()}`)
    }
    for (const el of doc.querySelectorAll('.cov__name, .rep__name')) if (el.scrollWidth > el.clientWidth) clipped.push(`name cut: ${el.textContent}`)
    // The whole district on the map, none of it under the risk bar or the legend.
    const regions = (await (await fetch('/api/regions?type=district')).json()) as { features: any[] }
    const mapBox = map.getContainer().getBoundingClientRect()
    const bar = doc.querySelector('.wall__risk').getBoundingClientRect()
    const legend = doc.querySelector('.wall .atlas-map__legend').getBoundingClientRect()
    const s = mapBox.width / map.getContainer().offsetWidth
    const hidden: number[][] = []
    const visit = (c: any): void => {
      if (typeof c[0] === 'number') {
        const p = map.project(c)
        const x = mapBox.left + p.x * s
        const y = mapBox.top + p.y * s
        const under = (b: any) => x >= b.left && x <= b.right && y >= b.top && y <= b.bottom
        if (x < mapBox.left || x > mapBox.right || y < mapBox.top || y > mapBox.bottom || under(bar) || under(legend)) hidden.push(c)
        return
      }
      for (const x of c) visit(x)
    }
    for (const f of regions.features) if (f.properties.focus) visit(f.geometry.coordinates)
    const rendered = map.queryRenderedFeatures({ layers: ['clusters', 'points', 'alert-points', 'pipelines', 'areas-fill'] }).length
    return {
      chartFonts,
      clipped,
      hidden: hidden.length,
      canvasSize: [canvas.width, canvas.height, canvas.clientWidth, canvas.clientHeight],
      colours: colours.size,
      lit,
      rendered,
      overflowing,
      stage: [stage.left, stage.top, stage.width, stage.height],
      viewport: [g.innerWidth, g.innerHeight],
      pageScroll: [doc.documentElement.scrollWidth, doc.documentElement.scrollHeight],
      panels,
      kpis,
      updatedAt: doc.querySelector('[data-testid="updated-at"] b').textContent.trim(),
      scale: Number(doc.querySelector('.stage').dataset.scale),
    }
  })
}

for (const [width, height] of [[1920, 1080], [3840, 2160]] as const) {
  test(`the wall screen fills ${width}×${height}: drawn map, all panels filled, nothing overflowing`, async () => {
    const context = await newContext(env.browser, { width, height }, env.server)
    const page = await context.newPage()
    await page.goto(`${env.server.url}/screen`)
    await page.waitForSelector('[data-screen-state="drawn"]', { timeout: 90_000 })
    const wall = await inspectWall(page)

    assert.equal(wall.scale, width / 1920, 'the 1920×1080 design canvas is scaled to the screen')
    assert.deepEqual(wall.stage.map(Math.round), [0, 0, width, height], 'the canvas fills the screen exactly')
    assert.deepEqual(wall.pageScroll, wall.viewport, 'no scroll bars')
    assert.deepEqual(wall.overflowing, [], 'no panel overflows')
    // The map canvas is drawn at the screen's resolution, not stretched from the design size.
    assert.equal(wall.canvasSize[0], Math.round(wall.canvasSize[2] * wall.scale))
    assert.ok(wall.colours > 20 && wall.lit > 200, `the map canvas is drawn (${wall.colours} colours, ${wall.lit} lit pixels)`)
    assert.ok(wall.rendered > 50, `features are drawn (${wall.rendered})`)
    assert.ok(wall.chartFonts.length > 30 && Math.min(...wall.chartFonts) >= 18, `chart text at least 18 px at the design size (${Math.min(...wall.chartFonts)})`)
    assert.deepEqual(wall.clipped, [], 'no row, tile or name cut off')
    assert.equal(wall.hidden, 0, 'the whole district is on the map, clear of the risk bar and the legend')
    assert.equal(wall.panels.length, 6)
    for (const p of wall.panels) assert.ok(p.svgShapes > 5 || p.tiles >= 13, `panel ${p.name} is filled`)
    for (const k of wall.kpis) assert.match(k, /\d/, 'every headline figure is filled')
    assert.match(wall.updatedAt, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, '"updated at" carries date and time')
    await context.close()
  })
}

test('under the 2× scale a hover lands on the feature under the pointer', async () => {
  const context = await newContext(env.browser, { width: 3840, height: 2160 }, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/screen`)
  await page.waitForSelector('[data-screen-state="drawn"]', { timeout: 90_000 })
  // Zoom in on a red risk point so that it stands alone, then find where it is on the page.
  const target = await page.evaluate(async () => {
    const g = globalThis as unknown as { __atlas: Record<string, any> }
    const map = g.__atlas['map:screen']
    const red = map.querySourceFeatures('features-alerts')[0]
    map.jumpTo({ center: red.geometry.coordinates, zoom: 17 })
    await new Promise((r) => map.once('idle', r))
    const hit = map.queryRenderedFeatures({ layers: ['alert-points'] }).find((f: any) => f.properties.id === red.properties.id)
    const p = map.project(hit.geometry.coordinates)
    const rect = map.getContainer().getBoundingClientRect()
    const scale = rect.width / map.getContainer().offsetWidth
    return { name: hit.properties.name, x: rect.left + p.x * scale, y: rect.top + p.y * scale, scale }
  })
  assert.equal(target.scale, 2)
  await page.mouse.move(target.x, target.y)
  await page.waitForSelector('.atlas-hover .atlas-hover-label')
  assert.equal((await page.textContent('.atlas-hover .atlas-hover-label'))?.trim(), target.name)

  // A click on the same spot opens that feature's popup with its provenance.
  await page.mouse.click(target.x, target.y)
  await page.waitForSelector('.atlas-popup')
  assert.equal((await page.textContent('.atlas-popup__name'))?.trim(), target.name)
  assert.match((await page.textContent('.atlas-popup__chain'))!, /→/)
  await context.close()
})
