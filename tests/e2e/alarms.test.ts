import assert from 'node:assert/strict'
import { test } from 'vitest'
import type { Page } from 'playwright-core'
import { adminGet, adminHeaders, newContext, serverAndBrowser, signIn } from '../helpers/browser.js'

const env = serverAndBrowser()

async function getJson<T = any>(path: string): Promise<T> {
  const res = await adminGet(env.server, path)
  assert.equal(res.status, 200, `${path} answers 200`)
  return (await res.json()) as T
}

/** A monitoring point of the demo city with no open alarm, its department, and a fresh API key of its system. */
async function quietPointWithKey() {
  const { features } = await getJson<{ features: { properties: { id: number; name: string; resourceId: number } }[] }>('/api/features?kind=monitoring-point&limit=2000')
  assert.ok(features.length > 0, 'the demo city has monitoring points')
  let point: (typeof features)[number]['properties'] | null = null
  for (const f of features) {
    if ((await getJson(`/api/alarms?point=${f.properties.id}&open=true&limit=1`)).total === 0) {
      point = f.properties
      break
    }
  }
  assert.ok(point, 'a point without an open alarm')
  const { resource } = await getJson(`/api/resources/${point.resourceId}`)
  const issued = await fetch(`${env.server.url}/api/systems/${resource.systemId}/api-keys`, {
    method: 'POST', headers: { ...adminHeaders(env.server), 'content-type': 'application/json' }, body: JSON.stringify({ label: '告警中心测试' }),
  })
  assert.equal(issued.status, 201, await issued.clone().text())
  const { key } = (await issued.json()) as { key: string }
  const send = async (channel: string, value: number) => {
    const res = await fetch(`${env.server.url}/api/ingest/readings`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ readings: [{ point: point!.id, channel, value, at: new Date().toISOString() }] }),
    })
    assert.equal(res.status, 200, await res.clone().text())
    return (await res.json()) as { alarms: { raised: number; merged: number; recovered: number } }
  }
  return { point, departmentId: resource.departmentId as number, send }
}

const detailStatus = (page: Page) => page.locator('[data-testid="alarm-detail"] [data-testid="alarm-detail-status"]')

/** Takes a step in the detail pane and waits until the pane shows the status it leads to. */
async function step(page: Page, action: string, status: string, note?: string) {
  if (note) await page.fill('[data-testid="alarm-note"]', note)
  await page.click(`[data-alarm-action="${action}"]`)
  await page.locator('[data-testid="alarm-detail"] [data-testid="alarm-detail-status"]', { hasText: status }).waitFor({ timeout: 5000 })
}

const shownActions = (page: Page) => page.locator('[data-alarm-action]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-alarm-action')))

test('a reading over the threshold appears in the 告警中心 without a reload, and the bureau and the department take it round the loop to 已办结', async () => {
  const { point, departmentId, send } = await quietPointWithKey()
  const admin = await (await newContext(env.browser, undefined, env.server)).newPage()
  await admin.goto(`${env.server.url}/alarms`)
  await admin.waitForSelector('[data-testid="alarms-table"], [data-testid="alarms-empty"]')
  await admin.waitForSelector('main[data-live="open"]')
  // Nothing reloads the page from here on: the mark stays.
  await admin.evaluate(() => ((globalThis as any).__sameDocument = true))

  const t0 = Date.now()
  assert.equal((await send('gas', 60)).alarms.raised, 1)
  const { items: [alarm] } = await getJson(`/api/alarms?point=${point.id}&open=true`)
  const row = admin.locator(`[data-testid="alarms-table"] tr[data-alarm-id="${alarm.id}"]`)
  // Live, not a reload: seconds, not the 5 minutes of a slow refresh. (How fast is the benchmark's to
  // measure; a shared test machine runs other browsers and servers meanwhile.)
  await row.waitFor({ timeout: 5000 })
  assert.ok(Date.now() - t0 < 5000, `listed ${Date.now() - t0} ms after the reading`)
  assert.equal(await admin.evaluate(() => (globalThis as any).__sameDocument), true, 'the page was not reloaded')
  const cells = (await row.textContent()) ?? ''
  assert.match(cells, /一级/)
  assert.match(cells, new RegExp(point.name))
  assert.match(cells, /60 %LEL/)
  assert.match(cells, /阈值 50 %LEL/)
  assert.match(cells, /待研判/)
  assert.match(cells, /未推送/)
  await admin.locator('[data-testid="alarms-open-count"]').waitFor()

  // The value falls back, then crosses again: the open alarm counts it (×2), still live.
  assert.equal((await send('gas', 5)).alarms.recovered, 1)
  await admin.locator(`tr[data-alarm-id="${alarm.id}"]`, { hasText: '监测值已恢复' }).waitFor({ timeout: 5000 })
  assert.equal((await send('gas', 64)).alarms.merged, 1)
  await admin.locator(`tr[data-alarm-id="${alarm.id}"]`, { hasText: '×2' }).waitFor({ timeout: 5000 })
  assert.match((await row.textContent()) ?? '', /64 %LEL/)

  // The bureau: 研判 and 推送. A false alarm needs a note, said before asking the server.
  await row.click()
  await admin.waitForSelector(`[data-testid="alarm-detail"][data-alarm-id="${alarm.id}"]`)
  assert.deepEqual(await shownActions(admin), ['dismiss', 'confirm'])
  await admin.click('[data-alarm-action="dismiss"]')
  assert.equal((await admin.textContent('[data-testid="alarm-action-error"]'))?.trim(), '「研判为误报」须填写说明')
  // Another member of the bureau confirms it a moment before this one: the server's 409, in words, and the pane shows where the alarm is now.
  await admin.route('**/api/alarms/*/actions', async (route) => {
    const other = await fetch(`${env.server.url}/api/alarms/${alarm.id}/actions`, {
      method: 'POST', headers: { ...adminHeaders(env.server), 'content-type': 'application/json' }, body: JSON.stringify({ action: 'confirm' }),
    })
    assert.equal(other.status, 200)
    await route.continue()
  }, { times: 1 })
  await admin.click('[data-alarm-action="confirm"]')
  assert.equal((await admin.locator('[data-testid="alarm-action-error"]', { hasText: '操作未完成' }).textContent())?.trim(), '操作未完成：告警当前状态为「已确认」，不能研判确认')
  await detailStatus(admin).filter({ hasText: '已确认' }).waitFor({ timeout: 3000 })
  await step(admin, 'push', '已推送')
  assert.deepEqual(await shownActions(admin), ['sign'], 'an administrator may stand in for the department')
  const clocks = await admin.locator('[data-testid="alarm-clocks"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-clock')))
  assert.deepEqual(clocks, ['sign', 'firstReport', 'writtenReport'])
  assert.match((await admin.textContent('[data-clock="sign"]')) ?? '', /剩余 10分钟|剩余 9分钟/)

  // The department: a reporter of the point's department signs, handles, reports and closes.
  const created = await fetch(`${env.server.url}/api/admin/users`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...adminHeaders(env.server) },
    body: JSON.stringify({ username: 'duty.chen', displayName: '陈值班', role: 'reporter', departmentId, password: 'Maple-Signal-7316' }),
  })
  assert.equal(created.status, 201, await created.clone().text())
  const deptContext = await newContext(env.browser)
  await signIn(deptContext, env.server.url, 'duty.chen', 'Maple-Signal-7316')
  const dept = await deptContext.newPage()
  await dept.goto(`${env.server.url}/alarms?alarm=${alarm.id}`)
  await dept.waitForSelector(`[data-testid="alarm-detail"][data-alarm-id="${alarm.id}"] [data-alarm-action="sign"]`)
  assert.deepEqual(await shownActions(dept), ['sign'], 'the department may only sign now')
  await step(dept, 'sign', '已签收')
  await dept.click('[data-alarm-action="handle"]')
  assert.match((await dept.textContent('[data-testid="alarm-action-error"]')) ?? '', /须填写说明/)
  await step(dept, 'handle', '处置中', '已派抢修人员赴现场关阀排查')
  await step(dept, 'report', '已反馈', '更换阀门密封件，复测浓度 0 %LEL')
  await step(dept, 'close', '已办结')
  assert.deepEqual(await shownActions(dept), [])

  const timeline = await dept.locator('[data-testid="alarm-timeline"] li').evaluateAll((lis) => lis.map((li) => [
    li.getAttribute('data-step-action'), li.querySelector('[data-testid="step-user"]')?.textContent?.trim(), li.querySelector('[data-testid="step-note"]')?.textContent?.trim() ?? '',
  ]))
  assert.deepEqual(timeline.map(([action, user]) => [action, user]), [
    ['raise', '系统'], ['recover', '系统'], ['merge', '系统'], ['confirm', 'admin'], ['push', 'admin'],
    ['sign', 'duty.chen'], ['handle', 'duty.chen'], ['report', 'duty.chen'], ['close', 'duty.chen'],
  ])
  assert.equal(timeline[6]![2], '已派抢修人员赴现场关阀排查')
  assert.equal(timeline[7]![2], '更换阀门密封件，复测浓度 0 %LEL')
  assert.match((await dept.textContent('[data-testid="alarm-timeline"]')) ?? '', /触发告警.*监测值恢复.*再次告警.*研判确认.*推送至责任单位.*签收.*开始处置.*反馈处置结果.*办结/s)

  // The bureau's page followed every step without a reload.
  await detailStatus(admin).filter({ hasText: '已办结' }).waitFor({ timeout: 3000 })
  await admin.locator(`tr[data-alarm-id="${alarm.id}"] [data-testid="alarm-status"]`, { hasText: '已办结' }).waitFor({ timeout: 3000 })
  assert.equal(await admin.evaluate(() => (globalThis as any).__sameDocument), true)
  const after = await getJson(`/api/alarms/${alarm.id}`)
  assert.equal(after.status, 'closed')

  // 只看未办结: the closed alarm leaves the list (the filter goes into the URL); its detail stays open.
  await admin.check('[data-filter="open"]')
  await admin.waitForURL(/open=true/)
  await admin.locator(`tr[data-alarm-id="${alarm.id}"]`).waitFor({ state: 'detached', timeout: 3000 })
  assert.equal(await admin.getAttribute('[data-testid="alarm-detail"]', 'data-alarm-id'), String(alarm.id))
  await deptContext.close()
  await admin.context().close()
})

test('an administrator changes a rule’s threshold under 系统管理 → 告警规则, and a clear value above it is refused in words', async () => {
  const { items } = await getJson<{ items: any[] }>('/api/monitoring/rules')
  const rule = items.find((r) => r.channel === 'smoke' && r.kind === 'threshold' && r.level === 'red' && r.featureId === null && r.subcategoryCode === null)
  assert.ok(rule, 'the default 一级 smoke rule')
  const page = await (await newContext(env.browser, undefined, env.server)).newPage()
  await page.goto(`${env.server.url}/admin?tab=alarms`)
  await page.click('[data-testid="alarm-rules"] [data-channel="smoke"]')
  const row = page.locator(`tr[data-rule-id="${rule.id}"]`)
  await row.waitFor()
  assert.equal(await row.locator('[data-field="threshold"]').inputValue(), String(rule.threshold))

  await row.locator('[data-field="threshold"]').fill('15')
  await row.locator('[data-field="clearValue"]').fill('20')
  await row.locator('[data-rule-save]').click()
  assert.equal((await page.textContent('[data-testid="rule-problem"]'))?.trim(), '恢复值：不能高于阈值（回差：监测值须回落到恢复值才解除告警）')

  await row.locator('[data-field="clearValue"]').fill('13')
  await row.locator('[data-rule-save]').click()
  await row.locator('text=已保存').waitFor()
  assert.equal(await page.locator('[data-testid="rule-problem"]').count(), 0)
  const saved = (await getJson<{ items: any[] }>('/api/monitoring/rules')).items.find((r) => r.id === rule.id)
  assert.equal(saved.threshold, 15)
  assert.equal(saved.clearValue, 13)

  // The SLA clocks: a table per level, saved as a whole; decreasing clocks are refused in words.
  const sign = page.locator('[data-sla-level="red"] [data-sla-step="sign"]')
  await sign.fill('45')
  await page.click('[data-action="save-sla"]')
  assert.match((await page.textContent('[data-testid="sla-problem"]')) ?? '', /一级.*时限须逐级不减/)
  await sign.fill('8')
  await page.click('[data-action="save-sla"]')
  await page.locator('[data-testid="sla-form"] [role="status"]').waitFor()
  assert.equal((await getJson('/api/monitoring/sla')).red.sign, 8)
  await page.context().close()
})
