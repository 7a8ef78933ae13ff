import assert from 'node:assert/strict'
import { test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { adminGet, freshTotpCode, newContext, serverAndBrowser } from '../helpers/browser.js'

// The administrator's password comes from the environment on the first start (no default password).
const ADMIN_PASSWORD = 'Harbour-Lantern-7391'
const env = serverAndBrowser({ env: { ADMIN_PASSWORD } })

const OWN_DEPARTMENT = '渝北区应急局'
const OTHER_DEPARTMENT = '渝北区交通局'

async function departmentIds(): Promise<Record<string, number>> {
  const { items } = (await (await adminGet(env.server, '/api/departments')).json()) as { items: { id: number; name: string }[] }
  return Object.fromEntries(items.map((d) => [d.name, d.id]))
}

/** Signs in through the sign-in page, as a person does (a user without two-step verification), and waits until the app has moved on. */
async function signIn(pagePromise: Page | Promise<Page>, username: string, password: string, path = '/'): Promise<Page> {
  const page = await pagePromise
  await page.goto(`${env.server.url}${path}`)
  await page.waitForSelector('[data-testid="sign-in-form"]')
  await page.fill('[data-testid="username"]', username)
  await page.fill('[data-testid="password"]', password)
  await page.click('[data-testid="sign-in-submit"]')
  await page.waitForSelector('[data-testid="user-name"]')
  return page
}

/** The administrator, signed in already (two-step sign-in through the page is the first test's). */
async function adminPage(path = '/'): Promise<Page> {
  const page = await (await newContext(env.browser, undefined, env.server)).newPage()
  await page.goto(`${env.server.url}${path}`)
  await page.waitForSelector('[data-testid="user-name"]')
  return page
}

/** Runs the audit search and waits until its answer (whose URL carries `expect`) is on the page. */
/** Searches the audit log and waits until the table shows the answer: rows, every one matching `rows`. */
async function searchAudit(page: Page, expect: string, rows: string): Promise<void> {
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/admin/audit') && r.url().includes(expect)),
    page.click('[data-action="audit-search"]'),
  ])
  await page.waitForFunction((selector) => {
    // In the page (the test's own type checks have no DOM library).
    type Row = { matches: (s: string) => boolean }
    const doc = (globalThis as unknown as { document: { querySelectorAll: (s: string) => ArrayLike<Row> } }).document
    const shown = Array.from(doc.querySelectorAll('[data-testid="audit-table"] tbody tr'))
    return shown.length > 0 && shown.every((row) => row.matches(selector))
  }, rows, { timeout: 10_000 })
}

async function newPage(browser: Browser): Promise<Page> {
  return (await newContext(browser)).newPage()
}

test('a wrong password shows the server’s message; the right one and the authenticator’s code land on the workspace with the user in the top bar', async () => {
  const page = await newPage(env.browser)
  await page.goto(`${env.server.url}/`)
  // Nobody is signed in and public access is off: the workspace sends the visitor to sign in.
  await page.waitForSelector('[data-testid="sign-in-form"]')
  assert.equal(new URL(page.url()).pathname, '/sign-in')

  await page.fill('[data-testid="username"]', 'admin')
  await page.fill('[data-testid="password"]', 'not-the-password')
  await page.click('[data-testid="sign-in-submit"]')
  const message = await page.textContent('[data-testid="sign-in-error"]')
  assert.match(message ?? '', /用户名或密码错误/)
  assert.equal(await page.inputValue('[data-testid="password"]'), '', 'the wrong password is cleared')

  await page.fill('[data-testid="password"]', ADMIN_PASSWORD)
  await page.click('[data-testid="sign-in-submit"]')
  // The administrator signs in with two-step verification: the code comes next.
  await page.waitForSelector('[data-testid="code-form"]')
  await page.fill('[data-testid="code"]', await freshTotpCode(env.server.adminTotpSecret!))
  await page.click('[data-testid="code-submit"]')
  await page.waitForSelector('[data-kpi="resources"]')
  assert.equal(new URL(page.url()).pathname, '/')
  assert.equal((await page.textContent('[data-testid="user-name"]'))?.trim(), '系统管理员')
  assert.ok(await page.isVisible('[data-nav="admin"]'), 'the administrator sees 管理')
  assert.ok(await page.isVisible('[data-action="export-csv"]'), 'the administrator may export')
  await page.context().close()
})

test('an administrator creates a reporter in the admin area; the reporter edits only their own department and sees no 管理', async () => {
  const ids = await departmentIds()
  const admin = await adminPage('/admin?tab=users')
  await admin.waitForSelector('[data-user="admin"]')
  await admin.click('[data-action="new-user"]')
  await admin.fill('[data-testid="user-username"]', 'zhang.wei')
  await admin.fill('[data-testid="user-display-name"]', '张伟')
  await admin.selectOption('[data-testid="user-role"]', 'reporter')
  await admin.fill('[data-testid="user-password"]', 'Copper-Kettle-5820')
  // A reporter without a department is refused before anything is sent.
  await admin.click('[data-testid="user-save"]')
  assert.match((await admin.textContent('[data-field="departmentId"] [data-testid="field-error"]')) ?? '', /部门/)
  await admin.selectOption('[data-testid="user-department"]', String(ids[OWN_DEPARTMENT]))
  await admin.click('[data-testid="user-save"]')
  await admin.waitForSelector('[data-user="zhang.wei"]')
  assert.match((await admin.textContent('[data-user="zhang.wei"]')) ?? '', /张伟.*填报人员.*渝北区应急局/)

  // Signing out really ends the session: the app goes to the sign-in page and the workspace is closed.
  await admin.click('[data-testid="user-menu"]')
  await admin.click('[data-action="sign-out"]')
  await admin.waitForSelector('[data-testid="sign-in-form"]')
  await admin.goto(`${env.server.url}/`)
  await admin.waitForSelector('[data-testid="sign-in-form"]')

  const reporter = await signIn(admin, 'zhang.wei', 'Copper-Kettle-5820')
  assert.match((await reporter.textContent('[data-testid="user-menu"]')) ?? '', /张伟[\s\S]*填报人员 · 渝北区应急局/)
  assert.equal(await reporter.locator('[data-nav="admin"]').count(), 0, 'no 管理 link for a reporter')
  assert.equal(await reporter.locator('[data-action="export-csv"]').count(), 0, 'a reporter does not export the whole catalog')

  await reporter.goto(`${env.server.url}/departments/${ids[OTHER_DEPARTMENT]}`)
  await reporter.waitForSelector('[data-testid="reporting-card"]')
  await reporter.waitForSelector('[data-row="system"]')
  for (const action of ['open-import', 'add-system', 'no-systems', 'export-systems']) {
    assert.equal(await reporter.locator(`[data-action="${action}"]`).count(), 0, `no ${action} on another department's page`)
  }
  await reporter.click('[data-row="system"] a')
  await reporter.waitForSelector('[data-testid="system-name"]')
  assert.equal(await reporter.locator('[data-action="edit-system"]').count(), 0, 'no 编辑系统 on another department’s system')
  assert.equal(await reporter.locator('[data-testid="api-keys"]').count(), 0, 'no key management on another department’s system')

  await reporter.goto(`${env.server.url}/departments/${ids[OWN_DEPARTMENT]}`)
  await reporter.waitForSelector('[data-action="open-import"]')
  assert.ok(await reporter.isVisible('[data-action="add-system"]'))
  assert.ok(await reporter.isVisible('[data-action="export-resources"]'), 'a reporter exports their own department’s forms')
  await reporter.click('[data-row="system"] a')
  await reporter.waitForSelector('[data-action="edit-system"]')
  assert.ok(await reporter.isVisible('[data-testid="api-keys"]'))

  // The admin area answers with a clear refusal, not a blank page.
  await reporter.goto(`${env.server.url}/admin`)
  await reporter.waitForSelector('[data-testid="forbidden"]')
  assert.match((await reporter.textContent('[data-testid="forbidden"]')) ?? '', /无权访问/)
  await reporter.context().close()
})

test('an administrator creates a kiosk link; a wall opens it without a password; once revoked the wall says so', async () => {
  const admin = await adminPage('/admin?tab=kiosk')
  await admin.fill('[data-testid="kiosk-label"]', '指挥中心主屏')
  await admin.check('[data-ceiling="internal"]')
  await admin.fill('[data-testid="kiosk-query"]', 'domain=lifeline')
  await admin.click('[data-action="create-kiosk"]')
  const url = await admin.inputValue('[data-testid="kiosk-url"]')
  assert.match(url, new RegExp(`^${env.server.url}/kiosk/[A-Za-z0-9_-]{32,}$`), 'the full link, with a long random token')
  assert.match((await admin.textContent('[data-testid="kiosk-created"]')) ?? '', /只显示这一次/)
  await admin.waitForSelector('[data-kiosk="指挥中心主屏"]')
  assert.equal((await admin.textContent('[data-kiosk="指挥中心主屏"] [data-testid="kiosk-status"]'))?.trim(), '有效')

  // The wall: a fresh browser, no account.
  const wall = await newPage(env.browser)
  await wall.goto(url)
  await wall.waitForURL(/\/screen\?domain=lifeline&kiosk=1$/)
  await wall.waitForSelector('.wall [data-map-state] canvas')
  await wall.waitForSelector('.wall[data-screen-state="drawn"]', { timeout: 60_000 })
  assert.equal((await wall.textContent('.wall__title'))?.trim(), '渝北区城市安全数据资源一张图')
  const scope = (await wall.textContent('[data-testid="wall-scope"]')) ?? ''
  assert.match(scope, /不含受限数据 · 城市生命线工程安全/, 'the wall shows the link’s ceiling and filtered view')
  assert.match(scope, /[\d,]+\/[\d,]+ 个要素/, 'and the share of all features it shows')
  assert.equal(await wall.locator('.topbar').count(), 0, 'no workspace chrome on the wall')
  // A wall's browser cannot wander into the workspace.
  await wall.goto(`${env.server.url}/departments`)
  await wall.waitForURL(/\/screen\?domain=lifeline&kiosk=1$/)

  await admin.click('[data-kiosk="指挥中心主屏"] [data-action="revoke-kiosk"]')
  await admin.click('[data-testid="confirm-ok"]')
  await admin.locator('[data-kiosk="指挥中心主屏"] [data-testid="kiosk-status"]', { hasText: '已撤销' }).waitFor()

  await wall.reload()
  await wall.waitForSelector('[data-testid="kiosk-invalid"]')
  assert.equal((await wall.textContent('[data-testid="kiosk-invalid"]'))?.trim(), '大屏链接无效或已被撤销，请联系管理员')
  assert.equal(await wall.locator('.wall').count(), 0, 'nothing of the wall is drawn')
  // The link itself is dead too.
  await wall.goto(url)
  await wall.waitForSelector('[data-testid="kiosk-invalid"]')
  await wall.context().close()
  await admin.context().close()
})

test('the audit log lists a failed sign-in and the creation of a user, filterable by result and action', async () => {
  // A failed sign-in of a name that does not exist, as any visitor can cause.
  const visitor = await newPage(env.browser)
  await visitor.goto(`${env.server.url}/sign-in`)
  await visitor.fill('[data-testid="username"]', 'no.such.user')
  await visitor.fill('[data-testid="password"]', 'whatever-it-is')
  await visitor.click('[data-testid="sign-in-submit"]')
  const message = await visitor.textContent('[data-testid="sign-in-error"]')
  assert.match(message ?? '', /用户名或密码错误/, 'the same message as a wrong password: nothing says whether the account exists')
  await visitor.context().close()

  const admin = await adminPage('/admin?tab=users')
  await admin.click('[data-action="new-user"]')
  await admin.fill('[data-testid="user-username"]', 'li.na')
  await admin.fill('[data-testid="user-display-name"]', '李娜')
  await admin.selectOption('[data-testid="user-role"]', 'analyst')
  await admin.fill('[data-testid="user-password"]', 'Granite-Orchid-4417')
  await admin.click('[data-testid="user-save"]')
  await admin.waitForSelector('[data-user="li.na"]')

  await admin.click('[data-tab="audit"]')
  await admin.waitForSelector('[data-testid="audit-table"] tbody tr')
  await admin.selectOption('[data-testid="audit-result"]', 'failure')
  await searchAudit(admin, 'result=failure', '[data-result="failure"]')
  assert.equal(await admin.locator('[data-testid="audit-table"] tbody tr:not([data-result="failure"])').count(), 0, 'only failures are listed')
  const failures = await admin.locator('[data-testid="audit-table"] tbody tr[data-action="sign-in"]').allTextContents()
  const failure = failures.find((t) => t.includes('no.such.user'))
  assert.ok(failure, 'the failed sign-in of no.such.user is listed')
  assert.match(failure, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00/, 'with its time in Beijing time and the zone')
  assert.match(failure, /127\.0\.0\.1/, 'with the address')
  assert.match(failure, /登录/)
  assert.match(failure, /失败/)

  await admin.selectOption('[data-testid="audit-result"]', '')
  await admin.selectOption('[data-testid="audit-action"]', 'user-create')
  await searchAudit(admin, 'action=user-create', '[data-action="user-create"]')
  const created = await admin.locator('[data-testid="audit-table"] tbody tr').allTextContents()
  assert.ok(created.every((t) => t.includes('新建用户')), 'only user creations are listed')
  assert.ok(created.some((t) => t.includes('admin') && t.includes('li.na') && t.includes('成功')))
  await admin.context().close()
})

test('a user creates a personal access token in the user menu; a client reads with it until it is revoked in the same dialog', async () => {
  const page = await adminPage()
  await page.click('[data-testid="user-menu"]')
  await page.click('[data-action="access-tokens"]')
  await page.waitForSelector('[data-testid="tokens-dialog"]')
  await page.fill('[data-testid="token-label"]', 'QGIS <b>办公电脑</b>')
  await page.selectOption('[data-testid="token-days"]', '30')
  await page.click('[data-action="create-token"]')
  const token = await page.inputValue('[data-testid="token-value"]')
  assert.match(token, /^csa_pat_/)
  const hint = await page.textContent('[data-testid="token-created"]')
  assert.ok(hint?.includes(`${env.server.url}/api/ogc`), 'the dialog says where QGIS connects')
  // The label is shown as text, not markup.
  const row = page.locator('[data-testid="token-list"] tbody tr').first()
  await row.filter({ hasText: 'QGIS <b>办公电脑</b>' }).waitFor()
  assert.match(await row.innerText(), /QGIS <b>办公电脑<\/b>/)
  assert.equal(await page.locator('[data-testid="token-list"] b').count(), 0)

  // A desktop client (here Node's fetch) reads with the token: Bearer, and HTTP Basic as QGIS sends it.
  const bearer = await fetch(`${env.server.url}/api/resources?pageSize=1`, { headers: { authorization: `Bearer ${token}` } })
  assert.equal(bearer.status, 200)
  const basic = await fetch(`${env.server.url}/api/departments`, { headers: { authorization: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}` } })
  assert.equal(basic.status, 200)

  page.once('dialog', (d) => void d.accept())
  await page.click('[data-action="revoke-token"]')
  await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid="token-list"] tbody tr')?.textContent?.includes('已撤销'))
  const after = await fetch(`${env.server.url}/api/resources?pageSize=1`, { headers: { authorization: `Bearer ${token}` } })
  assert.equal(after.status, 401)
  await page.context().close()
})
