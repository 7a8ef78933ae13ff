/**
 * Screenshots of every view, for review: starts the real server on a fresh demo
 * database (like the E2E tests), opens each view in headless Chromium and writes PNGs to screenshots/.
 * Also prints the wall screen's time from navigation to drawn, and the gzip sizes of dist/web.
 *
 *   node --import tsx scripts/screenshots.ts
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { REPO_ROOT, adminGet, adminHeaders, launchBrowser, signInAsAdmin, startServer } from '../tests/helpers/browser.js'
import type { RunningServer } from '../tests/helpers/browser.js'

const OUT = join(REPO_ROOT, 'screenshots')

interface Shot {
  name: string
  path: string
  ready: string
}

async function waitReady(page: Page, selector: string) {
  await page.waitForSelector(selector, { timeout: 60_000 })
  // Let the last chart animations finish before the picture is taken.
  await page.waitForTimeout(900)
}

/**
 * Alarms for the 告警中心 (the server runs without the simulator): readings over the gas thresholds
 * of each level at points of one demo system, sent with a fresh key of that system; the first one is
 * taken through 研判 and 推送 so its SLA clocks and timeline show. Answers that alarm's id.
 */
async function seedAlarms(server: RunningServer): Promise<number> {
  const { features } = (await (await adminGet(server, '/api/features?kind=monitoring-point&limit=5000')).json()) as { features: { properties: { id: number; resourceId: number } }[] }
  const byResource = new Map<number, number[]>()
  for (const f of features) byResource.set(f.properties.resourceId, [...(byResource.get(f.properties.resourceId) ?? []), f.properties.id])
  const [resourceId, points] = [...byResource].sort((a, b) => b[1].length - a[1].length)[0]!
  const { resource } = (await (await adminGet(server, `/api/resources/${resourceId}`)).json()) as { resource: { systemId: number } }
  const headers = { ...adminHeaders(server), 'content-type': 'application/json' }
  const issued = await fetch(`${server.url}/api/systems/${resource.systemId}/api-keys`, { method: 'POST', headers, body: JSON.stringify({ label: '截图' }) })
  const { key } = (await issued.json()) as { key: string }
  const values = [62, 36, 23, 12, 55, 27]
  const at = new Date().toISOString()
  const readings = points.slice(0, values.length).map((point, i) => ({ point, channel: 'gas', value: values[i], at }))
  await fetch(`${server.url}/api/ingest/readings`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ readings }) })
  const { items } = (await (await adminGet(server, `/api/alarms?point=${points[0]}`)).json()) as { items: { id: number }[] }
  for (const action of ['confirm', 'push']) {
    await fetch(`${server.url}/api/alarms/${items[0]!.id}/actions`, { method: 'POST', headers, body: JSON.stringify({ action }) })
  }
  return items[0]!.id
}

function bundleSizes() {
  const dir = join(REPO_ROOT, 'dist/web/assets')
  const html = readFileSync(join(REPO_ROOT, 'dist/web/index.html'), 'utf8')
  const rows = readdirSync(dir)
    .filter((f) => /\.(js|css)$/.test(f))
    .map((f) => {
      const buf = readFileSync(join(dir, f))
      return { file: f, raw: statSync(join(dir, f)).size, gzip: gzipSync(buf, { level: 9 }).length, initial: html.includes(f) }
    })
  const sum = (xs: typeof rows, k: 'raw' | 'gzip') => xs.reduce((n, r) => n + r[k], 0)
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`
  const js = rows.filter((r) => r.file.endsWith('.js'))
  const css = rows.filter((r) => r.file.endsWith('.css'))
  console.log('\nBundle sizes (dist/web/assets, gzip -9):')
  console.log(`  JS  total ${kb(sum(js, 'gzip'))} gzip (${kb(sum(js, 'raw'))} raw), loaded by index.html ${kb(sum(js.filter((r) => r.initial), 'gzip'))}`)
  console.log(`  CSS total ${kb(sum(css, 'gzip'))} gzip (${kb(sum(css, 'raw'))} raw), loaded by index.html ${kb(sum(css.filter((r) => r.initial), 'gzip'))}`)
  for (const r of [...rows].sort((a, b) => b.gzip - a.gzip).slice(0, 6)) console.log(`    ${r.file.padEnd(48)} ${kb(r.gzip).padStart(11)}`)
}

async function main() {
  mkdirSync(OUT, { recursive: true })
  const server = await startServer()
  const browser = await launchBrowser()
  try {
    // Pick real ids from the demo city: a department with systems, its first system and a resource with features.
    const deps = (await (await adminGet(server, '/api/departments')).json()) as { items: { id: number; systemCount: number; featureCount: number }[] }
    const dept = deps.items.filter((d) => d.systemCount > 0).sort((a, b) => b.featureCount - a.featureCount)[0]
    const detail = (await (await adminGet(server, `/api/departments/${dept.id}`)).json()) as { systems: { id: number; resourceCount: number }[] }
    // National and municipal systems report no resources (annex 3 is for district-built ones).
    const sys = [...detail.systems].sort((a, b) => b.resourceCount - a.resourceCount)[0]
    const sysDetail = (await (await adminGet(server, `/api/systems/${sys.id}`)).json()) as { resources: { id: number; featureCount: number }[] }
    const res = [...sysDetail.resources].sort((a, b) => b.featureCount - a.featureCount)[0]
    const alarmId = await seedAlarms(server)

    const desktop: Shot[] = [
      { name: 'workspace', path: '/', ready: '.atlas-map[data-map-state="drawn"]' },
      { name: 'workspace-filtered', path: '/?domain=natural', ready: '.atlas-map[data-map-state="drawn"]' },
      { name: 'departments', path: '/departments', ready: 'tr[data-row="department"]' },
      { name: 'department', path: `/departments/${dept.id}`, ready: '.atlas-map[data-map-state="drawn"]' },
      { name: 'system', path: `/departments/${dept.id}/systems/${sys.id}`, ready: '.atlas-map[data-map-state="drawn"]' },
      { name: 'resource', path: `/departments/${dept.id}/systems/${sys.id}/resources/${res.id}`, ready: '.atlas-map[data-map-state="drawn"]' },
      { name: 'reporting', path: '/reporting', ready: 'tr[data-row="report"]' },
      { name: 'supervision', path: '/supervision', ready: '[data-testid="department-ranking"] tr[data-department]' },
      { name: 'analysis', path: '/analysis', ready: '[data-testid="coverage-matrix"]' },
      { name: 'admin-users', path: '/admin?tab=users', ready: '[data-testid="users-table"] tbody tr' },
      { name: 'admin-audit', path: '/admin?tab=audit', ready: '[data-testid="audit-table"] tbody tr' },
      { name: 'alarms', path: '/alarms', ready: '[data-testid="alarms-table"] tbody tr' },
      { name: 'alarms-detail', path: `/alarms?alarm=${alarmId}`, ready: '[data-testid="alarm-clocks"]' },
      { name: 'admin-alarm-rules', path: '/admin?tab=alarms', ready: '[data-testid="alarm-rules"] tr[data-rule-id]' },
    ]
    // Desktop views at 1920×1080, and on a 4K monitor (3840×2160 device pixels at 200 %).
    for (const [suffix, dsf] of [['1920x1080', 1], ['3840x2160', 2]] as const) {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: dsf, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
      await signInAsAdmin(context, server)
      const page = await context.newPage()
      for (const shot of desktop) {
        await page.goto(`${server.url}${shot.path}`)
        await waitReady(page, shot.ready)
        await page.screenshot({ path: join(OUT, `${shot.name}-${suffix}.png`) })
        console.log(`wrote screenshots/${shot.name}-${suffix}.png`)
      }
      await context.close()
    }

    // The 告警中心 on a 1366×768 laptop.
    {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
      await signInAsAdmin(context, server)
      const page = await context.newPage()
      await page.goto(`${server.url}/alarms?alarm=${alarmId}`)
      await waitReady(page, '[data-testid="alarm-clocks"]')
      await page.screenshot({ path: join(OUT, 'alarms-detail-1366x768.png') })
      console.log('wrote screenshots/alarms-detail-1366x768.png')
      await context.close()
    }

    // The sign-in page, as anyone arriving sees it.
    {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
      const page = await context.newPage()
      await page.goto(`${server.url}/`)
      await waitReady(page, '[data-testid="sign-in-form"]')
      await page.screenshot({ path: join(OUT, 'sign-in-1920x1080.png') })
      console.log('wrote screenshots/sign-in-1920x1080.png')
      await context.close()
    }

    // The wall at its two sizes, and a filtered wall view; time-to-drawn measured on a cold page.
    const walls = [
      { name: 'screen-1920x1080', viewport: { width: 1920, height: 1080 }, path: '/screen' },
      { name: 'screen-3840x2160', viewport: { width: 3840, height: 2160 }, path: '/screen' },
      { name: 'screen-filtered-1920x1080', viewport: { width: 1920, height: 1080 }, path: '/screen?domain=lifeline,public' },
    ]
    for (const wall of walls) {
      const context = await browser.newContext({ viewport: wall.viewport, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
      await signInAsAdmin(context, server)
      const page = await context.newPage()
      await page.goto(`${server.url}${wall.path}`)
      await waitReady(page, '[data-screen-state="drawn"]')
      const drawnMs = await page.evaluate(() => performance.getEntriesByName('atlas:screen-drawn')[0]?.startTime ?? NaN)
      await page.screenshot({ path: join(OUT, `${wall.name}.png`) })
      console.log(`wrote screenshots/${wall.name}.png — wall drawn ${Math.round(drawnMs)} ms after navigation`)
      await context.close()
    }
    bundleSizes()
  } finally {
    await browser.close()
    await server.stop()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
