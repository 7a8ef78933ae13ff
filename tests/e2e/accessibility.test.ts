import assert from 'node:assert/strict'
import { beforeAll, test } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { axeProblems } from '../helpers/axe.js'
import type { AxeProblem } from '../helpers/axe.js'
import { adminGet, adminHeaders, newContext, serverAndBrowser } from '../helpers/browser.js'

/**
 * Every page passes axe-core (WCAG 2.1 A and AA) without a serious or critical problem, in the light
 * and the dark theme and in high contrast; the problems found are printed, page by page.
 */

const env = serverAndBrowser()

/** How this browser keeps its display settings (web/stores/settings.ts). */
const SETTINGS_KEY = 'atlas.settings.v1'
const MODES = {
  light: { theme: 'light' },
  dark: { theme: 'dark' },
  'high-contrast': { theme: 'light', highContrast: true },
} as const
type Mode = keyof typeof MODES

async function getJson<T>(path: string): Promise<T> {
  const res = await adminGet(env.server, path)
  assert.equal(res.status, 200, `${path} answers 200`)
  return (await res.json()) as T
}

interface Ids { department: number; system: number; resource: number; riskPoint: number; monitoringPoint: number; feature: number; alarm: number }
let ids: Ids

beforeAll(async () => {
  const { items: resources } = await getJson<{ items: { id: number; departmentId: number; systemId: number; featureCount: number }[] }>('/api/resources?pageSize=200')
  const resource = resources.find((r) => r.featureCount > 0) ?? resources[0]!
  const feature = async (kind: string) => (await getJson<{ features: { properties: { id: number } }[] }>(`/api/features?kind=${kind}&limit=1`)).features[0]!.properties.id
  const monitoringPoint = await feature('monitoring-point')
  ids = {
    department: resource.departmentId,
    system: resource.systemId,
    resource: resource.id,
    riskPoint: await feature('risk-point'),
    monitoringPoint,
    feature: await feature('hazard-source'),
    alarm: await raiseAlarm(monitoringPoint),
  }
})

/** An open alarm on a monitoring point (a reading over its threshold), so that 告警中心 has a list and a detail to check. */
async function raiseAlarm(pointId: number): Promise<number> {
  const point = await getJson<{ properties: { resourceId: number } }>(`/api/features/${pointId}`)
  const { resource } = await getJson<{ resource: { systemId: number } }>(`/api/resources/${point.properties.resourceId}`)
  const issued = await fetch(`${env.server.url}/api/systems/${resource.systemId}/api-keys`, {
    method: 'POST', headers: { ...adminHeaders(env.server), 'content-type': 'application/json' }, body: JSON.stringify({ label: '无障碍检查' }),
  })
  const { key } = (await issued.json()) as { key: string }
  const sent = await fetch(`${env.server.url}/api/ingest/readings`, {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ readings: [{ point: pointId, channel: 'gas', value: 60, at: new Date().toISOString() }] }),
  })
  assert.equal(sent.status, 200, await sent.clone().text())
  const { items } = await getJson<{ items: { id: number }[] }>(`/api/alarms?point=${pointId}&limit=1`)
  return items[0]!.id
}

const ANALYSIS_TABS = ['coverage', 'conflicts', 'sharing', 'spatial', 'surroundings']
const ADMIN_TABS = ['users', 'departments', 'kiosk', 'federation', 'alarms', 'risk', 'audit', 'settings']

/** The pages, by a name for the report and their path (ids of the demo city filled in when the tests run). */
const PAGES: [string, (ids: Ids) => string][] = [
  ['workspace', () => '/'],
  ['departments', () => '/departments'],
  ['department', (i) => `/departments/${i.department}`],
  ['system', (i) => `/departments/${i.department}/systems/${i.system}`],
  ['resource', (i) => `/departments/${i.department}/systems/${i.system}/resources/${i.resource}`],
  ['reporting', () => '/reporting'],
  ['supervision', () => '/supervision'],
  ...ANALYSIS_TABS.map((t): [string, () => string] => [`analysis ${t}`, () => `/analysis?tab=${t}`]),
  ['risk', () => '/risk'],
  ['risk point', (i) => `/risk-points/${i.riskPoint}`],
  ['monitoring point', (i) => `/points/${i.monitoringPoint}`],
  ['feature', (i) => `/features/${i.feature}`],
  ['alarms', (i) => `/alarms?alarm=${i.alarm}`],
  ...ADMIN_TABS.map((t): [string, () => string] => [`admin ${t}`, () => `/admin?tab=${t}`]),
  ['screen', () => '/screen'],
  ['not found', () => '/no-such-page'],
]

async function modeContext(mode: Mode, signedIn: boolean): Promise<BrowserContext> {
  const context = await newContext(env.browser, undefined, signedIn ? env.server : undefined)
  await context.addInitScript(([key, value]) => (globalThis as any).localStorage.setItem(key, value), [SETTINGS_KEY, JSON.stringify(MODES[mode])] as const)
  return context
}

/** Waits until the page has drawn: no panel still says 加载中… (at most 20 s), then a moment for charts to settle. */
async function settle(page: Page): Promise<void> {
  await page.waitForSelector('#app > *')
  await page.waitForFunction(() => !(globalThis as any).document.body.innerText.includes('加载中'), null, { timeout: 20_000 }).catch(() => undefined)
  await page.waitForTimeout(600)
}

function report(problems: AxeProblem[]): string {
  return problems.map((p) => `  [${p.impact}] ${p.id}: ${p.help}\n${p.nodes.map((n) => `      ${n}`).join('\n')}`).join('\n')
}

async function audit(path: string, signedIn = true): Promise<void> {
  const found: string[] = []
  for (const mode of Object.keys(MODES) as Mode[]) {
    const context = await modeContext(mode, signedIn)
    try {
      const page = await context.newPage()
      await page.goto(`${env.server.url}${path}`)
      await settle(page)
      if (mode === 'high-contrast' && await page.evaluate(() => (globalThis as any).document.documentElement.dataset.contrast) !== 'high') {
        found.push(`${path} (${mode}): high contrast is not applied to <html>`)
      }
      const problems = await axeProblems(page)
      if (problems.length) found.push(`${path} (${mode}):\n${report(problems)}`)
    } finally {
      await context.close()
    }
  }
  if (found.length) console.log(found.join('\n'))
  assert.equal(found.length, 0, `serious or critical accessibility problems:\n${found.join('\n')}`)
}

for (const [name, path] of PAGES) {
  test(`${name}: no serious or critical accessibility problems`, () => audit(path(ids)))
}

test('sign-in (signed out): no serious or critical accessibility problems', () => audit('/sign-in', false))

/** What has the focus: its tag, text and test handles, and how its focus ring is drawn. */
function focused(page: Page) {
  return page.evaluate(() => {
    const g = globalThis as any
    const el = g.document.activeElement
    const style = g.getComputedStyle(el)
    return {
      tag: el.tagName as string,
      text: String(el.textContent ?? '').trim().slice(0, 40),
      testid: (el.dataset?.testid ?? null) as string | null,
      inDialog: Boolean(el.closest('[role="dialog"]')),
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
    }
  })
}

test('the keyboard reaches the map\'s features through their list, with a focus ring all the way', async () => {
  const context = await modeContext('light', true)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/`)
  await page.waitForSelector('[data-table="features"] a')
  // Past the top bar, then the skip link over the map to the list of its features.
  await page.keyboard.press('Tab')
  assert.equal((await focused(page)).text, '跳到主要内容')
  let reached = false
  for (let i = 0; i < 150 && !reached; i++) {
    await page.keyboard.press('Tab')
    const f = await focused(page)
    assert.match(f.outline, /^(solid|auto) [2-9]/, `${f.tag} 「${f.text}」 shows where the focus is`)
    reached = f.text.startsWith('跳到地图要素列表')
  }
  assert.ok(reached, 'a skip link leads past the map')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  const link = await focused(page)
  assert.equal(link.tag, 'A', 'the first feature of the list has the focus')
  const href = await page.evaluate(() => (globalThis as any).document.activeElement.getAttribute('href') as string)
  assert.match(href, /^\/(features|risk-points|points)\/\d+$/)
  await page.keyboard.press('Enter')
  await page.waitForURL(`**${href}`)
  await context.close()
})

test('无障碍: 大字号 and 高对比度 switch by keyboard, go on <html> and stay for the next visit', async () => {
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/departments`)
  await page.focus('[data-testid="display-menu"]')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  assert.match((await focused(page)).text, /^大字号/)
  await page.keyboard.press('Space')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Space')
  assert.deepEqual(await page.evaluate(() => ({ ...(globalThis as any).document.documentElement.dataset })), { textSize: 'large', contrast: 'high' })
  assert.equal(await page.getAttribute('[data-setting="large-text"]', 'aria-checked'), 'true')
  // The app is drawn larger: a heading's box grows by the zoom.
  const scale = await page.evaluate(() => {
    const h = (globalThis as any).document.querySelector('.page__title')
    return h.getBoundingClientRect().height / h.offsetHeight
  })
  assert.ok(Math.abs(scale - 1.25) < 0.02, `text is drawn 25% larger (${scale})`)
  await page.keyboard.press('Escape')
  assert.equal((await focused(page)).testid, 'display-menu', 'Escape closes the menu and gives the focus back')
  await page.reload()
  await page.waitForSelector('[data-row="department"]')
  assert.deepEqual(await page.evaluate(() => ({ ...(globalThis as any).document.documentElement.dataset })), { textSize: 'large', contrast: 'high' })
  await context.close()
})

test('every chart offers its numbers as a table: 「表格」 shows it, screen readers always have it', async () => {
  const context = await modeContext('light', true)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/`)
  await page.waitForSelector('[data-chart="department-freshness"][data-ready="true"]')
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-chart-toggle]').length >= 8)
  const charts = await page.locator('.chart[data-ready="true"]').evaluateAll((els) => els.map((e: any) => e.dataset.chart as string))
  const tables = await page.locator('[data-chart-table]').evaluateAll((els) => els.map((e: any) => e.dataset.chartTable as string))
  assert.deepEqual(tables.sort(), charts.sort(), 'a table for every chart')

  await page.click('[data-chart-toggle="risk"]')
  const table = page.locator('[data-chart-table="risk"]')
  await table.locator('table').waitFor({ state: 'visible' })
  const head = await table.locator('thead th').allTextContents()
  assert.deepEqual(head.map((h) => h.trim()), ['类别', '重大风险', '较大风险', '一般风险', '低风险'])
  const rows = await table.locator('tbody th').allTextContents()
  assert.ok(rows.includes('风险点') && rows.includes('危险源'), `a row per kind (${rows.join(', ')})`)
  assert.equal(await page.getAttribute('[data-chart-toggle="risk"]', 'aria-pressed'), 'true')
  await page.click('[data-chart-toggle="risk"]')
  assert.equal(await table.evaluate((el: any) => el.classList.contains('sr-only')), true, 'back to the chart, the table stays for screen readers')
  await context.close()
})

test('a dialog keeps the focus inside while open, closes on Escape and gives the focus back', async () => {
  const context = await modeContext('light', true)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/departments`)
  await page.focus('button[aria-label="底图设置"]')
  await page.keyboard.press('Enter')
  await page.waitForSelector('[data-testid="basemap-dialog"]')
  assert.equal(await page.getAttribute('[data-testid="basemap-dialog"]', 'aria-modal'), 'true')
  for (let i = 0; i < 12; i++) {
    assert.ok((await focused(page)).inDialog, `Tab ${i} stays in the dialog`)
    await page.keyboard.press(i % 4 === 3 ? 'Shift+Tab' : 'Tab')
  }
  await page.keyboard.press('Escape')
  await page.waitForSelector('[data-testid="basemap-dialog"]', { state: 'detached' })
  assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement.getAttribute('aria-label')), '底图设置')
  await context.close()
})
