import assert from 'node:assert/strict'
import { test } from 'vitest'
import { newContext, serverAndBrowser } from '../helpers/browser.js'

const env = serverAndBrowser()

test('an official drills from a department to a data item and back up by the breadcrumbs', async () => {
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/departments`)

  // Pick the department with most resources, by what the list shows.
  await page.waitForSelector('tr[data-row="department"]')
  const deptLink = page.locator('tr[data-row="department"] a', { hasText: '渝北区住房城乡建设委' })
  await deptLink.click()
  await page.waitForURL(/\/departments\/\d+$/)
  await page.waitForSelector('tr[data-row="system"]')
  assert.equal((await page.textContent('[data-testid="department-name"]'))?.trim(), '渝北区住房城乡建设委')
  await page.waitForSelector('.atlas-map[data-map-state="drawn"]', { timeout: 60_000 })
  assert.ok(Number(await page.getAttribute('.atlas-map', 'data-feature-count')) > 0, "the department's features are on its map")

  // A district-built system has resources (annex 3 applies to those only).
  const systemLink = page.locator('tr[data-row="system"]', { hasText: '区级建设' }).first().locator('a')
  const systemName = (await systemLink.textContent())!.trim()
  await systemLink.click()
  await page.waitForURL(/\/systems\/\d+$/)
  await page.waitForFunction((n) => (globalThis as any).document.querySelector('[data-testid="system-name"]')?.textContent.trim() === n, systemName)
  await page.waitForSelector('tr[data-row="resource"]')

  const resourceLink = page.locator('tr[data-row="resource"] a').first()
  const resourceName = (await resourceLink.textContent())!.trim()
  await resourceLink.click()
  await page.waitForURL(/\/resources\/\d+$/)
  await page.waitForSelector('tr[data-row="item"]')
  assert.equal((await page.textContent('[data-testid="resource-name"]'))?.trim(), resourceName)

  // A data item row: name, type, length.
  const cells = await page.locator('tr[data-row="item"]').first().locator('td').allTextContents()
  assert.equal(cells.length, 4)
  assert.ok(cells[1].trim().length > 0, 'item name')
  assert.match(cells[2], /^[CNYTLMG] /, 'item type')
  assert.match(cells[3].trim(), /^\d+$/, 'item length')

  // Breadcrumbs: resource → system → department.
  const crumbs = await page.locator('.crumbs a').allTextContents()
  assert.deepEqual(crumbs.map((c) => c.trim()), ['部门填报', '渝北区住房城乡建设委', systemName])
  await page.locator('.crumbs a', { hasText: systemName }).click()
  await page.waitForURL(/\/systems\/\d+$/)
  await page.waitForSelector('tr[data-row="resource"]')
  await page.locator('.crumbs a', { hasText: '渝北区住房城乡建设委' }).click()
  await page.waitForURL(/\/departments\/\d+$/)
  await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid="department-name"]')?.textContent.trim() === '渝北区住房城乡建设委')
  await context.close()
})

test('search finds a data item and opens its resource with the item marked', async () => {
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/`)
  await page.fill('input[type="search"]', '排水户名称')
  await page.waitForSelector('.search__result')
  await page.locator('.search__result', { has: page.locator('.search__type[data-type="item"]') }).first().click()
  await page.waitForURL(/\/resources\/\d+\?item=\d+/)
  await page.waitForSelector('tr[data-row="item"].is-highlighted')
  assert.match((await page.textContent('tr[data-row="item"].is-highlighted'))!, /排水户名称/)
  await context.close()
})
