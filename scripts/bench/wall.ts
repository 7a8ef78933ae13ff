/**
 * Times the wall screen (/screen) in headless Chromium at 1920×1080 on an existing database: starts
 * our server on 127.0.0.1, opens the page and prints how long until the map is drawn and idle, the
 * longest main-thread task while loading (a freeze shows as a long task) and whether the page
 * answers a script promptly afterwards; saves a screenshot.
 *
 *   node --import tsx scripts/bench/wall.ts --db data/big.sqlite [--web dist/web] [--shot /tmp/wall.png]
 */
import { spawn } from 'node:child_process'
import { parseArgs } from 'node:util'
import { REPO_ROOT } from '../../server/config.js'
import { launchBrowser, newContext } from '../../tests/helpers/browser.js'
import { get } from './http.js'
import { benchSession } from './session.js'
import { freePortOn } from './viewports.js'

const { values } = parseArgs({ options: { db: { type: 'string' }, web: { type: 'string', default: process.env.WEB_ROOT ?? 'dist/web' }, shot: { type: 'string', default: '/tmp/wall.png' } } })
if (!values.db) throw new Error('--db is required')
const port = await freePortOn()
const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: REPO_ROOT, stdio: 'ignore',
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: values.db, DEMO: 'off', WEB_ROOT: values.web },
})
const url = `http://127.0.0.1:${port}`
try {
  for (;;) {
    try { if ((await get(`${url}/api/meta`)).status === 200) break } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100))
  }
  const browser = await launchBrowser()
  try {
    const context = await newContext(browser)
    const [name, value] = (await benchSession(values.db, url)).split('=') as [string, string]
    await context.addCookies([{ name, value, url }])
    const page = await context.newPage()
    await page.addInitScript(() => {
      // Runs in the page (no DOM types in this Node project).
      const g = globalThis as any
      g.__longest = 0
      new g.PerformanceObserver((list: any) => { for (const e of list.getEntries()) g.__longest = Math.max(g.__longest, e.duration) }).observe({ type: 'longtask', buffered: true })
    })
    const t0 = Date.now()
    await page.goto(`${url}/screen`)
    await page.waitForSelector('.atlas-map[data-map-state="drawn"]', { timeout: 180_000 })
    const drawnMs = Date.now() - t0
    const p0 = Date.now()
    await page.evaluate(() => 1)
    const responsiveMs = Date.now() - p0
    const info = await page.evaluate(() => {
      const g = globalThis as any
      const el = g.document.querySelector('.atlas-map')
      const map = g.__atlas?.['map:screen']
      const rendered = map ? map.queryRenderedFeatures().filter((f: any) => f.source === 'features-tiles').length : -1
      return { mode: el.dataset.mapMode as string, features: el.dataset.featureCount as string, rendered: rendered as number, longest: g.__longest as number }
    })
    await page.screenshot({ path: values.shot! })
    console.log(`wall /screen 1920×1080: map drawn and idle ${drawnMs} ms after navigation; mode ${info.mode}, ${Number(info.features).toLocaleString('en')} features, ` +
      `${info.rendered} tile features rendered; longest main-thread task ${Math.round(info.longest)} ms; a script ran ${responsiveMs} ms after; screenshot ${values.shot}`)
  } finally {
    await browser.close()
  }
} finally {
  server.kill('SIGTERM')
}
